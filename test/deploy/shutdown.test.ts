/**
 * SIGTERM in the middle of a CreateBackup: the real bot (src/main.ts) runs as a child process
 * against the emulators; an approval starts CreateBackup, which the RDS emulator holds for 1.5 s;
 * the bot gets SIGTERM while it waits. It must refuse new work at once, let the call finish, store
 * its outcome, deliver the job id to the thread, and exit 0 — losing nothing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RdsEmulator, SEED, startRdsEmulator } from "../../src/sandbox/rds-emulator.js";
import type { SlackEmulator } from "../../src/sandbox/slack-emulator.js";
import {
  APPROVAL_CHANNEL,
  freePort,
  REQUEST_CHANNEL,
  SIGNING_SECRET,
  stageEnv,
  startStageWorkspace,
  USERS,
} from "../../src/sandbox/stage.js";
import { openStore } from "../../src/store/open-store.js";

const repo = resolve(import.meta.dirname, "../..");

interface Bot {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  logs(): string[];
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
}

const answers = async (url: string) => (await fetch(url).catch(() => undefined))?.status === 200;

/** `node --import tsx src/main.ts`: the same as `npx tsx src/main.ts`, with no wrapper process
 * between the test and the bot, so SIGTERM reaches the bot itself as it would in a container. */
async function startBot(
  slack: SlackEmulator,
  rds: RdsEmulator,
  databaseUrl: string,
  home: string,
): Promise<Bot> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(repo, "src/main.ts")], {
    cwd: home, // no stray .env
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
      ...stageEnv({
        slackApiUrl: slack.apiUrl,
        rdsUrl: rds.url,
        databaseUrl,
        port,
        // As before: one approver (who approves here) and no user group.
        approverUserIds: [USERS.approver],
        approverGroupIds: [],
      }),
      // The test reads the process's whole output: info keeps it short.
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const bot = { child, port, exited, logs: () => output.split("\n").filter(Boolean) };
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  await until(
    async () => child.exitCode !== null || (await answers(`http://127.0.0.1:${port}/readyz`)),
    30_000,
    "the bot to be ready",
  );
  if (child.exitCode !== null) throw new Error(`the bot exited ${child.exitCode}:\n${output}`);
  return bot;
}

async function startWorld() {
  const slack = await startStageWorkspace();
  const rds = await startRdsEmulator();
  const dir = mkdtempSync(join(tmpdir(), "rdsbot-shutdown-"));
  cleanup.push(async () => {
    await slack.close();
    await rds.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const databaseUrl = join(dir, "bot.sqlite");
  const bot = await startBot(slack, rds, databaseUrl, dir);
  const user = slack.simulator({
    requestUrl: `http://127.0.0.1:${bot.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
  return { slack, rds, databaseUrl, bot, user };
}

describe("graceful shutdown (SIGTERM)", () => {
  it("with a CreateBackup in flight: finishes it, stores the job, posts the job id, refuses new work, exits 0", async () => {
    const { slack, rds, databaseUrl, bot, user } = await startWorld();

    // A request, filed and waiting on its card.
    const filed = await user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: SEED.mysql,
    });
    expect(filed.status).toBe(200);
    const post = await slack.waitFor("chat.postMessage", { channel: APPROVAL_CHANNEL }, 10_000);
    const card = slack.message(APPROVAL_CHANNEL, (post.response as { ts: string }).ts);
    if (!card) throw new Error("no approval card");

    // Approve while RDS takes 1.5 s to answer CreateBackup; SIGTERM as soon as the call is out.
    rds.failNext("CreateBackup", { fault: "delay", ms: 1500 });
    const click = await user.clickButton({
      userId: USERS.approver,
      message: card,
      actionId: "approve_backup",
    });
    expect(click.status).toBe(200);
    await until(() => rds.count("CreateBackup") === 1, 10_000, "CreateBackup to reach RDS");
    const signalledAt = Date.now();
    bot.child.kill("SIGTERM");

    // New work is refused while the call is still in flight: the HTTP server is closed.
    await until(
      async () => !(await answers(`http://127.0.0.1:${bot.port}/healthz`)),
      5_000,
      "the server to close",
    );
    const late = await user
      .slashCommand({ userId: USERS.requester, channelId: REQUEST_CHANNEL, text: SEED.postgres })
      .then((answer) => answer.status)
      .catch(() => "refused");
    expect(bot.child.exitCode, "still draining when the new request came").toBeNull();
    expect(late).not.toBe(200);

    const code = await bot.exited;
    const logs = bot.logs().join("\n");
    expect(code, logs).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(25_000);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1_000); // it did wait for the call
    expect(logs).toContain('"msg":"shutting down"');
    expect(logs).toContain('"msg":"rds-backup-bot stopped"');

    // Exactly one CreateBackup, and its outcome is in the store.
    expect(rds.count("CreateBackup")).toBe(1);
    const [job] = rds.jobs(SEED.mysql);
    expect(job?.backupJobId).toBeDefined();
    const store = await openStore(databaseUrl);
    try {
      const requests = await store.list({ limit: 10 });
      expect(requests).toHaveLength(1); // the late request was never filed
      const [request] = requests;
      expect(request?.state).toBe("submitted");
      expect(request?.backupJobId).toBe(job?.backupJobId);
      expect((await store.auditTrail(request?.id ?? "")).map((event) => event.type)).toContain("submitted");
      // Strict: the job id reached the thread before the bot went, and nothing waits in the outbox.
      const thread = slack.thread(APPROVAL_CHANNEL, card.ts).map((message) => message.text ?? "");
      expect(
        thread.filter((text) => text.includes(`${job?.backupJobId}`) && text.includes("Backup started")),
      ).toHaveLength(1);
      expect(await store.outboxEmpty()).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("while it waits out an unclear CreateBackup answer: stops waiting, exits 0 at once, leaves the request to the next start", async () => {
    const { slack, rds, databaseUrl, bot, user } = await startWorld();
    const filed = await user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: SEED.mysql,
    });
    expect(filed.status).toBe(200);
    const post = await slack.waitFor("chat.postMessage", { channel: APPROVAL_CHANNEL }, 10_000);
    const card = slack.message(APPROVAL_CHANNEL, (post.response as { ts: string }).ts);
    if (!card) throw new Error("no approval card");

    // Every CreateBackup answers HTTP 500: unclear, so the bot watches the listings (90 s).
    rds.failNext("CreateBackup", { code: "InternalError", httpStatus: 500 }, 10);
    await user.clickButton({ userId: USERS.approver, message: card, actionId: "approve_backup" });
    const thread = () => slack.thread(APPROVAL_CHANNEL, card.ts).map((message) => message.text ?? "");
    await until(
      () => thread().some((text) => text.includes("got no clear answer")),
      20_000,
      "the unclear answer",
    );
    const signalledAt = Date.now();
    bot.child.kill("SIGTERM");

    const code = await bot.exited;
    expect(code, bot.logs().join("\n")).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(rds.count("CreateBackup")).toBe(1);
    const store = await openStore(databaseUrl);
    try {
      const [request] = await store.list({ limit: 1 });
      expect(request?.state).toBe("approved");
      expect(request?.createCalls).toBe(1);
      expect(request?.start?.phase.kind).toBe("watching");
    } finally {
      await store.close();
    }
  }, 60_000);

  it("with a request being filed: files it, posts its card and tells the requester before exiting 0", async () => {
    const { slack, rds, databaseUrl, bot, user } = await startWorld();
    // The instance look-up takes 1 s; the command was acknowledged at once, so Slack considers it
    // received. SIGTERM lands while the look-up is under way.
    rds.failNext("DescribeDBInstanceAttribute", { fault: "delay", ms: 1000 });
    const filed = await user.slashCommand({
      userId: USERS.requester,
      channelId: REQUEST_CHANNEL,
      text: SEED.mysql,
    });
    expect(filed.status).toBe(200);
    await until(() => rds.count("DescribeDBInstanceAttribute") === 1, 5_000, "the look-up to reach RDS");
    bot.child.kill("SIGTERM");

    const code = await bot.exited;
    expect(code, bot.logs().join("\n")).toBe(0);
    const store = await openStore(databaseUrl);
    try {
      const requests = await store.list({ limit: 10 });
      expect(requests.map((request) => request.state)).toEqual(["pending"]);
      expect(requests[0]?.card?.channel).toBe(APPROVAL_CHANNEL); // the card went out before the exit
      expect(await store.outboxEmpty()).toBe(true);
    } finally {
      await store.close();
    }
    expect(
      slack
        .responses(filed.responseUrlId)
        .map((answer) => String(answer.body.text ?? ""))
        .join("\n"),
    ).toMatch(/is filed and waits for approval/);
  }, 60_000);
});
