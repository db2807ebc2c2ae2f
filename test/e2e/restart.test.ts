import { describe, expect, it } from "vitest";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import { fileInline, settle, startHarness, threadTexts, USERS } from "./harness.js";

describe("state survives a restart", () => {
  it("approves, after a restart, a request filed before it", async () => {
    const first = await startHarness();
    const card = await fileInline(first, USERS.requester, SEED.mysql);
    await settle(first);
    await first.stopBot();

    const second = await startHarness({
      slack: first.slack,
      rdsEmulator: first.rds,
      databaseUrl: first.databaseUrl,
    });
    try {
      await second.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await second.slack.waitUntil(() =>
        threadTexts(second, card).some((text) => text.includes("Backup started")),
      );
      expect(second.rds.count("CreateBackup")).toBe(1);
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe("secrets", () => {
  it("never reach a log line or a Slack message", async () => {
    const h = await startHarness();
    try {
      const card = await fileInline(h, USERS.requester, SEED.mysql);
      h.rds.failNext("CreateBackup", {
        code: "SignatureDoesNotMatch",
        httpStatus: 400,
        message: `bad signature for key emulator-secret`,
      });
      await h.user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
      await h.slack.waitUntil(() =>
        threadTexts(h, card).some((text) => text.includes("SignatureDoesNotMatch")),
      );
      await settle(h);
      const secrets = [
        h.config.slack.botToken,
        h.config.slack.signingSecret,
        h.config.alibaba.accessKeySecret,
      ];
      const everything = [h.logs.join("\n"), JSON.stringify(h.slack.calls.map((call) => call.args))].join(
        "\n",
      );
      expect(h.logs.length).toBeGreaterThan(10);
      for (const secret of secrets) {
        expect(secret).toBeTruthy();
        expect(everything).not.toContain(secret);
      }
    } finally {
      await h.close();
    }
  });
});
