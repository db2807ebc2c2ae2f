/**
 * The first-install mistakes, said at start-up: the bot not invited to the approval channel, a
 * notification channel archived, approver user groups on a free workspace (no user groups there).
 * An unusable approval channel keeps `/readyz` at 503 until it is fixed.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  DBA_GROUP,
  type Harness,
  NOTIFY_CHANNEL,
  startHarness,
  startStageWorkspace,
} from "./harness.js";

let h: Harness | undefined;
let slack: SlackEmulator | undefined;
afterEach(async () => {
  await h?.close();
  await slack?.close();
  h = undefined;
  slack = undefined;
});

interface LogLine {
  level: string;
  msg: string;
  channel?: string;
  access?: string;
}

const lines = (stage: Harness): LogLine[] => stage.logs.map((line) => JSON.parse(line) as LogLine);

describe("at start-up", () => {
  it("says which channel needs what, and is not ready while the approval channel is unusable", async () => {
    slack = await startStageWorkspace();
    slack.removeBot(APPROVAL_CHANNEL);
    slack.archiveChannel(NOTIFY_CHANNEL);
    h = await startHarness({ slack, env: { NOTIFY_CHANNEL_IDS: NOTIFY_CHANNEL } });
    const stage = h;

    const approval = lines(stage).find((line) => line.channel === APPROVAL_CHANNEL);
    expect(approval?.access).toBe("not_in_channel");
    expect(approval?.msg).toContain(
      "APPROVAL_CHANNEL_ID C0APPROVALS (#rds-approvals): the bot is not a member",
    );
    expect(approval?.msg).toContain(`/invite <@${slack.botUserId}>`);
    const notify = lines(stage).find((line) => line.channel === NOTIFY_CHANNEL);
    expect(notify?.msg).toContain("NOTIFY_CHANNEL_IDS C0BACKUPLOG (#backup-log) is archived");

    const port = stage.config.port;
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      ready: false,
      slack: "connected",
      approvalChannel: "not_in_channel",
    });

    slack.invite(APPROVAL_CHANNEL);
    await stage.bot.housekeeping();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(lines(stage).some((line) => line.msg.includes("the bot can post there"))).toBe(true);
  });

  it("warns that approver user groups cannot work on a workspace without user groups", async () => {
    slack = await startStageWorkspace(undefined, { plan: "free" });
    h = await startHarness({ slack });
    const warning = lines(h).find((line) => line.msg.includes("no user groups"));
    expect(warning?.msg).toContain("plan_upgrade_required");
    expect(warning?.msg).toContain(DBA_GROUP);
    expect(warning?.msg).toContain("APPROVER_USER_IDS");
    expect(warning?.level).toBe("warn");
  });
});
