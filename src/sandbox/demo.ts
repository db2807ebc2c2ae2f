/**
 * `npm run demo`: the whole flow on the built-in emulators, no account and no network. Plays a
 * request → approval → job id, a request with a reason and its rejection (in Japanese), a failure,
 * a backup approved now that runs at a set time, a request nobody decides, whose approvers are
 * reminded, and an approval from the bot's Home tab; and prints what each person would see in Slack.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED } from "./rds-emulator.js";
import { blockText, type SlackMessage } from "./slack-emulator.js";
import { APPROVAL_CHANNEL, DBA_GROUP, REQUEST_CHANNEL, type Stage, startStage, USERS } from "./stage.js";

const PEOPLE = {
  alice: "U0REQUESTER",
  kenji: "U0JAREQUEST",
  bob: "U0APPROVER1",
  mallory: "U0OUTSIDER1",
} as const;
const NAMES: Record<string, string> = {
  [PEOPLE.alice]: "Alice (SRE, en-US)",
  [PEOPLE.kenji]: "Kenji (DBA, ja-JP)",
  [PEOPLE.bob]: "Bob (approver)",
  [PEOPLE.mallory]: "Mallory (not an approver)",
  U0APPROVER2: "Carol (approver)",
};

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[0m` : text);
const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[0m` : text);

/** Slack markup made readable in a terminal. */
function readable(text: string): string {
  return (
    text
      .replace(/<@([A-Z0-9]+)>/g, (_, id: string) => `@${NAMES[id]?.split(" ")[0] ?? id}`)
      .replace(/<!subteam\^([A-Z0-9]+)>/g, (_, id: string) => (id === DBA_GROUP ? "@dba-team" : `@${id}`))
      .replace(/<#([A-Z0-9]+)>/g, (_, id: string) => (id === APPROVAL_CHANNEL ? "#rds-approvals" : "#db-ops"))
      .replace(/<(https?:[^|>]+)\|?[^>]*>/g, "$1")
      // A date token, as a client that cannot render it would show it: its fallback.
      .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, "$1")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
  );
}

function indent(text: string, prefix = "    │ "): string {
  return readable(text)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

function scene(title: string): void {
  process.stdout.write(`\n${bold(`━━ ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`)}\n`);
}

function say(who: string, what: string): void {
  process.stdout.write(`\n${bold(NAMES[who] ?? who)} ${dim(what)}\n`);
}

function show(label: string, text: string): void {
  process.stdout.write(`  ${label}\n${indent(text)}\n`);
}

function messageText(message: SlackMessage | { text?: string; blocks?: unknown }): string {
  const blocks = (message as { blocks?: unknown }).blocks;
  return Array.isArray(blocks) && blocks.length > 0 ? blockText(blocks) : String(message.text ?? "");
}

/** A new approval card: a top-level post in the approval channel (thread replies go there too). */
const isCard = (args: Record<string, unknown>): boolean =>
  args.channel === APPROVAL_CHANNEL && !args.thread_ts;

async function lastResponse(stage: Stage, after: number): Promise<string> {
  const call = await stage.slack.waitFor("response_url", () => true, { after });
  return String((call.args as { text?: string }).text ?? "");
}

async function newThreadReplies(
  stage: Stage,
  card: SlackMessage,
  seen: number,
  want: number,
): Promise<SlackMessage[]> {
  const replies = await stage.slack.waitUntil(() => {
    const thread = stage.slack.thread(APPROVAL_CHANNEL, card.ts);
    return thread.length >= seen + want ? thread : undefined;
  }, 10_000);
  await stage.bot.dispatcher.flush();
  return stage.slack.thread(APPROVAL_CHANNEL, card.ts).slice(seen, Math.max(seen + want, replies.length));
}

async function play(stage: Stage): Promise<void> {
  const { slack, user } = stage;

  scene("1. Alice asks for a logical backup of two databases, through the form");
  say(PEOPLE.alice, "types /rds-backup in #db-ops");
  let after = slack.calls.length;
  await user.slashCommand({ userId: PEOPLE.alice, channelId: REQUEST_CHANNEL, text: "" });
  await slack.waitFor("views.open", () => true, { after });
  let view = slack.currentView(PEOPLE.alice);
  if (!view) throw new Error("the modal did not open");
  show("a form opens:", `${view.title?.text ?? ""}\n${blockText(view.blocks)}`);
  // Right after start-up the picker may answer "RDS did not answer in time" (the SDK is still
  // loading): like a person, ask again until the list is there.
  const form = view;
  const askForOptions = () =>
    user.requestOptions({
      userId: PEOPLE.alice,
      view: form,
      actionId: "value",
      blockId: "DBInstanceId",
      query: "",
    });
  let options = await askForOptions();
  for (let tries = 1; tries < 20 && !options.options.some((o) => o.value === SEED.mysql); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    options = await askForOptions();
  }
  say(
    PEOPLE.alice,
    `opens the instance picker (${options.options.length} instances listed) and picks ${SEED.mysql}`,
  );
  after = slack.calls.length;
  await user.actInView({
    userId: PEOPLE.alice,
    view,
    actionId: "value",
    blockId: "DBInstanceId",
    value: SEED.mysql,
  });
  await slack.waitFor("views.update", () => true, { after });
  view = slack.currentView(PEOPLE.alice);
  if (!view) throw new Error("the modal closed");
  const actionOf = (blockId: string) => {
    const element = view?.blocks.find((block) => block.block_id === blockId)?.element as {
      action_id?: string;
    };
    return element?.action_id ?? "value";
  };
  say(PEOPLE.alice, "chooses Logical, then Database, and ticks orders and customers");
  after = slack.calls.length;
  await user.actInView({
    userId: PEOPLE.alice,
    view,
    actionId: actionOf("BackupMethod"),
    blockId: "BackupMethod",
    value: "Logical",
  });
  await slack.waitFor("views.update", () => true, { after });
  view = slack.currentView(PEOPLE.alice) ?? view;
  after = slack.calls.length;
  await user.actInView({
    userId: PEOPLE.alice,
    view,
    actionId: actionOf("BackupStrategy"),
    blockId: "BackupStrategy",
    value: "db",
  });
  await slack.waitFor("views.update", () => true, { after });
  view = slack.currentView(PEOPLE.alice) ?? view;
  show("the form now shows only what MySQL supports:", blockText(view.blocks));
  after = slack.calls.length;
  await user.submitView({ userId: PEOPLE.alice, view, values: { DBName: ["orders", "customers"] } });
  const cardCall = await slack.waitFor("chat.postMessage", isCard, { after });
  const cardTs = String((cardCall.response as { ts?: string }).ts);
  await stage.bot.dispatcher.flush();
  const card = slack.message(APPROVAL_CHANNEL, cardTs);
  if (!card) throw new Error("no approval card");
  show("#rds-approvals gets the approval card:", messageText(card));
  const ephemeral = await slack.waitUntil(() => slack.ephemerals(PEOPLE.alice, REQUEST_CHANNEL).at(-1));
  show("Alice sees (only she can see it):", messageText(ephemeral));

  scene("2. Someone who is not an approver clicks Approve");
  say(PEOPLE.mallory, "clicks Approve");
  await user.clickButton({ userId: PEOPLE.mallory, message: card, actionId: "approve_backup" });
  const refused = await slack.waitUntil(() => slack.ephemerals(PEOPLE.mallory).at(-1));
  show("Mallory sees (only she can see it):", messageText(refused));

  scene("3. Bob approves: CreateBackup runs once and the job id lands in the thread");
  say(PEOPLE.bob, "clicks Approve and confirms");
  await user.clickButton({ userId: PEOPLE.bob, message: card, actionId: "approve_backup" });
  const replies = await newThreadReplies(stage, card, 0, 2);
  for (const reply of replies) show("thread reply:", messageText(reply));
  const updated = slack.message(APPROVAL_CHANNEL, card.ts);
  if (updated) show("the card, updated in place (no buttons any more):", messageText(updated));
  const dm = await slack.waitUntil(() => slack.dms(PEOPLE.alice).at(-1));
  show("Alice gets a direct message:", messageText(dm));
  process.stdout.write(
    dim(`  (the RDS emulator received CreateBackup ${stage.rds.count("CreateBackup")} time)\n`),
  );

  scene("4. Kenji files from the command line, saying why; Bob rejects with a reason (in Kenji's language)");
  // The requester's reason, in double quotes because it has spaces: the card shows it to the approvers.
  const kenjiAsks = `${SEED.postgres} method=Snapshot reason="v2.3 リリース前の スナップショット"`;
  say(PEOPLE.kenji, `types /rds-backup ${kenjiAsks}`);
  after = slack.calls.length;
  await user.slashCommand({ userId: PEOPLE.kenji, channelId: REQUEST_CHANNEL, text: kenjiAsks });
  show("Kenji sees:", await lastResponse(stage, after));
  const kenjiCardCall = await slack.waitFor("chat.postMessage", isCard, { after });
  await stage.bot.dispatcher.flush();
  const kenjiCard = slack.message(APPROVAL_CHANNEL, String((kenjiCardCall.response as { ts?: string }).ts));
  if (!kenjiCard) throw new Error("no card for Kenji");
  show("#rds-approvals gets the card, in Kenji's language:", messageText(kenjiCard));
  say(PEOPLE.bob, "clicks Reject and writes a reason");
  after = slack.calls.length;
  await user.clickButton({ userId: PEOPLE.bob, message: kenjiCard, actionId: "reject_backup" });
  await slack.waitFor("views.open", () => true, { after });
  const rejectView = slack.currentView(PEOPLE.bob);
  if (!rejectView) throw new Error("no reject modal");
  await user.submitView({
    userId: PEOPLE.bob,
    view: rejectView,
    values: { reason: "月末の締め処理中なので、明日の朝に再申請してください" },
  });
  for (const reply of await newThreadReplies(stage, kenjiCard, 0, 1))
    show("thread reply:", messageText(reply));
  process.stdout.write(
    dim(`  (CreateBackup calls so far: ${stage.rds.count("CreateBackup")}: a rejection calls nothing)\n`),
  );

  scene("5. Alice tries an instance that is busy: a translated, actionable error");
  say(
    PEOPLE.alice,
    `types /rds-backup ${SEED.mysqlCloud} and Bob approves, but a backup is already running there`,
  );
  after = slack.calls.length;
  await user.slashCommand({ userId: PEOPLE.alice, channelId: REQUEST_CHANNEL, text: SEED.mysqlCloud });
  const failCardCall = await slack.waitFor("chat.postMessage", isCard, { after });
  await stage.bot.dispatcher.flush();
  const failCard = slack.message(APPROVAL_CHANNEL, String((failCardCall.response as { ts?: string }).ts));
  if (!failCard) throw new Error("no card");
  stage.rds.failNext("CreateBackup", { code: "BackupJobExists" });
  await user.clickButton({ userId: PEOPLE.bob, message: failCard, actionId: "approve_backup" });
  for (const reply of await newThreadReplies(stage, failCard, 0, 2))
    show("thread reply:", messageText(reply));
  const failed = slack.message(APPROVAL_CHANNEL, failCard.ts);
  if (failed) show("the card now reads:", messageText(failed));

  scene("6. A typo on the command line: every problem listed, nothing filed");
  say(PEOPLE.alice, `types /rds-backup ${SEED.postgres} method=Logical retention=3`);
  after = slack.calls.length;
  await user.slashCommand({
    userId: PEOPLE.alice,
    channelId: REQUEST_CHANNEL,
    text: `${SEED.postgres} method=Logical retention=3`,
  });
  show("Alice sees:", await lastResponse(stage, after));

  scene("7. Approve now, run at the right time: Alice asks for a backup a few seconds from now");
  const startAt = new Date(Math.ceil((Date.now() + 8_000) / 1000) * 1000);
  const at = startAt.toISOString().replace(".000Z", "Z");
  say(PEOPLE.alice, `types /rds-backup ${SEED.sqlServer} at=${at}`);
  after = slack.calls.length;
  await user.slashCommand({
    userId: PEOPLE.alice,
    channelId: REQUEST_CHANNEL,
    text: `${SEED.sqlServer} at=${at}`,
  });
  show("Alice sees:", await lastResponse(stage, after));
  const laterCardCall = await slack.waitFor("chat.postMessage", isCard, { after });
  await stage.bot.dispatcher.flush();
  const laterCard = slack.message(APPROVAL_CHANNEL, String((laterCardCall.response as { ts?: string }).ts));
  if (!laterCard) throw new Error("no card for the scheduled request");
  show("#rds-approvals gets the card, saying when it will run:", messageText(laterCard));
  say(PEOPLE.bob, "approves at once; nothing runs yet");
  await user.clickButton({ userId: PEOPLE.bob, message: laterCard, actionId: "approve_backup" });
  for (const reply of await newThreadReplies(stage, laterCard, 0, 1))
    show("thread reply:", messageText(reply));
  const scheduledCard = slack.message(APPROVAL_CHANNEL, laterCard.ts);
  if (scheduledCard) show("the card, with a button to cancel until it starts:", messageText(scheduledCard));
  const before = stage.rds.count("CreateBackup");
  process.stdout.write(
    dim(`  (CreateBackup calls so far: ${before})
`),
  );
  say(PEOPLE.alice, "waits; at its time the bot checks the instance again and starts the backup");
  const started = await stage.slack.waitUntil(
    () =>
      stage.slack
        .thread(APPROVAL_CHANNEL, laterCard.ts)
        .find((reply) => (reply.text ?? "").includes("Backup started")),
    30_000,
  );
  show("thread reply:", messageText(started));
  process.stdout.write(
    dim(
      `  (CreateBackup called ${stage.rds.count("CreateBackup") - before} time, at ${new Date().toISOString().slice(11, 19)} UTC for ${at})\n`,
    ),
  );
}

/**
 * The demo's approval policy: the environment's rule for every instance (`fallback: env`), except
 * the MariaDB one, whose requests remind their approvers after 2 s and live 7.2 s, so a whole
 * request's reminders fit in a few seconds (in real life: `remind_after: 30m` and hours).
 */
function demoPolicy(): string {
  return [
    "rules:",
    "  - name: reminders-demo",
    `    match: { instances: [${SEED.mariadb}] }`,
    `    approvers: { users: [${USERS.approver}, ${USERS.approver2}], groups: [${DBA_GROUP}] }`,
    "    remind_after: 2s",
    "    max_wait_hours: 0.002",
    "fallback: env",
    "",
  ].join("\n");
}

async function reminders(stage: Stage): Promise<void> {
  const { slack, user } = stage;
  scene("8. Nobody decides: the approvers are reminded in the thread, then given a last call");
  say(PEOPLE.alice, `types /rds-backup ${SEED.mariadb}; Bob and Carol are busy`);
  const after = slack.calls.length;
  await user.slashCommand({ userId: PEOPLE.alice, channelId: REQUEST_CHANNEL, text: SEED.mariadb });
  const cardCall = await slack.waitFor("chat.postMessage", isCard, { after });
  const card = slack.message(APPROVAL_CHANNEL, String((cardCall.response as { ts?: string }).ts));
  if (!card) throw new Error("no card for the request nobody decides");
  process.stdout.write(
    dim(
      "  (this instance's policy rule says remind_after: 2s and lets a request wait 7 s, to keep the demo short)\n",
    ),
  );
  const replies = await stage.slack.waitUntil(() => {
    const thread = slack.thread(APPROVAL_CHANNEL, card.ts);
    return thread.length >= 2 ? thread : undefined;
  }, 20_000);
  show(
    "thread reply, once it has waited 2 s (Slack notifies everyone it mentions):",
    messageText(replies[0] ?? {}),
  );
  show("thread reply, shortly before it expires:", messageText(replies[1] ?? {}));
  process.stdout.write(
    dim("  (each reminder is posted once, whatever the number of replicas or restarts)\n"),
  );
}

/** Opens the person's Home tab (Slack sends app_home_opened) and returns it once published. */
async function openHome(stage: Stage, userId: string): Promise<string> {
  const after = stage.slack.calls.length;
  await stage.user.openHomeTab({ userId });
  await stage.slack.waitFor("views.publish", { user_id: userId }, { after, timeoutMs: 10_000 });
  return blockText(stage.slack.homeView(userId)?.blocks ?? []);
}

async function homeScene(stage: Stage): Promise<void> {
  const { slack, user } = stage;
  scene("9. The Home tab: what waits for Bob, and an approval from there");
  // The request nobody decided (scene 8) runs out within seconds: let it expire first, so the tab
  // shows what this scene files.
  const runningOut = (await stage.bot.store.list({ states: ["pending"], limit: 10 })).filter(
    (request) => request.expiresAt.getTime() - Date.now() < 30_000,
  );
  const last = Math.max(0, ...runningOut.map((request) => request.expiresAt.getTime()));
  if (last > Date.now()) await new Promise((resolve) => setTimeout(resolve, last - Date.now() + 200));
  await stage.bot.housekeeping();
  say(PEOPLE.mallory, `types /rds-backup ${SEED.postgres} method=Snapshot`);
  let after = slack.calls.length;
  await user.slashCommand({
    userId: PEOPLE.mallory,
    channelId: REQUEST_CHANNEL,
    text: `${SEED.postgres} method=Snapshot`,
  });
  const cardCall = await slack.waitFor("chat.postMessage", isCard, { after });
  await stage.bot.dispatcher.flush();
  const card = slack.message(APPROVAL_CHANNEL, String((cardCall.response as { ts?: string }).ts));
  if (!card) throw new Error("no card for the Home scene");
  say(PEOPLE.bob, "opens the bot's Home tab in Slack");
  show("Bob's Home tab:", await openHome(stage, PEOPLE.bob));
  say(PEOPLE.bob, "clicks Approve there and confirms: the same decision as on the card");
  after = slack.calls.length;
  await user.clickInHome({ userId: PEOPLE.bob, actionId: "approve_backup" });
  const started = await slack.waitUntil(
    () =>
      slack.thread(APPROVAL_CHANNEL, card.ts).find((reply) => (reply.text ?? "").includes("Backup started")),
    15_000,
  );
  show("in the card's thread, as always:", messageText(started));
  await slack.waitFor("views.publish", { user_id: PEOPLE.bob }, { after, timeoutMs: 10_000 });
  const waiting = blockText(slack.homeView(PEOPLE.bob)?.blocks ?? []).split("Your requests")[0] ?? "";
  show("Bob's Home tab, published again by the bot (the request left his list):", waiting);
  say(PEOPLE.alice, "opens her Home tab");
  show("Alice's Home tab:", await openHome(stage, PEOPLE.alice));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rds-backup-bot-demo-"));
  process.stdout.write(
    `${bold("rds-backup-bot demo")}: the real bot on built-in Slack and RDS emulators (127.0.0.1 only).\n` +
      dim("Every Slack message below was rendered by the bot and received by the Slack emulator.\n"),
  );
  const policyFile = join(dir, "policy.yaml");
  writeFileSync(policyFile, demoPolicy());
  const stage = await startStage({
    databaseUrl: join(dir, "demo.sqlite"),
    env: { LOG_LEVEL: "warn", POLICY_FILE: policyFile },
  });
  try {
    await play(stage);
    await reminders(stage);
    await homeScene(stage);
    scene("Done");
    process.stdout.write(
      `Slack Web API calls made: ${stage.slack.calls.length}; RDS API calls: ${stage.rds.count()} ` +
        `(CreateBackup: ${stage.rds.count("CreateBackup")}).\n`,
    );
  } finally {
    await stage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
