import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, rdsEndpointFor, readEnvironment, secretValues } from "../../src/config.js";

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

  it("reads APPROVAL_REMINDER_AFTER as a duration or off (default 2h), and refuses 0 and anything else", () => {
    expect(parseConfig(valid).approvalReminderAfter).toBe(2 * 3_600_000);
    expect(parseConfig({ ...valid, APPROVAL_REMINDER_AFTER: "30m" }).approvalReminderAfter).toBe(1_800_000);
    expect(parseConfig({ ...valid, APPROVAL_REMINDER_AFTER: " 90s " }).approvalReminderAfter).toBe(90_000);
    expect(parseConfig({ ...valid, APPROVAL_REMINDER_AFTER: "off" }).approvalReminderAfter).toBe("off");
    expect(parseConfig({ ...valid, APPROVAL_REMINDER_AFTER: "OFF" }).approvalReminderAfter).toBe("off");
    for (const wrong of ["2", "1.5h", "never", "-1h"]) {
      expect(problems({ ...valid, APPROVAL_REMINDER_AFTER: wrong })).toEqual([
        "APPROVAL_REMINDER_AFTER: expected off, or a whole number and a unit s, m, h or d, such as 30m or 2h",
      ]);
    }
    expect(problems({ ...valid, APPROVAL_REMINDER_AFTER: "0s" })).toEqual([
      "APPROVAL_REMINDER_AFTER: expected a duration above 0 (write off to turn reminders off)",
    ]);
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

  it("takes the first of RDS_REGION_IDS as the default region when ALIBABA_CLOUD_REGION_ID is unset", () => {
    const listed = parseConfig({ ...valid, RDS_REGION_IDS: "ap-northeast-1, cn-hangzhou" });
    expect(listed.alibaba.regionId).toBe("ap-northeast-1");
    expect(listed.alibaba.regionIds).toEqual(["ap-northeast-1", "cn-hangzhou"]);
    const named = parseConfig({
      ...valid,
      RDS_REGION_IDS: "ap-northeast-1,cn-hangzhou",
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    });
    expect(named.alibaba.regionId).toBe("cn-hangzhou");
  });

  describe("RDS_ENDPOINT", () => {
    it("a fixed URL serves one region: with several it is refused, naming both variables", () => {
      expect(
        rdsEndpointFor(
          parseConfig({ ...valid, RDS_ENDPOINT: "http://127.0.0.1:8080" }).alibaba.endpoints,
          "cn-hangzhou",
        )?.href,
      ).toBe("http://127.0.0.1:8080/");
      const found = problems({
        ...valid,
        RDS_ENDPOINT: "https://rds-vpc.cn-hangzhou.aliyuncs.com",
        RDS_REGION_IDS: "cn-hangzhou,ap-northeast-1",
      }).join("\n");
      expect(found).toContain("RDS_ENDPOINT");
      expect(found).toContain("RDS_REGION_IDS");
      expect(found).toContain("{region}");
      expect(found).toContain("cn-hangzhou, ap-northeast-1");
      // The default region counts too.
      expect(
        problems({
          ...valid,
          RDS_ENDPOINT: "http://127.0.0.1:8080",
          RDS_REGION_IDS: "ap-northeast-1",
          ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
        }),
      ).toHaveLength(1);
    });

    it("a template with {region} gives each region its own endpoint", () => {
      const config = parseConfig({
        ...valid,
        RDS_ENDPOINT: "https://rds-vpc.{region}.aliyuncs.com",
        RDS_REGION_IDS: "cn-hangzhou,ap-northeast-1",
      });
      expect(rdsEndpointFor(config.alibaba.endpoints, "ap-northeast-1")?.host).toBe(
        "rds-vpc.ap-northeast-1.aliyuncs.com",
      );
      expect(rdsEndpointFor(config.alibaba.endpoints, "cn-hangzhou")?.protocol).toBe("https:");
      expect(problems({ ...valid, RDS_ENDPOINT: "https://rds.aliyuncs.com/{region}" }).join()).toContain(
        "put {region} in the host name",
      );
    });

    it("region=URL pairs must name every region the bot calls", () => {
      const config = parseConfig({
        ...valid,
        RDS_ENDPOINT: "cn-hangzhou=http://127.0.0.1:1001, ap-northeast-1=http://127.0.0.1:1002",
        RDS_REGION_IDS: "cn-hangzhou,ap-northeast-1",
      });
      expect(rdsEndpointFor(config.alibaba.endpoints, "ap-northeast-1")?.port).toBe("1002");
      const found = problems({
        ...valid,
        RDS_ENDPOINT: "cn-hangzhou=http://127.0.0.1:1001",
        RDS_REGION_IDS: "cn-hangzhou,ap-northeast-1",
      }).join();
      expect(found).toContain("RDS_ENDPOINT: no endpoint for ap-northeast-1");
      expect(found).toContain("RDS_REGION_IDS");
      expect(problems({ ...valid, RDS_ENDPOINT: "cn-hangzhou=ftp://x" }).join()).toContain("RDS_ENDPOINT");
    });

    it("leaves the SDK its public endpoints when unset", () => {
      expect(rdsEndpointFor(parseConfig(valid).alibaba.endpoints, "cn-hangzhou")).toBeUndefined();
    });
  });

  describe("RRSA", () => {
    const rrsa = {
      ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1234567890:role/rds-backup-bot",
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "acs:ram::1234567890:oidc-provider/ack-rrsa-c0ffee",
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token",
    };

    it("reads the three variables and the two that reach STS in a VPC", () => {
      const config = parseConfig({
        ...valid,
        ...rrsa,
        ALIBABA_CLOUD_STS_REGION: "ap-northeast-1",
        ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: "true",
      });
      expect(config.alibaba.rrsa).toEqual({
        roleArn: rrsa.ALIBABA_CLOUD_ROLE_ARN,
        oidcProviderArn: rrsa.ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
        oidcTokenFile: rrsa.ALIBABA_CLOUD_OIDC_TOKEN_FILE,
        stsRegionId: "ap-northeast-1",
        vpcEndpoint: true,
      });
      expect(parseConfig(valid).alibaba.rrsa).toBeUndefined();
    });

    it("names only the RRSA variables that are missing", () => {
      const found = problems({ ...valid, ...rrsa, ALIBABA_CLOUD_OIDC_TOKEN_FILE: undefined }).join("\n");
      expect(found).toMatch(/^ALIBABA_CLOUD_OIDC_TOKEN_FILE: RRSA needs it too/m);
      expect(found).not.toMatch(/^ALIBABA_CLOUD_ROLE_ARN:/m);
    });

    it("refuses the VPC endpoint without the STS region it needs", () => {
      const found = problems({ ...valid, ...rrsa, ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: "true" }).join("\n");
      expect(found).toContain(
        "ALIBABA_CLOUD_STS_REGION: required with ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true",
      );
      expect(problems({ ...valid, ALIBABA_CLOUD_STS_REGION: "Tokyo" }).join()).toContain(
        "ALIBABA_CLOUD_STS_REGION",
      );
    });
  });
});
