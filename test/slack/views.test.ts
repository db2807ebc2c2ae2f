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
  // Starting a backup when RDS's answers are not clear (issue 12).
  { type: "create_unclear", code: "Timeout", call: 1, decideAt: "2026-11-27T01:03:33Z" },
  { type: "create_again", call: 2 },
  {
    type: "needs_attention",
    error: { ...failure, code: "InternalError", httpStatus: 500, outcome: "unknown", transient: true },
    finding: { kind: "backup_set", backupId: "3466502001", startTime: "2026-11-27T01:02:30Z" },
    approvers: { userIds: ["U0APPROVER1", "U0APPROVER2"], usergroupIds: ["S0DBAS"] },
    canStartAgain: true,
  },
  {
    type: "needs_attention",
    finding: { kind: "other_job", backupJobId: "5070002", reason: "running_before" },
    approvers: { userIds: ["U0APPROVER1"], usergroupIds: [] },
    canStartAgain: false,
  },
  { type: "checked_again", by: "U0APPROVER2", finding: { kind: "unreadable", code: "ServiceUnavailable" } },
  { type: "started_again", by: "U0APPROVER1", call: 3 },
  { type: "closed_not_started", by: "U0APPROVER2" },
  { type: "job_lost", backupJobId: "5070001" },
  { type: "watch_gave_up", backupJobId: "5070001", hours: 24 },
  // Backups at the right time (issue 16).
  { type: "scheduled", by: "U0APPROVER2", startAt: "2026-11-27T16:30:00Z", deadline: "2026-11-27T20:00:00Z" },
  {
    type: "schedule_not_ready",
    reasons: [
      { kind: "not_running", status: "Restarting" },
      { kind: "backup_in_progress", backupJobId: "5070009" },
    ],
    deadline: "2026-11-27T20:00:00Z",
  },
  {
    type: "schedule_missed",
    deadline: "2026-11-27T20:00:00Z",
    reasons: [{ kind: "backup_in_progress", backupJobId: "5070009" }],
  },
  { type: "schedule_missed", deadline: "2026-11-27T20:00:00Z" },
  // Reminders of a pending request (issue 15): the request has 1 of 2 approvals.
  {
    type: "reminder",
    kind: "waiting",
    approvers: { userIds: ["U0APPROVER2"], usergroupIds: ["S0DBAS"] },
  },
  { type: "reminder", kind: "expiring", approvers: { userIds: ["U0APPROVER2"], usergroupIds: [] } },
  { type: "reminder", kind: "waiting", approvers: { userIds: [], usergroupIds: [] } },
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

    it(`approval card while whether the backup started is unclear (${locale})`, () => {
      const unclear = {
        unclear: 1,
        phase: {
          kind: "watching" as const,
          code: "Timeout",
          at,
          decideAt: new Date(at.getTime() + 90_000),
          mayCallAgain: true,
        },
      };
      expect(
        approvalCard(request(locale, { state: "approved", createCalls: 1, start: unclear })),
      ).toMatchSnapshot("checking");
      const handedOver = {
        unclear: 2,
        phase: { kind: "handed_over" as const, finding: { kind: "nothing" as const } },
      };
      const attention = approvalCard(
        request(locale, { state: "needs_attention", createCalls: 2, start: handedOver }),
      );
      expect(attention).toMatchSnapshot("needs attention");
      expect(JSON.stringify(attention.blocks)).toContain("start_backup_again");
      // Once the calls are used up, starting again is not offered.
      const usedUp = approvalCard(
        request(locale, { state: "needs_attention", createCalls: 3, start: handedOver }),
      );
      expect(JSON.stringify(usedUp.blocks)).not.toContain("start_backup_again");
      expect(JSON.stringify(usedUp.blocks)).toContain("check_backup_again");
      expect(
        approvalCard(
          request(locale, { state: "cancelled", createCalls: 2, decidedBy: "U0APPROVER2", decidedAt: at }),
        ),
      ).toMatchSnapshot("closed as not started");
      expect(
        approvalCard(
          request(locale, {
            state: "failed",
            backupJobId: "5070001",
            error: { code: "WatchTimedOut", message: "still running", outcome: "unknown", transient: false },
          }),
        ),
      ).toMatchSnapshot("outcome unknown after the watch limit");
    });

    it(`approval card of a backup for later (${locale})`, () => {
      const now = new Date("2026-11-27T12:00:00Z");
      const window = { opens: 60, closes: 300, timeZone: "Asia/Tokyo", days: [1, 2, 3, 4, 5] };
      const asked = new Date("2026-11-27T16:30:00Z");
      const plan = { startAt: asked, deadline: new Date("2026-11-27T20:00:00Z") };
      expect(
        approvalCard(
          request(locale, { schedule: { askedFor: asked, ...plan }, expiresAt: plan.deadline }),
          now,
        ),
      ).toMatchSnapshot("pending, a time asked");
      expect(
        approvalCard(
          request(locale, {
            schedule: {
              askedFor: new Date("2026-11-27T13:00:00Z"),
              window,
              ...plan,
              startAt: new Date("2026-11-27T16:00:00Z"),
            },
          }),
          now,
        ),
      ).toMatchSnapshot("pending, a time outside the window");
      expect(approvalCard(request(locale, { schedule: { window } }), now)).toMatchSnapshot(
        "pending, the window decides",
      );
      const scheduled = request(locale, {
        state: "scheduled",
        approvals: [
          { userId: "U0APPROVER1", at },
          { userId: "U0APPROVER2", at },
        ],
        schedule: { askedFor: asked, ...plan },
      });
      const card = approvalCard(scheduled, now);
      expect(card).toMatchSnapshot("scheduled");
      expect(JSON.stringify(card.blocks)).toContain("cancel_backup");
      expect(JSON.stringify(card.blocks)).not.toContain("approve_backup");
      expect(
        approvalCard(
          {
            ...scheduled,
            preflight: {
              checkedAt: asked,
              running: { status: "fail", instanceStatus: "Restarting" },
              noBackupInProgress: { status: "pass" },
              dailyLimit: { status: "pass", count: 3, limit: 20 },
            },
            schedule: {
              ...scheduled.schedule,
              notReady: { checks: 1, since: asked, nextTryAt: new Date(asked.getTime() + 60_000) },
            },
          },
          new Date(asked.getTime() + 30_000),
        ),
      ).toMatchSnapshot("scheduled, the instance not ready");
      expect(
        approvalCard(
          {
            ...scheduled,
            state: "failed",
            error: { code: "ScheduleMissed", message: "nothing ran", outcome: "not_sent", transient: false },
          },
          now,
        ),
      ).toMatchSnapshot("its time ran out");
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
      // The card was posted after all: pending, it can be decided until it expires; approved
      // meanwhile (from the Home tab), the thread tells the rest.
      const posted = { type: "approval_posted" } as const;
      expect(requesterMessage(request(locale), posted, link)).toMatchSnapshot("requester approval_posted");
      expect(requesterMessage({ ...approved, state: "submitted" }, posted, link)).toMatchSnapshot(
        "requester approval_posted (approved)",
      );
    });
  }

  it("the requester's reason: on the card, in a channel summary, and the form's field (en, ja)", () => {
    const reason = "リリース 2.3 の前に\nbefore the <!channel> & migration";
    for (const locale of ["en", "ja"] as const) {
      const card = approvalCard(request(locale, { requestReason: reason }));
      expect(card.blocks.find((block) => JSON.stringify(block).includes("リリース"))).toMatchSnapshot(
        `card reason ${locale}`,
      );
      expect(
        summaryLine(
          request(locale, { requestReason: reason }),
          { type: "job_failed", backupJobId: "5070001", status: "Failed" },
          "https://emulator.slack.com/archives/C0APPROVALS/p1",
        ),
      ).toMatchSnapshot(`summary with reason ${locale}`);
      const empty = requestModal({ locale, approvalChannelId: "C0APPROVALS" });
      expect(empty.blocks.map((block) => block.block_id).filter(Boolean)).toEqual(["DBInstanceId", "reason"]);
      const required = requestModal({
        locale,
        approvalChannelId: "C0APPROVALS",
        instance: mysql,
        reasonRequired: true,
      });
      const field = required.blocks.find((block) => block.block_id === "reason");
      expect(field).toMatchObject({
        type: "input",
        optional: false,
        element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: 500 },
      });
      expect(field).toMatchSnapshot(`reason field required ${locale}`);
      expect(
        requestModal({ locale, approvalChannelId: "C0APPROVALS", instance: mysql }).blocks,
      ).toContainEqual(expect.objectContaining({ block_id: "reason", optional: true }));
    }
  });

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

  it("the modal's start time, and the note on when the backup runs", () => {
    const now = new Date("2026-11-27T03:00:00Z");
    const window = { opens: 60, closes: 300, timeZone: "Asia/Tokyo", days: [1, 2, 3, 4, 5] };
    for (const locale of ["en", "ja"] as const) {
      const base = { locale, approvalChannelId: "C0APPROVALS", instance: mysql, now };
      const plainForm = requestModal(base);
      const runAt = plainForm.blocks.find((block) => block.block_id === "run_at");
      expect(runAt).toMatchObject({ type: "input", optional: true, element: { type: "datetimepicker" } });
      // Without a window and a time, nothing more to say.
      expect(plainForm.blocks.at(-1)?.block_id).toBe("run_at");
      const notes = [
        requestModal({ ...base, window }),
        requestModal({ ...base, window, runAt: new Date("2026-11-27T06:00:00Z") }),
        requestModal({ ...base, window, runAt: new Date("2026-11-27T17:00:00Z") }),
        requestModal({ ...base, runAt: new Date("2026-11-27T17:00:00Z") }),
      ].map((view) => view.blocks.at(-1));
      expect(notes).toMatchSnapshot(`start time notes ${locale}`);
    }
  });

  it("the modal says why the database-level strategy is missing (MySQL 5.5)", () => {
    for (const locale of ["en", "ja"] as const) {
      const view = requestModal({
        locale,
        approvalChannelId: "C0APPROVALS",
        instance: { ...mysql, engineVersion: "5.5" },
        chosen: { method: "Logical" },
      });
      const strategy = view.blocks.find((block) => block.block_id === "BackupStrategy");
      expect(JSON.stringify(strategy)).not.toContain('"value":"db"');
      expect(strategy).toMatchSnapshot(`strategy without db ${locale}`);
    }
  });

  it("the modal for a read-only instance: no fields, what it is and its primary", () => {
    for (const locale of ["en", "ja"] as const) {
      const view = requestModal({
        locale,
        approvalChannelId: "C0APPROVALS",
        instance: { ...mysql, id: "rr-uf6wjk5xxxx", instanceType: "Readonly", masterInstanceId: mysql.id },
      });
      expect(view.blocks.map((block) => block.block_id).filter(Boolean)).toEqual(["DBInstanceId"]);
      expect(view).toMatchSnapshot(`read-only ${locale}`);
    }
  });
});

describe("nothing a user or the API wrote becomes markup", () => {
  it("escapes mentions and links in every rendered message", () => {
    const hostile = request("en", {
      instance: { ...mysql, description: "<!channel> <https://evil|click> <@U0EVIL>" },
      requestReason: "<!channel> <https://evil|click> <@U0EVIL>",
    });
    const everything = JSON.stringify([
      approvalCard(hostile),
      approvalCard({ ...hostile, state: "scheduled", schedule: { startAt: at, deadline: at } }),
      ...events.map((event) => threadReply(hostile, event)),
      ...events.map((event) => summaryLine(hostile, event, "https://emulator.slack.com/archives/C0A/p1")),
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
