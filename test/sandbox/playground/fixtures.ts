import type { RenderContext } from "../../../src/sandbox/playground/render-context.js";

/** A reader in Tokyo on 2026-11-27 at 12:00 local time, in the stage's workspace. */
export function readerContext(overrides: Partial<RenderContext> = {}): RenderContext {
  const users: Record<string, string> = { U0REQUESTER: "Alice", U0APPROVER1: "Bob", U0APPROVER2: "Carol" };
  const channels: Record<string, string> = { C0APPROVALS: "rds-approvals", C0DBOPS: "db-ops" };
  return {
    timeZone: "Asia/Tokyo",
    now: Date.parse("2026-11-27T03:00:00Z"),
    userName: (id) => users[id],
    channelName: (id) => channels[id],
    groupHandle: (id) => (id === "S0DBAS" ? "dbas" : undefined),
    directory: {
      users: Object.entries(users).map(([id, name]) => ({ id, name })),
      channels: Object.entries(channels).map(([id, name]) => ({ id, name })),
    },
    ...overrides,
  };
}
