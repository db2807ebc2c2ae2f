/**
 * One request's whole life as people drive it: `/rds-backup <instance>` → the card in the approval
 * channel → an approver clicks Approve → the job id in the card's thread. Used by the latency and
 * the memory phases, against a bot in this process or in a child.
 */
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import { APPROVAL_CHANNEL, REQUEST_CHANNEL, USERS } from "../../src/sandbox/stage.js";
import type { SignedPoster } from "./http.js";
import { approveClickBody, commandBody } from "./slack-requests.js";
import type { SlackWatcher } from "./watch.js";

export interface LifecycleContext {
  slack: SlackEmulator;
  poster: SignedPoster;
  watcher: SlackWatcher;
}

export interface FiledRequest {
  requestId: string;
  cardTs: string;
}

/** Files a request inline and waits for its card. */
export async function fileRequest(ctx: LifecycleContext, instanceId: string): Promise<FiledRequest> {
  const command = commandBody(ctx.slack, {
    userId: USERS.requester,
    channelId: REQUEST_CHANNEL,
    text: instanceId,
  });
  const reply = await ctx.poster.post(command.body);
  if (reply.status !== 200) throw new Error(`the command answered ${reply.status}: ${reply.text}`);
  const requestId = await ctx.watcher.requestIdFrom(command.responseUrlId);
  const card = await ctx.watcher.card(requestId);
  return { requestId, cardTs: card.ts };
}

/** Clicks Approve and waits for the job id in the thread; returns the milliseconds between. */
export async function approveAndWait(
  ctx: LifecycleContext,
  filed: FiledRequest,
): Promise<{ ms: number; jobId: string }> {
  const click = approveClickBody(ctx.slack, {
    userId: USERS.approver,
    channelId: APPROVAL_CHANNEL,
    messageTs: filed.cardTs,
    requestId: filed.requestId,
  });
  const announced = ctx.watcher.jobAnnounced(filed.cardTs);
  // If the click fails, nobody waits for the announcement: its time-out must not go unhandled.
  announced.catch(() => undefined);
  const started = performance.now();
  const reply = await ctx.poster.post(click.body);
  if (reply.status !== 200) throw new Error(`the click answered ${reply.status}: ${reply.text}`);
  const { jobId } = await announced;
  return { ms: performance.now() - started, jobId };
}

export async function lifecycle(ctx: LifecycleContext, instanceId: string): Promise<{ ms: number }> {
  const filed = await fileRequest(ctx, instanceId);
  return approveAndWait(ctx, filed);
}
