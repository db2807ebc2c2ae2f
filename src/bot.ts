/**
 * The composition root: config → logger → store → RDS → use cases → Slack app, and the way back
 * down on shutdown. `main.ts` runs it for real; tests and the demo run it against the emulators.
 */
import type { WebClientOptions } from "@slack/web-api";
import {
  DISPATCHER_DEFAULTS,
  type DispatcherOptions,
  deliveryBudgetMs,
  NotificationDispatcher,
} from "./backup/dispatcher.js";
import { type HomeOptions, HomeTabs } from "./backup/home.js";
import { type CatalogOptions, InstanceCatalog } from "./backup/instance-catalog.js";
import type { RequestStore } from "./backup/ports.js";
import { type ReminderOptions, ReminderRunner } from "./backup/reminders.js";
import { ScheduledRunner, type ScheduledRunOptions } from "./backup/scheduled-runs.js";
import { BackupService, type ServiceOptions } from "./backup/service.js";
import { BackupWatcher, type WatcherOptions } from "./backup/watcher.js";
import { type Config, ConfigError, rdsEndpointFor } from "./config.js";
import { defaultRule, groupsNamedBy, type Policy } from "./domain/policy.js";
import type { Logger } from "./logger.js";
import { opsRoutes, Readiness } from "./ops/health.js";
import { BotMetrics } from "./ops/metrics.js";
import { deliverDue, SHUTDOWN_DRAIN_MS, SHUTDOWN_FLUSH_MS, settlesWithin } from "./ops/shutdown.js";
import { describePolicy, loadPolicy } from "./policy/load-policy.js";
import { staticStsWarning } from "./rds/credential-advice.js";
import { AlibabaRdsGateway } from "./rds/gateway.js";
import { afterAckQueue } from "./slack/after-ack.js";
import { createSlackApp } from "./slack/app.js";
import { ChannelPacer, type PaceOptions } from "./slack/channel-pacer.js";
import { FIXED_BY_ACCESS } from "./slack/delivery-errors.js";
import { SlackDirectory } from "./slack/directory.js";
import { followSocketMode, trackSlackEvents } from "./slack/event-tracking.js";
import { SlackHomePublisher } from "./slack/home-publisher.js";
import { SlackNotifier } from "./slack/notifier.js";
import { type BotIdentity, checkBotToken } from "./slack/token-check.js";
import { WorkspaceCheck } from "./slack/workspace-check.js";
import { openStore } from "./store/open-store.js";

export interface BotOverrides {
  service?: Partial<ServiceOptions> | undefined;
  dispatcher?: Partial<DispatcherOptions> | undefined;
  watcher?: Partial<WatcherOptions> | undefined;
  scheduler?: Partial<ScheduledRunOptions> | undefined;
  reminders?: Partial<ReminderOptions> | undefined;
  home?: Partial<HomeOptions> | undefined;
  /** The use cases' clock (tests that need a window to close soon); the store keeps its own. */
  clock?: (() => Date) | undefined;
  catalog?: Partial<Pick<CatalogOptions, "ttlMs" | "answerWithinMs">> | undefined;
  slackClient?: WebClientOptions | undefined;
  /**
   * Posts per channel (default Slack's own pace, src/slack/channel-pacer.ts). Only the benchmark
   * changes it: it measures the bot, not Slack's one post a second per channel.
   */
  slackPace?: PaceOptions | undefined;
  /** How often expiry and crash reconciliation run (default 30 s). */
  housekeepingMs?: number | undefined;
}

export interface Bot {
  store: RequestStore;
  service: BackupService;
  dispatcher: NotificationDispatcher;
  watcher: BackupWatcher;
  /** Starts scheduled backups at their time. */
  scheduler: ScheduledRunner;
  /** Reminds the approvers of requests that wait. */
  reminders: ReminderRunner;
  /** Publishes Home tabs, and publishes them again when what they show changes. */
  home: HomeTabs;
  /** Prometheus metrics, also served at `GET /metrics`. */
  metrics: BotMetrics;
  /** Runs one round of expiry and reconciliation now. */
  housekeeping(): Promise<void>;
  /** Stops taking requests, finishes CreateBackup calls in flight, delivers what it can, closes. */
  stop(): Promise<void>;
}

export async function startBot(config: Config, logger: Logger, overrides: BotOverrides = {}): Promise<Bot> {
  const identity = await checkSlackToken(config, logger);
  const metrics = new BotMetrics();
  const store = metrics.instrumentStore(
    await openStore(config.databaseUrl, { logger: logger.child({ component: "store" }) }),
  );
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw new Error("could not prepare the database (DATABASE_URL)", { cause: error });
  }

  const rds = metrics.instrumentGateway(
    new AlibabaRdsGateway({
      regionId: config.alibaba.regionId,
      endpoint: (regionId: string) => rdsEndpointFor(config.alibaba.endpoints, regionId),
      accessKeyId: config.alibaba.accessKeyId,
      accessKeySecret: config.alibaba.accessKeySecret,
      securityToken: config.alibaba.securityToken,
      rrsa: config.alibaba.rrsa,
      logger: logger.child({ component: "rds" }),
    }),
  );
  try {
    const credential = await rds.checkCredentials();
    logger.info(
      { credential: credential.type, accessKeyId: credential.accessKeyId },
      "Alibaba Cloud credentials found",
    );
    if (credential.type === "sts") logger.warn({ credential: credential.type }, staticStsWarning());
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
    {
      regionIds: config.alibaba.regionIds,
      defaultRegionId: config.alibaba.regionId,
      ttlMs: 60_000,
      answerWithinMs: 1_000,
      ...overrides.catalog,
    },
    logger.child({ component: "catalog" }),
  );

  // /healthz, /readyz (store answers, Slack connected) and /metrics, in both modes.
  const readiness = new Readiness({ store, credentials: () => rds.credentialHealth() });
  const routes = opsRoutes(readiness, metrics);

  // A Slack call of the outbox may take half a delivery's budget, which is half the lease: a
  // delivery makes its calls (two at the slowest) and ends while the lease is still its own.
  const leaseMs = overrides.dispatcher?.leaseMs ?? DISPATCHER_DEFAULTS.leaseMs;
  const deliveryCallTimeoutMs = Math.min(5_000, Math.floor(deliveryBudgetMs(leaseMs) / 2));
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
    deliveryCallTimeoutMs,
    identity,
  });
  const events = trackSlackEvents(slack.app, (type, seconds) => metrics.observeAck(type, seconds));
  const socketMode = followSocketMode(slack.app, (connected) => readiness.slackConnected(connected));
  const client = slack.app.client;
  const directory = new SlackDirectory(
    client,
    { defaultLocale: config.defaultLocale, localeTtlMs: 3_600_000, groupTtlMs: 60_000, answerWithinMs: 700 },
    logger.child({ component: "directory" }),
  );
  // Can the bot post where it must, and do the approver groups exist? Said at start, in the log.
  const workspaceCheck = new WorkspaceCheck(
    slack.deliveryClient,
    {
      approvalChannelId: config.slack.approvalChannelId,
      notifyChannelIds: config.slack.notifyChannelIds,
      usergroupIds: [...new Set(policy.rules.flatMap(groupsNamedBy))],
      botUserId: identity?.botUserId,
      onApprovalChannel: (problem) => {
        readiness.approvalChannel(problem);
        // Usable (at start, or again after a problem): what was set aside there may go now.
        if (problem === undefined) void releaseSetAside(config.slack.approvalChannelId);
      },
    },
    logger.child({ component: "slack" }),
  );
  const notifier = new SlackNotifier(slack.deliveryClient, {
    approvalChannelId: config.slack.approvalChannelId,
    botUserId: identity?.botUserId,
    callTimeoutMs: deliveryCallTimeoutMs,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.slackPace ? { pacer: new ChannelPacer(overrides.slackPace) } : {}),
  });
  const dispatcher = new NotificationDispatcher(
    store,
    metrics.instrumentNotifier(notifier),
    logger.child({ component: "dispatcher" }),
    {
      ...overrides.dispatcher,
      onReleased: (count) => metrics.countReleased(count),
      onSetAside: (notification, error) => {
        metrics.countSetAside(notification.kind, error.reason);
        if (error.detail.channel === config.slack.approvalChannelId) {
          workspaceCheck.approvalCardRefused(error.detail.code);
        }
      },
    },
  );
  // The bot may post in `channel` again (invited, or found usable): set-aside messages go back.
  async function releaseSetAside(channel: string): Promise<void> {
    try {
      await dispatcher.release(channel, config.slack.approvalChannelId, FIXED_BY_ACCESS);
    } catch (error) {
      logger.error({ err: error, channel }, "could not release the messages set aside for a channel");
    }
  }
  // A request changed (and queued its messages): deliver them, and refresh stale Home tabs.
  const changed = (): void => {
    dispatcher.kick();
    home.kick();
  };
  const watcher = new BackupWatcher(
    store,
    rds,
    logger.child({ component: "watcher" }),
    {
      notifyChannelIds: config.slack.notifyChannelIds,
      listingLagMs: config.alibaba.listingLagMs,
      ...overrides.watcher,
    },
    () => changed(),
  );
  const service = new BackupService({
    store,
    rds,
    catalog,
    directory,
    policy: () => policy,
    logger: logger.child({ component: "service" }),
    onNotificationsQueued: () => changed(),
    // Approvals come only after the start below, when the runner exists.
    onScheduled: () => scheduler.kick(),
    watchSchedule: (now) => watcher.schedule(now),
    notifyChannelIds: config.slack.notifyChannelIds,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    options: { listingLagMs: config.alibaba.listingLagMs, ...overrides.service },
  });
  // Beside the watcher and the dispatcher, on the same kind of polling loop: scheduled runs start
  // through the approval's own starter, with every rule of CreateBackup.
  const scheduler = new ScheduledRunner({
    store,
    rds,
    starter: service.starter,
    logger: logger.child({ component: "scheduler" }),
    onNotificationsQueued: () => changed(),
    clock: overrides.clock,
    options: { notifyChannelIds: config.slack.notifyChannelIds, ...overrides.scheduler },
  });
  // Beside them too: reminders of pending requests, claimed in the store, posted through the outbox.
  const reminders = new ReminderRunner({
    store,
    policy: () => policy,
    remindAfter: config.approvalReminderAfter,
    logger: logger.child({ component: "reminders" }),
    onNotificationsQueued: () => dispatcher.kick(),
    clock: overrides.clock,
    options: overrides.reminders,
  });
  // Home tabs: published when opened, and again for people who opened theirs recently whenever a
  // request changes (every change queues a notification, so the same wake-up reaches both); the
  // refresher also polls, for changes made by another replica.
  const home = new HomeTabs({
    store,
    service,
    publisher: new SlackHomePublisher(slack.deliveryClient, notifier, {
      approvalChannelId: config.slack.approvalChannelId,
      linksWithinMs: 2 * deliveryCallTimeoutMs,
      ...(overrides.clock ? { clock: overrides.clock } : {}),
    }),
    logger: logger.child({ component: "home" }),
    clock: overrides.clock,
    options: overrides.home,
  });
  const afterAck = afterAckQueue();
  metrics.followAfterAck(afterAck);
  slack.register({
    service,
    catalog,
    directory,
    approvalChannelId: config.slack.approvalChannelId,
    defaultLocale: config.defaultLocale,
    logger,
    home,
    afterAck,
    botJoined: async (channel) => {
      await releaseSetAside(channel);
      // Ready again at once, rather than at the next recheck.
      if (channel === config.slack.approvalChannelId) await workspaceCheck.recheck();
    },
  });

  const housekeeping = async () => {
    try {
      await service.expireDue();
      await service.reconcileAbandoned();
      await workspaceCheck.recheck();
    } catch (error) {
      logger.error({ err: error }, "housekeeping failed; will try again");
    }
  };

  await workspaceCheck.atStart();
  await slack.start();
  dispatcher.start();
  watcher.start();
  scheduler.start();
  reminders.start();
  home.start();
  await housekeeping();
  const timer = setInterval(() => void housekeeping(), overrides.housekeepingMs ?? 30_000);
  timer.unref();
  if (!socketMode) readiness.slackConnected(true); // Socket Mode reports its own connection
  // Load the RDS SDK now that the bot answers, so the first request does not wait for it.
  rds
    .warmUp()
    .catch((error: unknown) => logger.warn({ err: error }, "loading the RDS SDK failed; will retry on use"));
  // A static STS token may already be spent: one call tells now, and /readyz says so before anyone asks.
  if (config.alibaba.securityToken) {
    rds.probeCredentials().then(
      () => logger.info("the static STS token works for now"),
      (error: unknown) => logger.error({ err: error }, "Alibaba Cloud refused the static STS token"),
    );
  }
  logger.info({ mode: config.slack.mode, port: config.port }, "rds-backup-bot is running");

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      readiness.stopping();
      // From here on no CreateBackup call starts (approvals still queued are recorded and left for
      // the next start); waits for RDS's listings end now, a call already out is waited for.
      service.stopStarting();
      clearInterval(timer);
      // No scheduled run starts from here on; one due now waits for the next start.
      await scheduler.stop();
      // No reminder is claimed from here on; one claimed already is in the outbox, delivered below.
      await reminders.stop();
      await slack
        .stop()
        .catch((error: unknown) => logger.warn({ err: error }, "stopping the Slack app failed"));
      // Requests already acknowledged run to their end (an approval and its CreateBackup included).
      if (!(await settlesWithin(events.idle(), SHUTDOWN_DRAIN_MS)))
        logger.warn({ inFlight: events.inFlight }, "Slack requests still running at shutdown");
      await service.drain();
      await watcher.stop();
      await home.stop();
      await dispatcher.stop();
      await deliverDue(dispatcher, SHUTDOWN_FLUSH_MS, logger);
      await store.close();
      logger.info("rds-backup-bot stopped");
    })();
    return stopping;
  };

  return { store, service, dispatcher, watcher, scheduler, reminders, home, metrics, housekeeping, stop };
}

/**
 * Stops the start when Slack refuses the bot token (see src/slack/token-check.ts); otherwise the
 * bot's ids, when Slack could be asked.
 */
async function checkSlackToken(config: Config, logger: Logger): Promise<BotIdentity | undefined> {
  const log = logger.child({ component: "slack" });
  const check = await checkBotToken(config.slack.botToken, { apiUrl: config.slack.apiUrl, logger: log });
  if (check.kind === "refused") {
    throw new ConfigError([
      `SLACK_BOT_TOKEN: Slack refused it (${check.error}). Use the app's Bot User OAuth Token (xoxb-…) ` +
        "from the workspace the app is installed in, and reinstall the app if the token was revoked.",
    ]);
  }
  if (check.kind === "unchecked") {
    log.warn({ err: check.error }, "could not check the bot token with Slack; starting anyway");
    return undefined;
  }
  log.info({ team: check.team, ...check.identity }, "Slack accepted the bot token");
  return check.identity;
}
