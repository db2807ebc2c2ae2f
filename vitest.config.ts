import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start real servers on 127.0.0.1; give them room on a busy CI machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The Alibaba credential chain must never probe a real metadata service or profile.
    env: {
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    },
  },
});
