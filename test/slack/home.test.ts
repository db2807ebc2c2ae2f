/** The Home tab as a pure rendering of store data, in both languages, within Slack's 100 blocks. */
import { describe, expect, it } from "vitest";
import type { HomeData } from "../../src/backup/ports.js";
import type { InstanceInfo } from "../../src/domain/instance.js";
import type { BackupRequest, Locale } from "../../src/domain/request.js";
import { validateHomeView } from "../../src/sandbox/slack-blocks.js";
import { approvalCard } from "../../src/slack/views/approval-card.js";
import { HOME_MAX_BLOCKS, homeView } from "../../src/slack/views/home.js";

const at = new Date("2026-11-27T01:02:03Z");
const now = new Date("2026-11-27T02:00:00Z");
const mysql: InstanceInfo = {
  id: "rm-uf6wjk5xxxx",
  regionId: "ap-northeast-1",
  engine: "MySQL",
  engineVersion: "8.0",
  status: "Running",
  description: "orders",
  storageType: "local_ssd",
  category: "HighAvailability",
};

function request(id: string, overrides: Partial<BackupRequest> = {}): BackupRequest {
  return {
    id,
    state: "pending",
    params: { DBInstanceId: mysql.id, BackupMethod: "Logical", BackupStrategy: "db", DBName: ["orders"] },
    instance: mysql,
    requesterId: "U0REQUESTER",
    locale: "en",
    approvalsRequired: 1,
    approvals: [],
    allowSelfApproval: false,
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date("2026-11-28T01:02:03Z"),
    ...overrides,
  };
}

const data: HomeData = {
  userId: "U0APPROVER1",
  waiting: [
    request("req-7k2m9x4q1c", {
      instance: { ...mysql, id: "rm-<!channel>&co" },
      requestReason: "before the 2.3 release <!channel>",
    }),
  ],
  mine: [
    request("req-aaaaaaaaaa", {
      state: "succeeded",
      backupJobId: "5070001",
      requesterId: "U0APPROVER1",
      card: { channel: "C0APPROVALS", ts: "1795818769.754000" },
    }),
  ],
  recent: [
    request("req-bbbbbbbbbb", {
      state: "failed",
      error: { code: "BackupJobExists" } as BackupRequest["error"],
    }),
  ],
};
const links = new Map([
  ["req-aaaaaaaaaa", "https://emulator.slack.com/archives/C0APPROVALS/p1795818769754000"],
]);

describe.each<Locale>(["en", "ja"])("home view (%s)", (locale) => {
  it("lists what waits, with the card's buttons, then the person's requests and recent outcomes", () => {
    const view = homeView({ data, locale, approvalChannelId: "C0APPROVALS", links, now });
    expect(validateHomeView(view)).toEqual([]);
    // The requester's reason, escaped like all user text: it pings nobody.
    expect(JSON.stringify(view)).toContain("before the 2.3 release &lt;!channel&gt;");
    expect(view).toMatchSnapshot();
  });

  it("says so when the lists are empty, and shows a notice on top", () => {
    const view = homeView({
      data: { userId: "U0OUTSIDER1", waiting: [], mine: [], recent: [] },
      locale,
      approvalChannelId: "C0APPROVALS",
      links: new Map(),
      notice: "Only the approvers of this request may decide.",
      now,
    });
    expect(JSON.stringify(view)).not.toContain("approve_backup");
    expect(view).toMatchSnapshot();
  });
});

describe("home view limits", () => {
  it("stays within 100 blocks with many waiting requests, and says how many more", () => {
    const many = Array.from({ length: 80 }, (_, i) => request(`req-${String(i).padStart(10, "0")}`));
    const full = Array.from({ length: 10 }, (_, i) => request(`req-m${String(i).padStart(9, "0")}`));
    const view = homeView({
      data: { userId: "U0APPROVER1", waiting: many, mine: full, recent: full },
      locale: "en",
      approvalChannelId: "C0APPROVALS",
      links: new Map(),
      now,
    });
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(validateHomeView(view)).toEqual([]);
    const shown = view.blocks.filter((b) => b.type === "actions").length;
    expect(JSON.stringify(view)).toContain(`…and ${80 - shown} more`);
  });

  it("offers Approve and Reject with the card's ids, value and confirm dialog", () => {
    const view = homeView({ data, locale: "en", approvalChannelId: "C0APPROVALS", links, now });
    const actions = view.blocks.find((b) => b.type === "actions");
    const waiting = data.waiting[0] as BackupRequest;
    const onCard = approvalCard(waiting, now).blocks.find((b) => b.type === "actions");
    const [approve, reject] = (onCard as { elements: unknown[] }).elements;
    expect((actions as { elements: unknown[] }).elements).toEqual([approve, reject]);
    expect(approve).toMatchObject({ action_id: "approve_backup", value: "req-7k2m9x4q1c" });
    expect(reject).toMatchObject({ action_id: "reject_backup", value: "req-7k2m9x4q1c" });
  });
});
