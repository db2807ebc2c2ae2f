/**
 * What every fault test checks once the fault has passed: the bot still serves, every request is
 * in a correct final state, RDS holds at most one backup per approved request and the bot knows
 * each of them, and each thread announces its job exactly once.
 */
import { expect } from "vitest";
import type { BackupRequest } from "../../src/domain/request.js";
import type { SlackMessage } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  eventually,
  type Harness,
  REQUEST_CHANNEL,
  settle,
  USERS,
} from "../e2e/harness.js";
import { announcesJob } from "./announcements.js";

export { announcesJob };

/** States a request may rest in once nothing more is happening. `approved` is not one. */
export const RESTING_STATES: readonly BackupRequest["state"][] = [
  "pending",
  "submitted",
  "succeeded",
  "failed",
  "needs_attention",
  "rejected",
  "cancelled",
  "expired",
];

let instanceCounter = 0;

/** A fresh MySQL instance on the emulator, so each scenario's backups can be told apart. */
export function freshInstance(h: Harness): string {
  instanceCounter += 1;
  const id = `rm-fault${String(instanceCounter).padStart(4, "0")}${Math.random().toString(36).slice(2, 6)}`;
  h.rds.addInstance({ id, engine: "MySQL", engineVersion: "8.0", databases: ["app"] });
  return id;
}

export interface Filed {
  card: SlackMessage;
  requestId: string;
  instanceId: string;
}

export function requestIdOf(card: SlackMessage): string {
  const id = /req-[0-9a-hjkmnp-tv-z]{10}/.exec(JSON.stringify(card.blocks))?.[0];
  if (!id) throw new Error(`card ${card.ts} names no request`);
  return id;
}

/**
 * Files a request for `instanceId` inline and returns its card: the card that names the instance
 * (so requests filed at the same time are not mixed up).
 */
export async function file(h: Harness, instanceId: string): Promise<Filed> {
  const result = await h.user.slashCommand({
    userId: USERS.requester,
    channelId: REQUEST_CHANNEL,
    text: instanceId,
  });
  expect(result.status).toBe(200);
  const call = await h.slack.waitFor(
    "chat.postMessage",
    (args) =>
      args.channel === APPROVAL_CHANNEL &&
      !args.thread_ts &&
      JSON.stringify(args.blocks ?? "").includes(instanceId),
    10_000,
  );
  const ts = typeof call.response?.ts === "string" ? call.response.ts : "";
  const card = h.slack.message(APPROVAL_CHANNEL, ts);
  if (!card) throw new Error(`the card of ${instanceId} is not in the channel`);
  return { card, requestId: requestIdOf(card), instanceId };
}

export async function approve(h: Harness, filed: Filed, userId: string = USERS.approver) {
  const click = await h.user.clickButton({ userId, message: filed.card, actionId: "approve_backup" });
  expect(click.status).toBe(200);
  expect(click.slackErrors).toEqual([]);
  return click;
}

/** Waits until the request has left `pending`/`approved` (or `timeoutMs` passes). */
export async function outcomeOf(h: Harness, requestId: string, timeoutMs = 20_000): Promise<BackupRequest> {
  return eventually(
    async () => {
      const request = await h.bot.store.get(requestId);
      return request && request.state !== "pending" && request.state !== "approved" ? request : undefined;
    },
    timeoutMs,
    `an outcome for ${requestId}`,
  );
}

export function threadOf(h: Harness, card: SlackMessage): string[] {
  return h.slack.thread(APPROVAL_CHANNEL, card.ts).map((message) => message.text ?? "");
}

/** CreateBackup calls RDS answered with a job id. */
export function acceptedCreates(h: Harness, instanceId?: string): number {
  return h.rds.calls.filter(
    (call) =>
      call.action === "CreateBackup" &&
      call.result === 200 &&
      (instanceId === undefined || call.params.DBInstanceId === instanceId),
  ).length;
}

/** The bot answers /healthz and a command, inside Slack's 3 seconds. */
export async function stillServes(h: Harness): Promise<void> {
  const health = await fetch(`http://127.0.0.1:${h.config.port}/healthz`);
  expect(health.status).toBe(200);
  const help = await h.user.slashCommand({
    userId: USERS.outsider,
    channelId: REQUEST_CHANNEL,
    text: "help",
  });
  expect(help.status).toBe(200);
  expect(help.slackErrors).toEqual([]);
  await h.slack.waitUntil(
    () => h.slack.responses(help.responseUrlId).length > 0,
    5_000,
    "the answer to /rds-backup help",
  );
}

/**
 * The end state after a fault, for the requests the test filed: none stuck in `approved`; each
 * one's instance got at most one backup job, which the store names; the thread announces a job
 * exactly when the request has one, and exactly once (after the outbox was emptied: a job still
 * being followed may queue more later).
 */
export async function expectConsistent(h: Harness, filed: readonly Filed[]): Promise<BackupRequest[]> {
  await settle(h, 25_000);
  const requests: BackupRequest[] = [];
  for (const one of filed) {
    const request = await h.bot.store.get(one.requestId);
    expect(request, one.requestId).toBeDefined();
    if (!request) continue;
    requests.push(request);
    expect(RESTING_STATES, `${one.requestId} rests in ${request.state}`).toContain(request.state);
    const jobs = h.rds.jobs(one.instanceId);
    expect(jobs.length, `backup jobs on ${one.instanceId}`).toBeLessThanOrEqual(1);
    expect(acceptedCreates(h, one.instanceId)).toBeLessThanOrEqual(1);
    const job = jobs[0];
    if (request.state === "submitted" || request.state === "succeeded") {
      expect(job, `the job of ${one.requestId}`).toBeDefined();
      expect(request.backupJobId).toBe(job?.backupJobId);
    }
    if (job && request.state !== "needs_attention") {
      // A job exists: the bot must know it (nothing lost), unless it honestly asked a person.
      expect(request.backupJobId, `${one.requestId} knows job ${job.backupJobId}`).toBe(job.backupJobId);
    }
    const thread = threadOf(h, one.card);
    const announced = job ? thread.filter((text) => announcesJob(text, job.backupJobId)).length : 0;
    expect(announced, `announcements of ${job?.backupJobId ?? "no job"}`).toBe(request.backupJobId ? 1 : 0);
  }
  return requests;
}
