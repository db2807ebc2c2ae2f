/**
 * Random and hostile input through Slack, end to end on the stage: inline arguments, modal
 * submissions with values the form never offered, forged button values, mangled payloads. For
 * every one: an answer in time (never a 5xx), a clear answer to the person, no CreateBackup with
 * parameters RDS would refuse, and no unescaped mention or foreign link in anything the bot posted.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEngine } from "../../src/domain/engine.js";
import type { BackupRequest } from "../../src/domain/request.js";
import { SEED } from "../../src/sandbox/rds-emulator.js";
import type { SlackMessage, SlackView } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  actionIdIn,
  eventually,
  type Harness,
  openModalFor,
  REQUEST_CHANNEL,
  settle,
  startHarness,
  USERS,
} from "../e2e/harness.js";
import { apiRefusal, unescapedMarkup } from "./api-rules.js";
import { anyText, inlineText, markup, PARAM_KEYS, type ParamKey, paramValue, userId } from "./arbitraries.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const REQUEST_ID = /req-[0-9a-hjkmnp-tv-z]{10}/g;
/** Hosts the bot links to: Slack permalinks and Alibaba Cloud's diagnosis pages. */
const ALLOWED_HOSTS = new Set(["emulator.slack.com", "api.aliyun.com"]);

let h: Harness;
/** User ids the tests sent in payloads: the only people the bot may mention. */
const sentUserIds = new Set<string>(Object.values(USERS));
/** An instance nothing else uses, with a pending request whose card the click properties aim at. */
const PENDING_INSTANCE = "rm-fuzzpending01";
let pendingCard: SlackMessage;

beforeAll(async () => {
  // Jobs finish at once and there is no daily cap, so many approvals can run CreateBackup.
  h = await startHarness({
    rds: { defaultJobSteps: [{ status: "Finished", process: 100 }], maxBackupsPerDay: 1_000_000 },
  });
  h.rds.addInstance({ id: PENDING_INSTANCE, engine: "MySQL", databases: ["app"] });
  const command = await h.user.slashCommand({
    userId: USERS.requester,
    channelId: REQUEST_CHANNEL,
    text: PENDING_INSTANCE,
  });
  expect(command.status).toBe(200);
  const call = await h.slack.waitFor("chat.postMessage", { channel: APPROVAL_CHANNEL });
  const card = h.slack.message(APPROVAL_CHANNEL, String(call.response?.ts));
  if (!card) throw new Error("no card");
  pendingCard = card;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

function cardOf(requestId: string): SlackMessage | undefined {
  return h.slack
    .messages(APPROVAL_CHANNEL)
    .find((message) => !message.thread_ts && JSON.stringify(message.blocks).includes(requestId));
}

/** Approves a freshly filed request (as someone allowed to), and waits for its outcome. */
async function approveFiled(request: BackupRequest): Promise<void> {
  const card = await h.slack.waitUntil(() => cardOf(request.id), 5_000, `the card of ${request.id}`);
  const approver = request.requesterId === USERS.approver ? USERS.approver2 : USERS.approver;
  const click = await h.user.clickButton({ userId: approver, message: card, actionId: "approve_backup" });
  expect(click.status).toBe(200);
  await eventually(
    async () => {
      const now = await h.bot.store.get(request.id);
      return now && now.state !== "approved" && (now.state !== "pending" || now.preflight) ? now : undefined;
    },
    15_000,
    `an outcome for ${request.id}`,
  );
}

/**
 * Every CreateBackup RDS received carries parameters RDS accepts. (Whether each named database
 * exists on the instance is not checked here: the bot does not check it either, which is reported
 * separately — a request naming a database the instance lacks fails at CreateBackup.)
 */
function expectOnlyValidCreates(): void {
  for (const call of h.rds.calls.filter((c) => c.action === "CreateBackup")) {
    const instance = h.rds.instance(call.params.DBInstanceId ?? "");
    expect(instance, `CreateBackup for an instance that exists: ${call.params.DBInstanceId}`).toBeDefined();
    if (!instance) continue;
    const engine = parseEngine(instance.engine);
    expect(engine, `a supported engine: ${instance.engine}`).toBeDefined();
    if (!engine) continue;
    expect(
      apiRefusal({ engine, storageType: instance.storageType }, call.params),
      JSON.stringify(call.params),
    ).toBeUndefined();
  }
}

function createsFor(instanceId: string): number {
  return h.rds.calls.filter((c) => c.action === "CreateBackup" && c.params.DBInstanceId === instanceId)
    .length;
}

function expectNoMarkupSince(from: number): void {
  expect(unescapedMarkup(h.slack.calls.slice(from), sentUserIds, ALLOWED_HOSTS)).toEqual([]);
}

describe("inline arguments: /rds-backup <anything>", () => {
  it("always answers in time and clearly; what it files is valid", async () => {
    await fc.assert(
      fc.asyncProperty(inlineText, userId, async (text, user) => {
        const from = h.slack.calls.length;
        const known = new Set((await h.bot.store.list({ limit: 1000 })).map((r) => r.id));
        const command = await h.user.slashCommand({ userId: user, channelId: REQUEST_CHANNEL, text });
        expect(command.status).toBe(200);
        expect(command.slackErrors).toEqual([]);
        if (text.trim() === "") {
          await h.slack.waitFor("views.open", { trigger_id: command.triggerId });
        } else {
          await h.slack.waitUntil(
            () => h.slack.responses(command.responseUrlId).length > 0,
            8_000,
            "an answer",
          );
          const answer = h.slack.responses(command.responseUrlId)[0]?.body;
          expect(answer?.response_type).toBe("ephemeral");
          expect(String(answer?.text ?? "").trim()).not.toBe("");
        }
        // Whatever was filed gets approved: its CreateBackup must be one RDS accepts.
        for (const request of await h.bot.store.list({ limit: 1000 })) {
          if (!known.has(request.id) && request.state === "pending") await approveFiled(request);
        }
        expectOnlyValidCreates();
        expectNoMarkupSince(from);
      }),
      { numRuns: RUNS },
    );
  }, 240_000);
});

/** The view's select options for a block, if it is a select. */
function offered(view: SlackView, blockId: string): string[] {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  const element = (block as { element?: { options?: { value: string }[] } } | undefined)?.element;
  return (element?.options ?? []).map((option) => option.value);
}

describe("modal submissions with values the form never offered", () => {
  const instances = [
    SEED.mysql,
    SEED.mysqlCloud,
    SEED.postgres,
    SEED.sqlServer,
    SEED.sqlServerLocal,
    SEED.mariadb,
  ];

  it("answers in time with field errors on the form's own blocks, or files something valid", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...instances),
        fc.array(fc.tuple(fc.constantFrom("BackupMethod", "BackupType", "BackupStrategy"), fc.nat()), {
          maxLength: 3,
        }),
        fc
          .dictionary(fc.constantFrom(...PARAM_KEYS), fc.constant(true))
          .chain((chosen) =>
            fc.record(
              Object.fromEntries(
                Object.keys(chosen).map((key) => [key, paramValue(key as ParamKey)]),
              ) as Record<string, fc.Arbitrary<string>>,
            ),
          ),
        async (instanceId, steps, values) => {
          const from = h.slack.calls.length;
          let view = await openModalFor(h, USERS.requester, instanceId);
          // Pick offered options first (each re-renders the form), as a person would.
          for (const [blockId, pick] of steps) {
            const options = offered(view, blockId);
            if (options.length === 0) continue;
            const before = h.slack.calls.length;
            await h.user.actInView({
              userId: USERS.requester,
              view,
              actionId: actionIdIn(view, blockId),
              blockId,
              value: options[pick % options.length] ?? null,
            });
            await h.slack.waitFor("views.update", undefined, { after: before });
            view = h.slack.currentView(USERS.requester) ?? view;
          }
          const present = new Set(view.blocks.map((block) => block.block_id));
          const entered = Object.fromEntries(Object.entries(values).filter(([key]) => present.has(key)));
          const known = new Set((await h.bot.store.list({ limit: 1000 })).map((r) => r.id));
          const submitted = await h.user.submitView({
            userId: USERS.requester,
            view,
            values: entered,
            bypassClientChecks: true,
          });
          expect(submitted.status).toBe(200);
          expect(submitted.slackErrors).toEqual([]);
          const filed = (await h.bot.store.list({ limit: 1000 })).filter((r) => !known.has(r.id));
          if (submitted.responseAction === "errors") {
            expect(filed).toEqual([]);
            const errors = submitted.errors ?? {};
            expect(Object.keys(errors).length).toBeGreaterThan(0);
            for (const [blockId, message] of Object.entries(errors)) {
              expect(present.has(blockId), `error on ${blockId}`).toBe(true);
              expect(message.trim()).not.toBe("");
            }
          } else {
            expect(filed).toHaveLength(1);
            for (const request of filed) await approveFiled(request);
          }
          expectOnlyValidCreates();
          expectNoMarkupSince(from);
        },
      ),
      { numRuns: RUNS },
    );
  }, 240_000);
});

describe("forged button values", () => {
  const forged = fc.oneof(
    anyText,
    markup,
    fc.constantFrom("req-0000000000", "req-", "REQ-ABCDEFGHJK", "req-abcdefghjk ", "req-abcdefghjk\u0000"),
    fc.stringMatching(/^req-[0-9a-z]{10}$/),
  );

  it("answers every click privately and changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        forged,
        fc.constantFrom("approve_backup", "reject_backup", "cancel_backup"),
        userId,
        async (value, actionId, user) => {
          fc.pre(!cardOf(value.trim()) && !value.includes(JSON.stringify(pendingCard.blocks)));
          const from = h.slack.calls.length;
          const creates = createsFor(PENDING_INSTANCE);
          const click = await h.user.clickButton({ userId: user, message: pendingCard, actionId, value });
          expect(click.status).toBe(200);
          expect(click.slackErrors).toEqual([]);
          await h.slack.waitUntil(
            () => click.responseUrlId && h.slack.responses(click.responseUrlId).length > 0,
            8_000,
            "an answer to the click",
          );
          const answer = click.responseUrlId ? h.slack.responses(click.responseUrlId)[0]?.body : undefined;
          expect(answer?.response_type).toBe("ephemeral");
          expect(String(answer?.text ?? "").trim()).not.toBe("");
          expect(createsFor(PENDING_INSTANCE)).toBe(creates);
          expectNoMarkupSince(from);
        },
      ),
      { numRuns: RUNS },
    );
    const request = await h.bot.store.get(
      String(pendingCard.blocks && JSON.stringify(pendingCard.blocks).match(REQUEST_ID)?.[0]),
    );
    expect(request?.state).toBe("pending");
  }, 240_000);
});

describe("everything the bot posted during this file", () => {
  it("carries no unescaped mention, special mention or foreign link", async () => {
    await settle(h);
    expect(unescapedMarkup(h.slack.calls, sentUserIds, ALLOWED_HOSTS)).toEqual([]);
  });
});
