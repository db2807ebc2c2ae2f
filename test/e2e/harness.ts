/** Helpers for the end-to-end tests, on the stage the demo uses too (src/sandbox/stage.ts). */
import { afterEach, beforeEach } from "vitest";
import type { SlackMessage, SlackView } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  REQUEST_CHANNEL,
  type Stage,
  type StageOptions,
  startStage,
} from "../../src/sandbox/stage.js";

export * from "../../src/sandbox/stage.js";
export type Harness = Stage;
export type HarnessOptions = StageOptions;
export const startHarness = startStage;

/** Registers something to close after the test; closers run last-registered first. */
export type Defer = (close: () => Promise<void> | void) => void;

/**
 * A fresh stage for every test of the enclosing `describe` (or file): started before each test,
 * closed after it, pass or fail. `options` is the stage's options, or a function that makes them
 * and may start other things first, handing their `close` to `defer`; the stage closes first,
 * then those, last started first. Returns the current test's stage (a live view: read it inside
 * tests and hooks, not at load time).
 */
export function useStage(
  options: HarnessOptions | ((defer: Defer) => Promise<HarnessOptions>) = {},
): Harness {
  let current: Harness | undefined;
  let closers: (() => Promise<void> | void)[] = [];
  const defer: Defer = (close) => {
    closers.push(close);
  };
  beforeEach(async () => {
    const stageOptions = typeof options === "function" ? await options(defer) : options;
    const stage = await startStage(stageOptions);
    defer(() => stage.close());
    current = stage;
  });
  afterEach(async () => {
    const pending = closers.reverse();
    closers = [];
    current = undefined;
    const errors: unknown[] = [];
    for (const close of pending) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "closing the stage failed");
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!current) throw new Error(`the stage is read outside a test (${String(key)})`);
      return Reflect.get(current, key);
    },
  });
}

/** The action id of the (first) element in a view's block: some carry the instance id. */
export function actionIdIn(view: SlackView, blockId: string): string {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  const element = block?.element as { action_id?: string } | undefined;
  if (!element?.action_id) throw new Error(`view ${view.id} has no element in block ${blockId}`);
  return element.action_id;
}

/** Runs `/rds-backup` with no text and returns the command and the (empty) form it opened. */
export async function openRequestForm(h: Harness, userId: string) {
  const command = await h.user.slashCommand({ userId, channelId: REQUEST_CHANNEL, text: "" });
  if (command.status !== 200) throw new Error(`command answered ${command.status}`);
  await h.slack.waitFor("views.open", { trigger_id: command.triggerId });
  const view = h.slack.currentView(userId);
  if (!view) throw new Error("no modal open");
  return { command, view };
}

/** Opens the modal with `/rds-backup`, picks the instance, and returns the re-rendered view. */
export async function openModalFor(h: Harness, userId: string, instanceId: string): Promise<SlackView> {
  const before = h.slack.calls.length;
  const { view } = await openRequestForm(h, userId);
  // A person types until the picker offers the instance: a cold listing may first say RDS is slow.
  await eventually(
    async () => {
      const answer = await h.user.requestOptions({
        userId,
        view,
        actionId: "value",
        blockId: "DBInstanceId",
        query: instanceId,
      });
      return answer.options.some((option) => option.value === instanceId) || undefined;
    },
    10_000,
    `the picker offering ${instanceId}`,
  );
  await h.user.actInView({ userId, view, actionId: "value", blockId: "DBInstanceId", value: instanceId });
  await h.slack.waitFor(
    "views.update",
    (args) => JSON.stringify(args.view ?? "").includes('"BackupMethod"'),
    { after: before },
  );
  const updated = h.slack.currentView(userId);
  if (!updated) throw new Error("modal closed unexpectedly");
  return updated;
}

/** Waits for the approval card of the request filed after `after` calls. */
export async function waitForCard(h: Harness, after = 0): Promise<SlackMessage> {
  // A card is a top-level message; thread replies to other cards go to the same channel.
  const call = await h.slack.waitFor(
    "chat.postMessage",
    (args) => args.channel === APPROVAL_CHANNEL && !args.thread_ts,
    { after },
  );
  const ts = (call.response as { ts?: string }).ts;
  const card = ts ? h.slack.message(APPROVAL_CHANNEL, ts) : undefined;
  if (!card) throw new Error("approval card not found");
  return card;
}

/** The card as it is now (after updates). */
export function currentCard(h: Harness, card: SlackMessage): SlackMessage {
  const now = h.slack.message(APPROVAL_CHANNEL, card.ts);
  if (!now) throw new Error("card vanished");
  return now;
}

export function threadTexts(h: Harness, card: SlackMessage): string[] {
  return h.slack.thread(APPROVAL_CHANNEL, card.ts).map((message) => message.text ?? "");
}

/** Runs `/rds-backup <text>` and returns what came back on that command's own response URL. */
export async function commandReply(
  h: Harness,
  userId: string,
  text: string,
  channelId = REQUEST_CHANNEL,
): Promise<string> {
  const command = await h.user.slashCommand({ userId, channelId, text });
  const post = await h.slack.waitFor(
    "response_url",
    (_args, call) => call.responseUrlId === command.responseUrlId,
  );
  return String((post.args as { text?: string }).text ?? "");
}

/** Files a request with the inline command and returns its card. */
export async function fileInline(h: Harness, userId: string, text: string): Promise<SlackMessage> {
  const after = h.slack.calls.length;
  const result = await h.user.slashCommand({ userId, channelId: REQUEST_CHANNEL, text });
  if (result.status !== 200) throw new Error(`command answered ${result.status}`);
  return waitForCard(h, after);
}

/** Polls an async condition until it gives a value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = "the condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until every queued Slack message has been delivered. The outbox keeps Slack's pace of
 * about one post a second per channel, so a few requests with busy threads take a while.
 */
export async function settle(h: Harness, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await h.bot.store.outboxEmpty())) {
    if (Date.now() > deadline) throw new Error("messages still queued after the wait");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
