import {
  ErrorCode,
  type Logger,
  LogLevel,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  WebClient,
  WebClientEvent,
} from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockText, type SlackEmulator, startSlackEmulator } from "../../src/sandbox/slack-emulator.js";

const TOKEN = "xoxb-test-token";
const CHANNEL = "C0APPROVALS";

let slack: SlackEmulator;
let client: WebClient;
let clock: number;

/** WebClient logs every [ERROR] in response_metadata and every retry; the tests assert on them instead. */
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function webClient(options: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: quiet,
    ...options,
  });
}

/** The Slack error code a WebClient call failed with. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const e = error as WebAPIPlatformError;
    if (e.code === ErrorCode.PlatformError) return e.data.error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const modal = (overrides: Record<string, unknown> = {}) => ({
  type: "modal" as const,
  callback_id: "rds_backup_request",
  title: { type: "plain_text" as const, text: "Request a backup" },
  submit: { type: "plain_text" as const, text: "Request" },
  blocks: [
    {
      type: "input",
      block_id: "DBInstanceId",
      label: { type: "plain_text", text: "Instance" },
      element: { type: "plain_text_input", action_id: "value" },
    },
  ],
  ...overrides,
});

beforeEach(async () => {
  clock = Date.now();
  slack = await startSlackEmulator({
    botToken: TOKEN,
    now: () => clock,
    channels: {
      [CHANNEL]: { name: "db-approvals", botIsMember: true },
      C0PRIVATE: { members: ["U_ALICE"], botIsMember: true },
    },
    users: { U_ALICE: { name: "alice", realName: "Alice" }, U_BOB: { name: "bob" } },
    locales: { U_JA: "ja-JP" },
    usergroups: { S_DBA: ["U_BOB", "U_CAROL"] },
  });
  client = webClient();
});

afterEach(async () => {
  await slack.close();
});

describe("authentication and routing", () => {
  it("answers auth.test with the bot's identity", async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({
      ok: true,
      user_id: slack.botUserId,
      team_id: slack.teamId,
      bot_id: slack.botId,
    });
    expect(slack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("refuses a wrong token and a missing one", async () => {
    expect(
      await slackError(new WebClient("xoxb-wrong", { slackApiUrl: slack.apiUrl, logger: quiet }).auth.test()),
    ).toBe("invalid_auth");
    expect(
      await slackError(new WebClient(undefined, { slackApiUrl: slack.apiUrl, logger: quiet }).auth.test()),
    ).toBe("not_authed");
  });

  it("answers unknown_method and accepts JSON bodies", async () => {
    expect(await slackError(client.apiCall("chat.frobnicate"))).toBe("unknown_method");
    slack.defineMethod("chat.frobnicate", (args) => ({ ok: true, echoed: args.level }));
    expect(await client.apiCall("chat.frobnicate", { level: 3 })).toMatchObject({ ok: true, echoed: "3" });
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: CHANNEL, text: "json", blocks: [section("*json*")] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, channel: CHANNEL });
    expect(slack.messages(CHANNEL)[0]?.blocks[0]).toMatchObject({ type: "section" });
  });
});

describe("messages", () => {
  it("posts, threads and updates, and keeps a model of the channel", async () => {
    const posted = await client.chat.postMessage({
      channel: CHANNEL,
      text: "fallback",
      blocks: [section("*hi*")],
    });
    expect(posted).toMatchObject({
      ok: true,
      channel: CHANNEL,
      message: { text: "fallback", bot_id: slack.botId },
    });
    const ts = posted.ts as string;
    expect(ts).toMatch(/^\d{10}\.\d{6}$/);

    const reply = await client.chat.postMessage({ channel: CHANNEL, thread_ts: ts, text: "in the thread" });
    await client.chat.postMessage({
      channel: CHANNEL,
      thread_ts: reply.ts as string,
      text: "reply to a reply",
    });
    await client.chat.update({
      channel: CHANNEL,
      ts,
      text: "approved",
      blocks: [section("Approved by <@U_BOB>")],
    });

    const [top] = slack.messages(CHANNEL);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
    expect(top).toMatchObject({ ts, text: "approved", reply_count: 2, updateCount: 1 });
    expect(blockText(top?.blocks)).toBe("Approved by <@U_BOB>");
    expect(top?.history[0]?.text).toBe("fallback");
    expect(slack.thread(CHANNEL, ts).map((m) => m.text)).toEqual(["in the thread", "reply to a reply"]);
    expect(slack.thread(CHANNEL, ts)[0]?.thread_ts).toBe(ts);

    // Snapshots do not change under the caller's feet.
    await client.chat.update({ channel: CHANNEL, ts, text: "text only" });
    expect(top?.text).toBe("approved");
    expect(slack.message(CHANNEL, ts)).toMatchObject({ text: "text only", blocks: [] });
  });

  it("validates what Slack validates", async () => {
    expect(await slackError(client.chat.postMessage({ channel: CHANNEL } as never))).toBe("no_text");
    expect(await slackError(client.chat.postMessage({ channel: "C0NOWHERE", text: "x" }))).toBe(
      "channel_not_found",
    );
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`block ${i}`));
    const error = await client.chat
      .postMessage({ channel: CHANNEL, text: "x", blocks: tooMany })
      .catch((e) => e);
    expect(error.data).toMatchObject({
      error: "invalid_blocks",
      response_metadata: { messages: ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"] },
    });
    const longButton = {
      type: "actions",
      elements: [{ type: "button", action_id: "a", text: { type: "plain_text", text: "x".repeat(76) } }],
    };
    const e2 = await client.chat
      .postMessage({ channel: CHANNEL, text: "x", blocks: [longButton] })
      .catch((e) => e);
    expect(e2.data.response_metadata.messages).toEqual([
      "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
    ]);
    expect(
      await slackError(client.chat.postMessage({ channel: CHANNEL, text: "x", thread_ts: "1.000001" })),
    ).toBe("thread_not_found");
    expect(await slackError(client.chat.update({ channel: CHANNEL, ts: "1.000001", text: "x" }))).toBe(
      "message_not_found",
    );
    const raw = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ channel: CHANNEL, text: "x", blocks: "[not json" }).toString(),
    });
    expect(await raw.json()).toEqual({ ok: false, error: "invalid_blocks_format" });
  });

  it("fills in block_id and action_id like Slack does", async () => {
    await client.chat.postMessage({
      channel: CHANNEL,
      text: "x",
      blocks: [{ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Go" } }] }],
    });
    const block = slack.messages(CHANNEL)[0]?.blocks[0];
    expect(block?.block_id).toEqual(expect.any(String));
    expect(block?.elements).toEqual([expect.objectContaining({ action_id: expect.any(String) })]);
  });

  it("opens DMs for user ids and through conversations.open", async () => {
    const posted = await client.chat.postMessage({ channel: "U_ALICE", text: "your backup is done" });
    expect(posted.channel).toMatch(/^D/);
    expect(slack.dms("U_ALICE").map((m) => m.text)).toEqual(["your backup is done"]);
    const opened = await client.conversations.open({ users: "U_ALICE" });
    expect(opened.channel?.id).toBe(posted.channel);
    expect(slack.dmChannelId("U_ALICE")).toBe(posted.channel);
    expect(await slackError(client.conversations.open({ users: "U_NOBODY" }))).toBe("user_not_found");
    const info = await client.conversations.info({ channel: posted.channel as string });
    expect(info.channel).toMatchObject({ is_im: true, user: "U_ALICE" });
    expect((await client.conversations.info({ channel: CHANNEL })).channel).toMatchObject({
      name: "db-approvals",
    });
    expect(await slackError(client.conversations.info({ channel: "C0NOWHERE" }))).toBe("channel_not_found");
  });

  it("records ephemerals per user and checks membership", async () => {
    const res = await client.chat.postEphemeral({ channel: CHANNEL, user: "U_ALICE", text: "only you" });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.ephemerals("U_ALICE")).toMatchObject([
      { via: "chat.postEphemeral", channel: CHANNEL, text: "only you", ts: res.message_ts },
    ]);
    expect(slack.ephemerals("U_BOB")).toEqual([]);
    expect(slack.messages(CHANNEL)).toEqual([]);
    expect(
      await slackError(client.chat.postEphemeral({ channel: "C0PRIVATE", user: "U_BOB", text: "x" })),
    ).toBe("user_not_in_channel");
  });

  it("gives permalinks, history, replies, and deletes", async () => {
    const { ts } = await client.chat.postMessage({ channel: CHANNEL, text: "parent" });
    const reply = await client.chat.postMessage({ channel: CHANNEL, text: "child", thread_ts: ts as string });
    const link = await client.chat.getPermalink({ channel: CHANNEL, message_ts: ts as string });
    expect(link.permalink).toBe(
      `https://emulator.slack.com/archives/${CHANNEL}/p${(ts as string).replace(".", "")}`,
    );
    const replyLink = await client.chat.getPermalink({ channel: CHANNEL, message_ts: reply.ts as string });
    expect(replyLink.permalink).toContain(`?thread_ts=${ts}&cid=${CHANNEL}`);
    expect(
      (await client.conversations.replies({ channel: CHANNEL, ts: ts as string })).messages,
    ).toHaveLength(2);
    expect((await client.conversations.history({ channel: CHANNEL })).messages?.[0]?.text).toBe("parent");
    await client.chat.delete({ channel: CHANNEL, ts: reply.ts as string });
    expect(slack.thread(CHANNEL, ts as string)).toEqual([]);
    expect(await slackError(client.chat.getPermalink({ channel: CHANNEL, message_ts: "1.000001" }))).toBe(
      "message_not_found",
    );
  });
});

describe("people", () => {
  it("answers users.info with the configured locale only when asked", async () => {
    const ja = await client.users.info({ user: "U_JA", include_locale: true });
    expect(ja.user).toMatchObject({ id: "U_JA", locale: "ja-JP" });
    const alice = await client.users.info({ user: "U_ALICE", include_locale: true });
    expect(alice.user).toMatchObject({ name: "alice", real_name: "Alice", locale: "en-US" });
    expect((await client.users.info({ user: "U_JA" })).user?.locale).toBeUndefined();
    expect(await slackError(client.users.info({ user: "U_NOBODY" }))).toBe("user_not_found");
  });

  it("lists user group members", async () => {
    expect((await client.usergroups.users.list({ usergroup: "S_DBA" })).users).toEqual(["U_BOB", "U_CAROL"]);
    expect(await slackError(client.usergroups.users.list({ usergroup: "S_NONE" }))).toBe("no_such_subteam");
  });
});

describe("views", () => {
  it("opens a view with a fresh trigger, once", async () => {
    const trigger = slack.issueTriggerId("U_ALICE");
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), hash: expect.any(String) });
    expect(slack.currentView("U_ALICE")?.id).toBe(opened.view?.id);
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).toBe(
      "exchanged_trigger_id",
    );
    expect(await slackError(client.views.open({ trigger_id: "1.2.abc", view: modal() }))).toBe(
      "invalid_trigger_id",
    );
  });

  it("expires trigger ids after 3 seconds", async () => {
    const trigger = slack.issueTriggerId("U_ALICE");
    clock += 3001;
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).toBe(
      "expired_trigger_id",
    );
  });

  it("checks modal limits", async () => {
    const open = (view: Record<string, unknown>) =>
      client.views
        .open({ trigger_id: slack.issueTriggerId("U_ALICE"), view: view as never })
        .catch((e) => e.data);
    expect(await open(modal({ title: { type: "plain_text", text: "x".repeat(25) } }))).toMatchObject({
      error: "invalid_arguments",
      response_metadata: {
        messages: ["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"],
      },
    });
    expect((await open(modal({ private_metadata: "x".repeat(3001) }))).error).toBe("invalid_arguments");
    const many = Array.from({ length: 101 }, () => ({ type: "divider" }));
    expect((await open(modal({ blocks: many }))).response_metadata.messages).toEqual([
      "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]",
    ]);
    expect((await open(modal({ submit: undefined }))).response_metadata.messages[0]).toContain(
      "/view/submit",
    );
  });

  it("updates by id with a hash check, keeps entered values, and pushes up to three views", async () => {
    const opened = await client.views.open({ trigger_id: slack.issueTriggerId("U_ALICE"), view: modal() });
    const id = opened.view?.id as string;
    slack.setViewState(id, "DBInstanceId", "value", { type: "plain_text_input", value: "rm-123" });
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view?.hash as string,
      view: modal(),
    });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(slack.view(id)?.state.values).toEqual({
      DBInstanceId: { value: { type: "plain_text_input", value: "rm-123" } },
    });
    expect(
      await slackError(
        client.views.update({ view_id: id, hash: opened.view?.hash as string, view: modal() }),
      ),
    ).toBe("hash_conflict");
    expect(await slackError(client.views.update({ view_id: "VNOPE", view: modal() }))).toBe("not_found");

    const push = () => client.views.push({ trigger_id: slack.issueTriggerId("U_ALICE"), view: modal() });
    const pushed = await push();
    expect(pushed.view).toMatchObject({ root_view_id: id, previous_view_id: id });
    await push();
    expect(await slackError(push())).toBe("push_limit_reached");
  });
});

describe("faults", () => {
  it("answers 429 with Retry-After, seen by WebClient as a rate limit", async () => {
    slack.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const impatient = webClient({ rejectRateLimitedCalls: true });
    const seen: number[] = [];
    impatient.on(WebClientEvent.RATE_LIMITED, (seconds: number) => seen.push(seconds));
    const error = (await impatient.chat
      .postMessage({ channel: CHANNEL, text: "x" })
      .catch((e) => e)) as WebAPIRateLimitedError;
    expect(seen).toEqual([7]);
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    expect(slack.callsTo("chat.postMessage")[0]).toMatchObject({
      status: 429,
      processed: false,
      fault: { retryAfter: 7 },
    });
    expect(slack.messages(CHANNEL)).toEqual([]);
  });

  it("lets a retrying WebClient through on the second try", async () => {
    slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const patient = webClient({ retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 } });
    const started = Date.now();
    const res = await patient.chat.postMessage({ channel: CHANNEL, text: "eventually" });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
  });

  it("answers 500, drops connections, and returns scripted errors", async () => {
    slack.failNext("chat.update", { status: 500 });
    const { ts } = await client.chat.postMessage({ channel: CHANNEL, text: "x" });
    const e500 = await client.chat.update({ channel: CHANNEL, ts: ts as string, text: "y" }).catch((e) => e);
    expect(e500.code).toBe(ErrorCode.HTTPError);
    expect(e500.statusCode).toBe(500);

    slack.failNext("chat.postMessage", { drop: true });
    const dropped = await client.chat.postMessage({ channel: CHANNEL, text: "lost" }).catch((e) => e);
    expect(dropped.code).toBe(ErrorCode.RequestError);

    slack.failNext("users.info", { error: "ratelimited" }, 2);
    expect(await slackError(client.users.info({ user: "U_ALICE" }))).toBe("ratelimited");
    expect(await slackError(client.users.info({ user: "U_ALICE" }))).toBe("ratelimited");
    expect((await client.users.info({ user: "U_ALICE" })).ok).toBe(true);
    expect(slack.calls.filter((c) => c.fault !== undefined)).toHaveLength(4);
  });

  it("slows an answer down without failing it", async () => {
    slack.failNext("auth.test", { delayMs: 200 });
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const call = await slack.waitFor("auth.test");
    expect(call).toMatchObject({ ok: true, faulted: false, fault: { delayMs: 200 } });
  });

  it("can lose the answer after the post happened", async () => {
    slack.failNext("chat.postMessage", { drop: true, afterProcessing: true });
    await expect(client.chat.postMessage({ channel: CHANNEL, text: "posted anyway" })).rejects.toThrow();
    expect(slack.messages(CHANNEL).map((m) => m.text)).toEqual(["posted anyway"]);
    expect(slack.callsTo("chat.postMessage")[0]).toMatchObject({ status: 0, processed: true });
  });
});

describe("recording and waiting", () => {
  it("records parsed args and waits for matching calls", async () => {
    const waiting = slack.waitFor("chat.postMessage", { channel: CHANNEL, blocks: [{ type: "section" }] });
    await client.chat.postMessage({ channel: CHANNEL, text: "plain" });
    await client.chat.postMessage({ channel: CHANNEL, text: "rich", blocks: [section("*rich*")] });
    const call = await waiting;
    expect(call.args.text).toBe("rich");
    expect(Array.isArray(call.args.blocks)).toBe(true);
    expect(call.args.token).toBeUndefined();

    const byPredicate = await slack.waitFor(
      (c) => c.method === "chat.postMessage" && c.args.text === "plain",
    );
    expect(byPredicate.seq).toBe(1);
    const later = slack.waitFor("users.info", { include_locale: true }, { after: slack.calls.length });
    await client.users.info({ user: "U_JA", include_locale: true });
    expect((await later).response?.user).toMatchObject({ locale: "ja-JP" });
  });

  it("says what it saw when nothing matched", async () => {
    await client.chat.postMessage({ channel: CHANNEL, text: "something else" });
    await expect(slack.waitFor("chat.update", undefined, 50)).rejects.toThrow(
      /no a chat\.update call within 50 ms[\s\S]*#1 chat\.postMessage channel=C0APPROVALS text="something else" → ok/,
    );
  });

  it("waits until a condition on the model holds", async () => {
    const { ts } = await client.chat.postMessage({ channel: CHANNEL, text: "parent" });
    const second = slack.waitUntil(() => slack.thread(CHANNEL, ts as string)[1], 2000, "two replies");
    await client.chat.postMessage({ channel: CHANNEL, text: "one", thread_ts: ts as string });
    await client.chat.postMessage({ channel: CHANNEL, text: "two", thread_ts: ts as string });
    expect((await second).text).toBe("two");
  });
});

describe("response URLs", () => {
  it("records posts and applies them like Slack", async () => {
    const { ts } = await client.chat.postMessage({ channel: CHANNEL, text: "card" });
    const { id, url } = slack.issueResponseUrl({
      user: "U_ALICE",
      channel: CHANNEL,
      messageTs: ts as string,
    });
    const post = (body: unknown) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    const first = await post({ text: "only for you" });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe("ok");
    expect(slack.ephemerals("U_ALICE")).toMatchObject([
      { via: "response_url", text: "only for you", responseUrlId: id },
    ]);
    await post({ replace_original: true, text: "replaced" });
    expect(slack.message(CHANNEL, ts as string)?.text).toBe("replaced");
    await post({ response_type: "in_channel", text: "for everyone" });
    expect(slack.messages(CHANNEL).map((m) => m.text)).toEqual(["replaced", "for everyone"]);
    await post({ text: "4" });
    await post({ text: "5" });
    const sixth = await post({ text: "6" });
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe("used_url");
    expect(slack.responses(id).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
    expect(slack.callsTo("response_url")).toHaveLength(6);
  });

  it("expires after 30 minutes", async () => {
    const { url } = slack.issueResponseUrl({ user: "U_ALICE", channel: CHANNEL });
    clock += 30 * 60_000 + 1;
    const res = await fetch(url, { method: "POST", body: JSON.stringify({ text: "late" }) });
    expect(res.status).toBe(404);
  });
});

describe("what a real workspace refuses", () => {
  /** A second workspace, configured for the case, closed after it. */
  async function withWorkspace(
    options: Omit<Parameters<typeof startSlackEmulator>[0], "botToken">,
    run: (other: SlackEmulator, otherClient: WebClient) => Promise<void>,
  ): Promise<void> {
    const other = await startSlackEmulator({ botToken: TOKEN, now: () => clock, ...options });
    try {
      await run(
        other,
        // As the bot's outbox client: one attempt, and a 429 comes back at once.
        new WebClient(TOKEN, {
          slackApiUrl: other.apiUrl,
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          logger: quiet,
        }),
      );
    } finally {
      await other.close();
    }
  }

  it("keeps the bot out of channels until it is invited; a private one is invisible to it", async () => {
    await withWorkspace(
      { channels: { C0PUBLIC: { name: "approvals" }, G0SECRET: { name: "dba", private: true } } },
      async (other, c) => {
        expect(await slackError(c.chat.postMessage({ channel: "C0PUBLIC", text: "card" }))).toBe(
          "not_in_channel",
        );
        expect((await c.conversations.info({ channel: "C0PUBLIC" })).channel).toMatchObject({
          is_member: false,
        });
        expect(await slackError(c.chat.postMessage({ channel: "G0SECRET", text: "card" }))).toBe(
          "channel_not_found",
        );
        expect(await slackError(c.conversations.info({ channel: "G0SECRET" }))).toBe("channel_not_found");

        other.invite("C0PUBLIC");
        other.invite("G0SECRET");
        await c.chat.postMessage({ channel: "C0PUBLIC", text: "card" });
        await c.chat.postMessage({ channel: "G0SECRET", text: "card" });
        expect((await c.conversations.info({ channel: "G0SECRET" })).channel).toMatchObject({
          is_member: true,
          is_private: true,
        });
        other.removeBot("C0PUBLIC");
        expect(await slackError(c.chat.postMessage({ channel: "C0PUBLIC", text: "again" }))).toBe(
          "not_in_channel",
        );
      },
    );
  });

  it("refuses posts to an archived channel and to a deactivated person", async () => {
    slack.archiveChannel(CHANNEL);
    expect(await slackError(client.chat.postMessage({ channel: CHANNEL, text: "x" }))).toBe("is_archived");
    expect((await client.conversations.info({ channel: CHANNEL })).channel).toMatchObject({
      is_archived: true,
    });

    await client.chat.postMessage({ channel: "U_ALICE", text: "hello" });
    slack.deactivateUser("U_ALICE");
    expect(await slackError(client.chat.postMessage({ channel: "U_ALICE", text: "bye" }))).toBe(
      "user_disabled",
    );
    expect(await slackError(client.conversations.open({ users: "U_ALICE" }))).toBe("user_disabled");
    expect((await client.users.info({ user: "U_ALICE" })).user).toMatchObject({ deleted: true });
    expect(slack.dms("U_ALICE").map((m) => m.text)).toEqual(["hello"]);
  });

  it("answers 429 with Retry-After when a channel gets more than its pace, for that channel only", async () => {
    await withWorkspace(
      {
        channels: { C0A: { botIsMember: true }, C0B: { botIsMember: true } },
        postMessageRateLimit: { perSecond: 1, burst: 2 },
      },
      async (other, c) => {
        await c.chat.postMessage({ channel: "C0A", text: "1" });
        await c.chat.postMessage({ channel: "C0A", text: "2" });
        const limited = (await c.chat
          .postMessage({ channel: "C0A", text: "3" })
          .catch((e) => e)) as WebAPIRateLimitedError;
        expect(limited.code).toBe(ErrorCode.RateLimitedError);
        expect(limited.retryAfter).toBe(1);
        await c.chat.postMessage({ channel: "C0B", text: "elsewhere" }); // another channel is not held
        expect(other.callsTo("chat.postMessage").at(-2)).toMatchObject({
          status: 429,
          faulted: true,
          processed: false,
          fault: { status: 429, retryAfter: 1 },
        });
        expect(other.messages("C0A").map((m) => m.text)).toEqual(["1", "2"]);
        clock += 1_000; // one token back
        await c.chat.postMessage({ channel: "C0A", text: "3" });
        expect(await c.chat.postMessage({ channel: "C0A", text: "4" }).catch((e) => e.code)).toBe(
          ErrorCode.RateLimitedError,
        );
      },
    );
  });

  it("has no user groups on a free plan", async () => {
    await withWorkspace({ plan: "free", usergroups: { S_DBA: ["U_BOB"] } }, async (_other, c) => {
      expect(await slackError(c.usergroups.users.list({ usergroup: "S_DBA" }))).toBe("plan_upgrade_required");
    });
    expect((await client.usergroups.users.list({ usergroup: "S_DBA" })).users).toEqual(["U_BOB", "U_CAROL"]);
  });
});
