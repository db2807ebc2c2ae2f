/**
 * A whole bot on built-in emulators: the real bot (Bolt in HTTP mode, the real RDS SDK, the real
 * store) against the Slack and RDS emulators over HTTP on 127.0.0.1. The demo, the end-to-end
 * tests and the benchmarks all stand on this stage.
 */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type Bot, type BotOverrides, startBot } from "../bot.js";
import { type Config, parseConfig, secretValues } from "../config.js";
import { createLogger } from "../logger.js";
import { REQUEST_SHORTCUT_CALLBACK_ID } from "../slack/ids.js";
import {
  EMULATOR_ACCESS_KEY_ID,
  EMULATOR_ACCESS_KEY_SECRET,
  type RdsEmulator,
  type RdsEmulatorOptions,
  startRdsEmulator,
} from "./rds-emulator.js";
import {
  type SlackEmulator,
  type SlackEmulatorOptions,
  type SlackShortcutDeclaration,
  type SlackUserSimulator,
  startSlackEmulator,
} from "./slack-emulator.js";
import { type SlackSocketServer, startSlackSocketServer } from "./slack-socket.js";

export const BOT_TOKEN = "xoxb-1111-2222-e2etesttoken";
export const SIGNING_SECRET = "8f742231b10e8888abcd99aa85a5c3d1";
/** The app-level token of a Socket Mode stage (`mode: "socket"`). */
export const APP_TOKEN = "xapp-1-A0TEST-1-abc";
export const APPROVAL_CHANNEL = "C0APPROVALS";
export const REQUEST_CHANNEL = "C0DBOPS";
/** A channel for NOTIFY_CHANNEL_IDS summaries. */
export const NOTIFY_CHANNEL = "C0BACKUPLOG";

export const USERS = {
  requester: "U0REQUESTER",
  jaRequester: "U0JAREQUEST",
  approver: "U0APPROVER1",
  approver2: "U0APPROVER2",
  groupApprover: "U0GROUPDBA1",
  outsider: "U0OUTSIDER1",
} as const;
export const DBA_GROUP = "S0DBAS";

/**
 * The shortcuts the app's manifests declare (manifests/slack-app.*.yaml; the manifest test checks
 * they agree): the emulated workspace offers people these and no others.
 */
export const APP_SHORTCUTS: readonly SlackShortcutDeclaration[] = [
  { type: "global", callback_id: REQUEST_SHORTCUT_CALLBACK_ID, name: "Request an RDS backup" },
];

/**
 * The stage's Slack workspace: its users (one of them Japanese), the DBA user group and the
 * channels, answering for BOT_TOKEN. For a bot started elsewhere (another process, a test of its
 * own); `port` replaces an emulator by a fresh one where a bot already points; `workspace` changes
 * the workspace itself (a free plan, a stricter rate limit).
 */
export async function startStageWorkspace(
  port?: number,
  workspace: Pick<SlackEmulatorOptions, "plan" | "postMessageRateLimit"> = {},
): Promise<SlackEmulator> {
  const slack = await startSlackEmulator({
    ...(port ? { port } : {}),
    ...workspace,
    botToken: BOT_TOKEN,
    locales: { [USERS.jaRequester]: "ja-JP", [USERS.requester]: "en-US" },
    shortcuts: APP_SHORTCUTS,
    users: Object.fromEntries(Object.values(USERS).map((id) => [id, { name: id.toLowerCase() }])),
    usergroups: { [DBA_GROUP]: [USERS.groupApprover] },
    channels: {
      [APPROVAL_CHANNEL]: { name: "rds-approvals" },
      [REQUEST_CHANNEL]: { name: "db-ops" },
      [NOTIFY_CHANNEL]: { name: "backup-log" },
    },
  });
  // The install step the README asks for: `/invite @rds-backup` where the bot posts (the request
  // channel too, for the "filed" note only the requester sees).
  for (const channel of [APPROVAL_CHANNEL, REQUEST_CHANNEL, NOTIFY_CHANNEL]) slack.invite(channel);
  return slack;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StageEnvOptions {
  slackApiUrl: string;
  rdsUrl: string;
  databaseUrl: string;
  port: number;
  /** Who may approve (default: the stage's two approvers). */
  approverUserIds?: readonly string[];
  /** Approving user groups (default: the DBA group; none for a workspace without it). */
  approverGroupIds?: readonly string[];
}

/**
 * The bot's environment on the emulators (HTTP mode): the one description of it, for the stage,
 * a bot in a process of its own and the image's replay. Callers add what differs (log level, the
 * process's own PATH and HOME) at the call site.
 */
export function stageEnv(options: StageEnvOptions): Record<string, string> {
  const groups = options.approverGroupIds ?? [DBA_GROUP];
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_MODE: "http",
    SLACK_API_URL: options.slackApiUrl,
    PORT: String(options.port),
    APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL,
    APPROVER_USER_IDS: (options.approverUserIds ?? [USERS.approver, USERS.approver2]).join(","),
    ...(groups.length > 0 ? { APPROVER_USERGROUP_IDS: groups.join(",") } : {}),
    ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_ACCESS_KEY_SECRET,
    ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    RDS_ENDPOINT: options.rdsUrl,
    DATABASE_URL: options.databaseUrl,
  };
}

export interface StageOptions {
  env?: Record<string, string | undefined>;
  rds?: RdsEmulatorOptions;
  overrides?: BotOverrides;
  /** Reuse emulators (a restart test keeps Slack and RDS while the bot goes away). */
  slack?: SlackEmulator;
  rdsEmulator?: RdsEmulator;
  databaseUrl?: string;
  /** Keep the bot's log lines in `logs` (default true; long benchmarks turn it off). */
  keepLogs?: boolean;
  /**
   * `socket`: the bot runs in Socket Mode (`SLACK_MODE=socket`, `SLACK_APP_TOKEN`, no signing
   * secret) on the emulator's Socket Mode server, and `user` speaks over the socket. Default `http`.
   */
  mode?: "http" | "socket";
  /** Reuse a Socket Mode server (with `slack`: a restart test keeps it while the bot goes away). */
  socketServer?: SlackSocketServer;
}

export interface Stage {
  slack: SlackEmulator;
  rds: RdsEmulator;
  bot: Bot;
  config: Config;
  user: SlackUserSimulator;
  /** The Socket Mode server, in `mode: "socket"`. */
  socket: SlackSocketServer | undefined;
  /** Every log line the bot wrote, as JSON text. */
  logs: string[];
  databaseUrl: string;
  /** Stops the bot (emulators stay up). */
  stopBot(): Promise<void>;
  /** Stops everything. */
  close(): Promise<void>;
}

/** Fast retries and short waits so runs finish quickly; the behaviour is the same. */
export const TEST_OVERRIDES: BotOverrides = {
  service: {
    createDeadlineMs: 5_000,
    createTimeoutMs: 2_000,
    abandonedAfterMs: 60_000,
    listingPollMs: 100,
  },
  dispatcher: { pollMs: 100, maxBackoffMs: 500 },
  watcher: {
    pollMs: 100,
    firstCheckMs: 50,
    maxIntervalMs: 200,
    progressNoteEveryMs: 0,
    backupSetWaitMs: 3_000,
    settleCheckMs: 200,
  },
  scheduler: { pollMs: 100, retryMs: 500 },
  reminders: { pollMs: 100 },
  home: { pollMs: 100, minIntervalMs: 200, retryMs: 500 },
  slackClient: { retryConfig: { retries: 0 } },
  housekeepingMs: 60_000,
};

export async function startStage(options: StageOptions = {}): Promise<Stage> {
  const slack = options.slack ?? (await startStageWorkspace());
  const rds = options.rdsEmulator ?? (await startRdsEmulator(options.rds));
  const socket =
    options.mode === "socket"
      ? (options.socketServer ?? (await startSlackSocketServer({ emulator: slack, appToken: APP_TOKEN })))
      : undefined;
  const port = await freePort();
  const databaseUrl = options.databaseUrl ?? join(mkdtempSync(join(tmpdir(), "rdsbot-e2e-")), "bot.sqlite");
  const config = parseConfig({
    ...stageEnv({ slackApiUrl: slack.apiUrl, rdsUrl: rds.url, databaseUrl, port }),
    // Every log line, for tests that read what the bot said.
    LOG_LEVEL: "debug",
    // The emulator's listings lag only when a test asks them to: a short wait keeps runs quick.
    RDS_LISTING_LAG: "2s",
    ...(socket ? { SLACK_MODE: "socket", SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: undefined } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      if (options.keepLogs !== false) logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: config.logLevel, secrets: secretValues(config), destination });
  const bot = await startBot(config, logger, { ...TEST_OVERRIDES, ...options.overrides });
  const user = socket
    ? socket.simulator()
    : slack.simulator({
        requestUrl: `http://127.0.0.1:${port}/slack/events`,
        signingSecret: SIGNING_SECRET,
      });
  let botStopped = false;
  const stopBot = async () => {
    if (botStopped) return;
    botStopped = true;
    await bot.stop();
  };
  return {
    slack,
    rds,
    bot,
    config,
    user,
    socket,
    logs,
    databaseUrl,
    stopBot,
    close: async () => {
      await stopBot();
      if (socket && !options.socketServer) await socket.close();
      if (!options.slack) await slack.close();
      if (!options.rdsEmulator) await rds.close();
    },
  };
}
