import { describe, expect, it } from "vitest";
import type { ThreadEvent } from "../../src/backup/ports.js";
import type { ApiFailureInfo } from "../../src/domain/api-failure.js";
import type { InstanceInfo } from "../../src/domain/instance.js";
import type { BackupRequest, Locale } from "../../src/domain/request.js";
import { escapeMrkdwn, userText } from "../../src/slack/text.js";
import { approvalCard } from "../../src/slack/views/approval-card.js";
import { requestModal } from "../../src/slack/views/request-modal.js";
import { formatBytes, requesterMessage, summaryLine, threadReply } from "../../src/slack/views/thread.js";

const at = new Date("2026-11-27T01:02:03Z");
const mysql: InstanceInfo = {
  id: "rm-uf6wjk5xxxx",
  regionId: "ap-northeast-1",
  engine: "MySQL",
  engineVersion: "8.0",
  status: "Running",
  description: "orders <!channel> & co",
  storageType: "local_ssd",
  category: "HighAvailability",
};

function request(locale: Locale, overrides: Partial<BackupRequest> = {}): BackupRequest {
  return {
    id: "req-7k2m9x4q1c",
    state: "pending",
    params: {
      DBInstanceId: mysql.id,
      BackupMethod: "Logical",
      BackupStrategy: "db",
      DBName: ["orders", "users"],
    },
    instance: mysql,
    requesterId: "U0REQUESTER",
    locale,
    approvalsRequired: 2,
    approvals: [{ userId: "U0APPROVER1", at }],
    allowSelfApproval: false,
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date("2026-11-28T01:02:03Z"),
    ...overrides,
  };
}

const failure: ApiFailureInfo = {
  code: "IncorrectDBInstanceState",
  message: "Current DB instance state does not support this operation.",
  httpStatus: 403,
  requestId: "2C125605-266F-41CA-8AC5-3A643D4F42C5",
  recommend: "https://api.aliyun.com/troubleshoot?q=IncorrectDBInstanceState",
  instanceStatus: "Restarting",
  outcome: "rejected",
  transient: false,
};

const events: ThreadEvent[] = [
  { type: "approval_recorded", by: "U0APPROVER1", count: 1, required: 2 },
  { type: "approved", by: "U0APPROVER2" },
  { type: "job_started", backupJobId: "5070001", requestId: "2C125605" },
  { type: "create_failed", error: failure },
  {
    type: "create_failed",
    error: { ...failure, code: "Some.NewCode", message: "Brand new <!here> failure" },
  },
  { type: "rejected", by: "U0APPROVER1", reason: "peak hours <@U0EVIL>" },
  { type: "expired" },
  { type: "job_progress", backupJobId: "5070001", percent: 60, status: "Uploading" },
  {
    type: "job_finished",
    backupJobId: "5070001",
    backupSet: {
      backupId: "321",
      method: "Logical",
      sizeBytes: 1_610_612_736,
      startTime: "2026-11-27T01:10:00Z",
      endTime: "2026-11-27T01:20:00Z",
    },
  },
  { type: "job_failed", backupJobId: "5070001", status: "Failed" },
];

describe("rendered messages (snapshots in both languages)", () => {
  for (const locale of ["en", "ja"] as const) {
    it(`approval card, pending and decided (${locale})`, () => {
      expect(approvalCard(request(locale))).toMatchSnapshot();
      const preflight = {
        checkedAt: at,
        running: { status: "fail", instanceStatus: "Restarting" },
        noBackupInProgress: { status: "pass" },
        dailyLimit: { status: "unknown", limit: 20 },
      } as const;
      expect(approvalCard(request(locale, { preflight }))).toMatchSnapshot("with pre-flight checks");
      expect(
        threadReply(request(locale, { preflight }), { type: "preflight_blocked", by: "U0APPROVER1" }),
      ).toMatchSnapshot("pre-flight blocked");
      expect(
        approvalCard(
          request(locale, {
            state: "submitted",
            backupJobId: "5070001",
            approvals: [
              { userId: "U0APPROVER1", at },
              { userId: "U0APPROVER2", at },
            ],
          }),
        ),
      ).toMatchSnapshot();
      expect(approvalCard(request(locale, { state: "failed", error: failure }))).toMatchSnapshot();
    });

    it(`thread replies (${locale})`, () => {
      for (const event of events) expect(threadReply(request(locale), event)).toMatchSnapshot(event.type);
    });

    it(`requester and channel messages (${locale})`, () => {
      const link = "https://example.slack.com/archives/C0APPROVALS/p1";
      // The requester hears of a started backup once it was approved: the approvers are known.
      const approved = request(locale, { approvals: [{ userId: "U0APPROVER1", at }] });
      for (const event of events) {
        expect(requesterMessage(approved, event, link)).toMatchSnapshot(`requester ${event.type}`);
        expect(summaryLine(request(locale), event, link)).toMatchSnapshot(`summary ${event.type}`);
      }
      expect(requesterMessage(request(locale), { type: "filed" }, link)).toMatchSnapshot("requester filed");
      for (const [reason, code] of [
        ["no_access", "not_in_channel"],
        ["archived", "is_archived"],
      ] as const) {
        const event = { type: "approval_unreachable", channel: "C0APPROVALS", reason, code } as const;
        expect(requesterMessage(request(locale), event, link, { botUserId: "U0000BOT1" })).toMatchSnapshot(
          `requester approval_unreachable ${reason}`,
        );
      }
    });
  }

  it("the modal for each engine", () => {
    for (const engine of ["MySQL", "PostgreSQL", "SQLServer", "MariaDB"] as const) {
      const view = requestModal({
        locale: "en",
        approvalChannelId: "C0APPROVALS",
        instance: { ...mysql, engine, storageType: "cloud_essd" },
        chosen: engine === "SQLServer" ? { type: "FullBackup", strategy: "db" } : {},
      });
      expect(view).toMatchSnapshot(engine);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect((view.private_metadata ?? "").length).toBeLessThanOrEqual(3000);
    }
  });
});

describe("nothing a user or the API wrote becomes markup", () => {
  it("escapes mentions and links in every rendered message", () => {
    const hostile = request("en", {
      instance: { ...mysql, description: "<!channel> <https://evil|click> <@U0EVIL>" },
    });
    const everything = JSON.stringify([
      approvalCard(hostile),
      ...events.map((event) => threadReply(hostile, event)),
    ]);
    expect(everything).not.toMatch(/<!channel>|<!here>|<https:\/\/evil|<@U0EVIL>/);
    expect(everything).not.toMatch(/undefined|\[object Object\]/);
  });

  it("escapes the three characters Slack cares about, strips control characters and shortens", () => {
    expect(escapeMrkdwn("a & <b> c")).toBe("a &amp; &lt;b&gt; c");
    expect(userText("x\u0000y\u202Ez", 10)).toBe("xyz");
    expect(userText("abcdefghijkl", 5)).toBe("abcd…");
  });

  it("formats sizes as the console does", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
    expect(formatBytes(undefined)).toBe("-");
  });
});
