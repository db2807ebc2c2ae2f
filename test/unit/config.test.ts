import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, readEnvironment, secretValues } from "../../src/config.js";

const SECRET = "0123456789abcdef0123456789abcdef";
const valid = {
  SLACK_BOT_TOKEN: "xoxb-1-2-abcdef",
  SLACK_SIGNING_SECRET: SECRET,
  APPROVAL_CHANNEL_ID: "C0APPROVALS",
  APPROVER_USER_IDS: "U0AAA, U0BBB",
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("parses a minimal HTTP-mode configuration with the contract's defaults", () => {
    const config = parseConfig(valid);
    expect(config.slack.mode).toBe("http");
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe("./data/rds-backup-bot.sqlite");
    expect(config.defaultLocale).toBe("en");
    expect(config.alibaba.regionId).toBe("cn-hangzhou");
    expect(config.alibaba.regionIds).toEqual(["cn-hangzhou"]);
    expect(config.approvers).toEqual({
      userIds: ["U0AAA", "U0BBB"],
      usergroupIds: [],
      allowSelfApproval: false,
    });
  });

  it("reads RDS_LISTING_LAG as a duration (default 90s) and refuses anything else, saying what it expects", () => {
    expect(parseConfig(valid).alibaba.listingLagMs).toBe(90_000);
    expect(parseConfig({ ...valid, RDS_LISTING_LAG: "2m" }).alibaba.listingLagMs).toBe(120_000);
    expect(parseConfig({ ...valid, RDS_LISTING_LAG: " 45s " }).alibaba.listingLagMs).toBe(45_000);
    for (const wrong of ["90", "1.5m", "-5s", "soon", "90 s"]) {
      expect(problems({ ...valid, RDS_LISTING_LAG: wrong })).toEqual([
        "RDS_LISTING_LAG: expected a whole number and a unit s, m, h or d, such as 90s or 2m",
      ]);
    }
  });

  it("defaults to socket mode when an app token is set", () => {
    const config = parseConfig({
      ...valid,
      SLACK_SIGNING_SECRET: undefined,
      SLACK_APP_TOKEN: "xapp-1-A1-123",
    });
    expect(config.slack.mode).toBe("socket");
  });

  it("names every problem at once and never echoes a value", () => {
    const found = problems({
      SLACK_BOT_TOKEN: "xoxp-user-token-not-bot",
      SLACK_APP_TOKEN: "bad-app-token",
      APPROVAL_CHANNEL_ID: "general",
      PORT: "http",
      RDS_ENDPOINT: "ftp://example.com",
      DEFAULT_LOCALE: "fr",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIexample",
    });
    const joined = found.join("\n");
    for (const variable of [
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN",
      "APPROVAL_CHANNEL_ID",
      "PORT",
      "RDS_ENDPOINT",
      "DEFAULT_LOCALE",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "APPROVER_USER_IDS",
    ]) {
      expect(joined).toContain(variable);
    }
    expect(joined).toContain("xoxb-");
    expect(joined).not.toContain("xoxp-user-token-not-bot");
    expect(joined).not.toContain("bad-app-token");
  });

  it("requires the signing secret in http mode and the app token in socket mode", () => {
    expect(problems({ ...valid, SLACK_SIGNING_SECRET: undefined }).join()).toContain("SLACK_SIGNING_SECRET");
    expect(problems({ ...valid, SLACK_MODE: "socket" }).join()).toContain("SLACK_APP_TOKEN");
  });

  it("reads .env but lets the environment win", () => {
    const dir = mkdtempSync(join(tmpdir(), "rdsbot-env-"));
    writeFileSync(join(dir, ".env"), "APPROVAL_CHANNEL_ID=C0FROMFILE\nLOG_LEVEL=debug\n");
    const env = readEnvironment({ ...valid, APPROVAL_CHANNEL_ID: "C0FROMENV" }, dir);
    const config = parseConfig(env);
    expect(config.slack.approvalChannelId).toBe("C0FROMENV");
    expect(config.logLevel).toBe("debug");
  });

  it("lists the secrets the logger must hide", () => {
    const config = parseConfig({
      ...valid,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIexample",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "very-secret-value",
      DATABASE_URL: "postgres://bot:db-password@127.0.0.1/test",
    });
    expect(secretValues(config)).toEqual(
      expect.arrayContaining(["xoxb-1-2-abcdef", SECRET, "very-secret-value", "db-password"]),
    );
  });
});
