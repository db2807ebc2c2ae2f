/**
 * The composition root: config → logger → store → RDS → use cases → Slack app, and the way back
 * down on shutdown. `main.ts` runs it for real; tests and the demo run it against the emulators.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { WebClientOptions } from "@slack/web-api";
import { type DispatcherOptions, NotificationDispatcher } from "./backup/dispatcher.js";
import { InstanceCatalog } from "./backup/instance-catalog.js";
import type { RequestStore } from "./backup/ports.js";
import { BackupService, type ServiceOptions } from "./backup/service.js";
import { BackupWatcher, type WatcherOptions } from "./backup/watcher.js";
import type { Config } from "./config.js";
import { defaultRule, type Policy } from "./domain/policy.js";
import type { Logger } from "./logger.js";
import { describePolicy, loadPolicy } from "./policy/load-policy.js";
import { AlibabaRdsGateway } from "./rds/gateway.js";
import { createSlackApp } from "./slack/app.js";
import { SlackDirectory } from "./slack/directory.js";
import { SlackNotifier } from "./slack/notifier.js";
import { openStore } from "./store/open-store.js";

export interface BotOverrides {
  service?: Partial<ServiceOptions> | undefined;
  dispatcher?: Partial<DispatcherOptions> | undefined;
  watcher?: Partial<WatcherOptions> | undefined;
  slackClient?: WebClientOptions | undefined;
  /** How often expiry and crash reconciliation run (default 30 s). */
  housekeepingMs?: number | undefined;
}

export interface Bot {
  store: RequestStore;
  service: BackupService;
  dispatcher: NotificationDispatcher;
  watcher: BackupWatcher;
  /** Runs one round of expiry and reconciliation now. */
  housekeeping(): Promise<void>;
  /** Stops taking requests, finishes CreateBackup calls in flight, delivers what it can, closes. */
  stop(): Promise<void>;
}

export async function startBot(config: Config, logger: Logger, overrides: BotOverrides = {}): Promise<Bot> {
  const store = await openStore(config.databaseUrl, { logger: logger.child({ component: "store" }) });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw new Error("could not prepare the database (DATABASE_URL)", { cause: error });
  }

  const rds = new AlibabaRdsGateway({
    regionId: config.alibaba.regionId,
    endpoint: config.alibaba.endpoint,
    accessKeyId: config.alibaba.accessKeyId,
    accessKeySecret: config.alibaba.accessKeySecret,
    securityToken: config.alibaba.securityToken,
    logger: logger.child({ component: "rds" }),
  });
  try {
    const credential = await rds.checkCredentials();
    logger.info(
      { credential: credential.type, accessKeyId: credential.accessKeyId },
      "Alibaba Cloud credentials found",
    );
  } catch (error) {
    await store.close();
    throw error;
  }

  let policy: Policy;
  try {
    policy = config.policyFile
      ? loadPolicy(config.policyFile, { ...config.approvers })
      : { rules: [defaultRule({ ...config.approvers })] };
  } catch (error) {
    await store.close();
    throw error;
  }
  for (const line of describePolicy(policy))
    logger.info({ policy: config.policyFile ?? "environment" }, line);
  const catalog = new InstanceCatalog(
    rds,
    { regionIds: config.alibaba.regionIds, ttlMs: 60_000, answerWithinMs: 2_000 },
    logger.child({ component: "catalog" }),
  );

  let ready = false;
  const routes: CustomRoute[] = [
    {
      path: "/healthz",
      method: ["GET"],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "ok" }));
      },
    },
    {
      path: "/readyz",
      method: ["GET"],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: ready ? "ready" : "starting" }));
      },
    },
  ];

  const slack = createSlackApp({
    mode: config.slack.mode,
    botToken: config.slack.botToken,
    appToken: config.slack.appToken,
    signingSecret: config.slack.signingSecret,
    apiUrl: config.slack.apiUrl,
    port: config.port,
    routes,
    logger,
    clientOptions: overrides.slackClient,
  });
  const client = slack.app.client;
  const directory = new SlackDirectory(
    client,
    { defaultLocale: config.defaultLocale, localeTtlMs: 3_600_000, groupTtlMs: 60_000, answerWithinMs: 700 },
    logger.child({ component: "directory" }),
  );
  const notifier = new SlackNotifier(client, { approvalChannelId: config.slack.approvalChannelId });
  const dispatcher = new NotificationDispatcher(
    store,
    notifier,
    logger.child({ component: "dispatcher" }),
    overrides.dispatcher,
  );
  const watcher = new BackupWatcher(
    store,
    rds,
    logger.child({ component: "watcher" }),
    { notifyChannelIds: config.slack.notifyChannelIds, ...overrides.watcher },
    () => dispatcher.kick(),
  );
  const service = new BackupService({
    store,
    rds,
    catalog,
    directory,
    policy: () => policy,
    logger: logger.child({ component: "service" }),
    onNotificationsQueued: () => dispatcher.kick(),
    watchSchedule: (now) => watcher.schedule(now),
    notifyChannelIds: config.slack.notifyChannelIds,
    options: overrides.service,
  });
  slack.register({
    service,
    catalog,
    directory,
    approvalChannelId: config.slack.approvalChannelId,
    defaultLocale: config.defaultLocale,
    logger,
  });

  const housekeeping = async () => {
    try {
      await service.expireDue();
      await service.reconcileAbandoned();
    } catch (error) {
      logger.error({ err: error }, "housekeeping failed; will try again");
    }
  };

  await slack.start();
  dispatcher.start();
  watcher.start();
  await housekeeping();
  const timer = setInterval(() => void housekeeping(), overrides.housekeepingMs ?? 30_000);
  timer.unref();
  ready = true;
  logger.info({ mode: config.slack.mode, port: config.port }, "rds-backup-bot is running");

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ready = false;
      clearInterval(timer);
      await slack
        .stop()
        .catch((error: unknown) => logger.warn({ err: error }, "stopping the Slack app failed"));
      await service.drain();
      await watcher.stop();
      await dispatcher.stop();
      await store.close();
      logger.info("rds-backup-bot stopped");
    })();
    return stopping;
  };

  return { store, service, dispatcher, watcher, housekeeping, stop };
}
