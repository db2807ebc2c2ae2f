/**
 * The use cases on in-memory ports: the real store on an in-memory SQLite database, the fake RDS,
 * one simulated clock for all of them. Every notification written to the store is kept with the
 * virtual time it was written at, so a test can say what the thread was told, and when.
 */
import { Writable } from "node:stream";
import { InstanceCatalog } from "../../src/backup/instance-catalog.js";
import type { Notification, RequestStore, ThreadEvent } from "../../src/backup/ports.js";
import { ReminderRunner } from "../../src/backup/reminders.js";
import { ScheduledRunner, type ScheduledRunOptions } from "../../src/backup/scheduled-runs.js";
import {
  BackupService,
  type DecisionResult,
  type RequestTiming,
  type ServiceDeps,
  type ServiceOptions,
} from "../../src/backup/service.js";
import { defaultRule, type Policy, type PolicyRule } from "../../src/domain/policy.js";
import type { RemindAfter } from "../../src/domain/reminders.js";
import type { BackupRequest } from "../../src/domain/request.js";
import { parseWindow } from "../../src/domain/schedule.js";
import { createLogger } from "../../src/logger.js";
import { openStore } from "../../src/store/open-store.js";
import { FakeRds, type FakeRdsOptions, INSTANCE } from "./fake-rds.js";
import { SimClock } from "./sim-clock.js";

export const APPROVERS = { userIds: ["U0APPROVER1"], usergroupIds: ["S0DBAS"] };

export interface Said {
  at: number;
  requestId: string;
  notification: Notification;
}

/** The store, keeping every notification it is asked to write (with the virtual time). */
function recording(store: RequestStore, clock: SimClock, said: Said[]): RequestStore {
  const keep = (requestId: string, notifications: readonly Notification[] | undefined) => {
    for (const notification of notifications ?? [])
      said.push({ at: clock.now().getTime(), requestId, notification });
  };
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      const notificationsAt: Record<string, number> = {
        transition: 4,
        countCreateCall: 5,
        recordStart: 4,
        annotate: 4,
        enqueue: 1,
        recordScheduleCheck: 5,
        claimReminder: 4,
      };
      if (property === "addApproval") {
        // Only what an approval that schedules the backup says (its `later` notifications).
        return async (...args: unknown[]) => {
          const result = (await method.apply(target, args)) as { kind: string };
          const later = args[4] as { notifications: Notification[] } | undefined;
          if (result.kind === "scheduled" && later) keep(String(args[0]), later.notifications);
          return result;
        };
      }
      const index = notificationsAt[String(property)];
      if (index === undefined) return method.bind(target);
      return async (...args: unknown[]) => {
        const result = await method.apply(target, args);
        // Written only when the store did the move (a lost race writes nothing).
        if (result !== undefined && result !== false)
          keep(String(args[0]), args[index] as Notification[] | undefined);
        return result;
      };
    },
  });
}

export interface World {
  clock: SimClock;
  rds: FakeRds;
  store: RequestStore;
  service: BackupService;
  /** Another bot on the same store, RDS and clock (the next start, or a second replica). */
  anotherService(options?: Partial<ServiceOptions>): BackupService;
  /** The scheduled-run runner beside `service` (with `scheduling`, its polling runs on the clock). */
  runner: ScheduledRunner;
  /** A runner beside another service (a second replica's), polling on the same clock. */
  anotherRunner(service: BackupService): ScheduledRunner;
  /** Stops a runner's polling (the process that ran it went away). */
  stopPolling(runner: ScheduledRunner | ReminderRunner): void;
  /**
   * A reminder runner on the store (one replica's; with `reminders`, polling on the clock from the
   * start). Each call starts another, like another replica or the next start.
   */
  reminderRunner(): ReminderRunner;
  said: Said[];
  logs: string[];
  /** Files a request for the simulated instance (as U0REQUESTER, in Asia/Tokyo). */
  file(timing?: RequestTiming): Promise<BackupRequest>;
  /** U0APPROVER1 approves; resolves when the click's work is done. */
  approve(requestId: string, by?: string): Promise<DecisionResult>;
  /** Files and approves, running the clock until the click's work is done. */
  fileAndApprove(): Promise<{ request: BackupRequest; clickDoneAt: number; result: DecisionResult }>;
  /** Thread events said about a request, in order, with when. */
  thread(requestId: string): (ThreadEvent & { at: number })[];
  request(id: string): Promise<BackupRequest>;
  /** Runs the simulation until the request rests (leaves `approved`). */
  settled(id: string, limitMs?: number): Promise<BackupRequest>;
  /** Runs the simulation until `work` settles, and gives its value. */
  run<T>(work: Promise<T>, limitMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function world(
  options: {
    rds?: FakeRdsOptions;
    service?: Partial<ServiceOptions>;
    starter?: Record<string, number>;
    store?: (store: RequestStore) => RequestStore;
    /** The policy rule's backup window (`Mon-Fri 01:00-05:00 Asia/Tokyo`). */
    window?: string;
    /** Poll for scheduled runs on the simulated clock (off by default: it keeps the clock busy). */
    scheduling?: Partial<ScheduledRunOptions>;
    /** Where the simulated clock starts. */
    start?: Date;
    /** Changes to the one policy rule (approvers, remind_after, max_wait_hours, …). */
    rule?: Partial<PolicyRule>;
    /** Reminders: APPROVAL_REMINDER_AFTER, and how often a runner looks (on the clock). */
    reminders?: { remindAfter: RemindAfter; pollMs?: number };
  } = {},
): Promise<World> {
  const clock = new SimClock(options.start?.getTime());
  const rds = new FakeRds(clock, options.rds);
  const inner = await openStore(":memory:", { clock: clock.now });
  await inner.migrate();
  const said: Said[] = [];
  const store = recording(options.store ? options.store(inner) : inner, clock, said);
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    secrets: [],
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const catalog = new InstanceCatalog(
    rds,
    { regionIds: ["cn-hangzhou"], ttlMs: 60_000, answerWithinMs: 2_000 },
    logger,
  );
  const window = options.window ? parseWindow(options.window) : undefined;
  if (window && !window.ok) throw new Error(`bad window ${options.window}`);
  const policy: Policy = {
    rules: [
      {
        ...defaultRule({
          userIds: APPROVERS.userIds,
          usergroupIds: APPROVERS.usergroupIds,
          allowSelfApproval: false,
        }),
        ...(window?.ok ? { window: window.value } : {}),
        ...options.rule,
      },
    ],
  };
  const deps: ServiceDeps = {
    store,
    rds,
    catalog,
    directory: { groupsOf: async () => new Set<string>() },
    policy: () => policy,
    logger,
    watchSchedule: (now) => ({
      firstCheckAt: new Date(now.getTime() + 5_000),
      deadlineAt: new Date(now.getTime() + 24 * 3_600_000),
    }),
    clock: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    options: {
      createTimeoutMs: 2_000,
      createDeadlineMs: 60_000,
      listingLagMs: 90_000,
      listingPollMs: 10_000,
      ...options.service,
    },
    ...(options.starter ? { starter: options.starter } : {}),
  };
  const service = new BackupService(deps);
  const polling = new Map<ScheduledRunner | ReminderRunner, AbortController>();
  /** The production runners poll on a timer (src/backup/poller.ts); here they poll on the clock. */
  const pollOnClock = (runner: ScheduledRunner | ReminderRunner, pollMs: number) => {
    const stop = new AbortController();
    polling.set(runner, stop);
    void (async () => {
      while (!stop.signal.aborted) {
        await clock.sleep(pollMs, stop.signal);
        if (!stop.signal.aborted) await runner.round().catch(() => undefined);
      }
    })();
  };
  const reminderRunner = () => {
    const runner = new ReminderRunner({
      store,
      policy: () => policy,
      remindAfter: options.reminders?.remindAfter,
      logger,
      clock: clock.now,
    });
    if (options.reminders) pollOnClock(runner, options.reminders.pollMs ?? 60_000);
    return runner;
  };
  const runnerFor = (beside: BackupService) => {
    const runner = new ScheduledRunner({
      store,
      rds,
      starter: beside.starter,
      logger,
      clock: clock.now,
      options: { pollMs: 60_000, retryMs: 60_000, ...options.scheduling },
    });
    if (options.scheduling) pollOnClock(runner, options.scheduling.pollMs ?? 60_000);
    return runner;
  };
  const runner = runnerFor(service);
  const request = async (id: string) => {
    const found = await store.get(id);
    if (!found) throw new Error(`no request ${id}`);
    return found;
  };
  const run = async <T>(work: Promise<T>, limitMs?: number): Promise<T> => {
    let done = false;
    let value: T | undefined;
    let failure: unknown;
    work.then(
      (result) => {
        value = result;
        done = true;
      },
      (error: unknown) => {
        failure = error;
        done = true;
      },
    );
    await clock.runUntil(() => done, limitMs);
    if (failure !== undefined) throw failure;
    return value as T;
  };
  const self: World = {
    clock,
    rds,
    store,
    service,
    anotherService: (more = {}) => new BackupService({ ...deps, options: { ...deps.options, ...more } }),
    runner,
    anotherRunner: runnerFor,
    stopPolling(which) {
      polling.get(which)?.abort();
    },
    reminderRunner,
    said,
    logs,
    async file(timing) {
      const filed = await run(
        service.fileRequest(
          { DBInstanceId: INSTANCE.id },
          { userId: "U0REQUESTER", locale: "en", timeZone: "Asia/Tokyo" },
          timing,
        ),
      );
      if (!filed.ok) throw new Error(`filing failed: ${JSON.stringify(filed)}`);
      return filed.request;
    },
    approve: (requestId, by = "U0APPROVER1") => service.approve(requestId, by),
    async fileAndApprove() {
      const filed = await self.file();
      const result = await run(self.approve(filed.id));
      return { request: filed, clickDoneAt: clock.now().getTime(), result };
    },
    thread(requestId) {
      return said
        .filter((one) => one.requestId === requestId && one.notification.kind === "thread")
        .map((one) => ({
          ...(one.notification as Extract<Notification, { kind: "thread" }>).event,
          at: one.at,
        }));
    },
    request,
    async settled(id, limitMs) {
      let current: BackupRequest | undefined;
      await clock.runUntil(async () => {
        current = await store.get(id);
        return current !== undefined && current.state !== "approved";
      }, limitMs);
      if (!current) throw new Error(`no request ${id}`);
      return current;
    },
    run,
    async close() {
      for (const stop of polling.values()) stop.abort();
      (service as { stopStarting?: () => void }).stopStarting?.();
      await run(service.drain()).catch(() => undefined);
      await inner.close();
    },
  };
  return self;
}
