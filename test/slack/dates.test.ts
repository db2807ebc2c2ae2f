/**
 * Every time a person reads in mrkdwn is a Slack date token (their own time zone) with a
 * fallback; the only UTC left in sight is where RDS's daily limit is explained.
 */
import { describe, expect, it } from "vitest";
import type { BackupRequest, Locale } from "../../src/domain/request.js";
import { slackTime } from "../../src/slack/dates.js";
import { approvalCard } from "../../src/slack/views/approval-card.js";
import { statusLine } from "../../src/slack/views/status.js";
import { threadReply } from "../../src/slack/views/thread.js";

const at = new Date("2026-12-01T14:00:30Z");
const TOKEN = /<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]*>/;

function request(locale: Locale, overrides: Partial<BackupRequest> = {}): BackupRequest {
  return {
    id: "req-7k2m9x4q1c",
    state: "pending",
    params: { DBInstanceId: "rm-uf6wjk5xxxx" },
    instance: {
      id: "rm-uf6wjk5xxxx",
      regionId: "cn-hangzhou",
      engine: "MySQL",
      engineVersion: "8.0",
      status: "Running",
      description: "orders",
    },
    requesterId: "U0REQUESTER",
    locale,
    approvalsRequired: 1,
    approvals: [],
    allowSelfApproval: false,
    preflight: {
      checkedAt: at,
      running: { status: "pass", instanceStatus: "Running" },
      noBackupInProgress: { status: "pass" },
      dailyLimit: { status: "pass", count: 3, limit: 20 },
    },
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date("2026-12-02T14:00:30Z"),
    ...overrides,
  };
}

/** What is left once the tokens are taken out: no clock time, no date may remain. */
function withoutTokens(text: string): string {
  return text.replace(new RegExp(TOKEN, "g"), "");
}

describe("slackTime", () => {
  it("is a date token with the unix time and a UTC fallback", () => {
    expect(slackTime(at)).toBe("<!date^1796133630^{date_short_pretty} {time}|2026-12-01 14:00 UTC>");
    expect(slackTime(new Date(Number.NaN))).toBe("-");
  });
});

describe("times in cards, threads and status", () => {
  for (const locale of ["en", "ja"] as const) {
    it(`are date tokens (${locale})`, () => {
      const decided = { decidedBy: "U0APPROVER1", decidedAt: at };
      const rendered = [
        JSON.stringify(approvalCard(request(locale)).blocks),
        JSON.stringify(approvalCard(request(locale, { state: "rejected", ...decided })).blocks),
        JSON.stringify(
          approvalCard(
            request(locale, {
              state: "submitted",
              backupJobId: "5070001",
              approvals: [{ userId: "U0APPROVER1", at }],
            }),
          ).blocks,
        ),
        JSON.stringify(approvalCard(request(locale, { state: "expired" })).blocks),
        statusLine(request(locale), locale),
        threadReply(request(locale), {
          type: "job_finished",
          backupJobId: "5070001",
          backupSet: {
            backupId: "321",
            method: "Physical",
            sizeBytes: 1024,
            startTime: "2026-12-01T14:10:00Z",
            endTime: "2026-12-01T14:20:00Z",
          },
        }).text,
      ];
      for (const text of rendered) {
        expect(text).toMatch(TOKEN);
        const rest = withoutTokens(text);
        expect(rest).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}/);
        // "(UTC)" explains the daily limit of backup sets; no time is shown in UTC.
        expect(rest.replace(/\(UTC\)/g, "")).not.toContain("UTC");
      }
    });
  }
});
