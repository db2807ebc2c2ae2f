/**
 * The instances the picker offers and the databases an instance has, cached briefly, and the
 * region each instance lives in, remembered. Every read is time-boxed: when RDS is slow, the last
 * list is served and marked stale, so the options answer lands inside Slack's 3 seconds.
 */
import { ApiFailure } from "../domain/api-failure.js";
import { type InstanceInfo, isPrimary } from "../domain/instance.js";
import type { Logger } from "../logger.js";
import type { RdsGateway } from "./ports.js";

export interface CatalogOptions {
  /** The regions the picker lists, and where an instance of unknown region is looked for. */
  regionIds: readonly string[];
  /** The default region, asked too when an instance's region is not known. */
  defaultRegionId?: string | undefined;
  ttlMs: number;
  /**
   * How long a caller waits for the instance list before the cached one is served: the picker's
   * answer rides in its ack, so this is well inside Slack's 3 seconds.
   */
  answerWithinMs: number;
  /**
   * Deadline of one instance's or its databases' look-up for re-rendering the form (after the ack,
   * so longer). Default 2 s.
   */
  describeTimeoutMs?: number | undefined;
}

interface Cached<T> {
  value: T;
  at: number;
}

export interface InstanceList {
  instances: InstanceInfo[];
  /** True when RDS did not answer in time and an older list was served. */
  stale: boolean;
  /** True when no list could be had at all. */
  unavailable: boolean;
}

/** Where an instance lives, as far as RDS said. */
export type Located =
  | { kind: "found"; regionId: string }
  /** No region the bot knows has it (each one answered "not found"). */
  | { kind: "not_found"; regionIds: readonly string[] }
  /** Some region could not answer, and none had it: try again later. */
  | { kind: "failed"; error: unknown };

/** Codes with which RDS says an instance is not in the region asked. */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  "InvalidDBInstanceId.NotFound",
  "InvalidDBInstanceName.NotFound",
]);

/** Regions remembered at most (instance ids are short; this bounds a long-running bot's memory). */
const MAX_REMEMBERED_REGIONS = 10_000;

export class InstanceCatalog {
  private instances: Cached<InstanceInfo[]> | undefined;
  private refreshing: Promise<InstanceInfo[]> | undefined;
  private readonly databases = new Map<string, Cached<string[]>>();
  private readonly details = new Map<string, Cached<InstanceInfo>>();
  /** Instance id → region: an instance never changes region, so this is kept for good. */
  private readonly regions = new Map<string, string>();
  private readonly searching = new Map<string, Promise<Located>>();

  constructor(
    private readonly rds: RdsGateway,
    private readonly options: CatalogOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Primary instances whose id or description contains `query` (case-insensitive), at most
   * `limit`. Read-only and other secondary instances are listed by RDS but never offered: they
   * cannot be backed up.
   */
  async search(query: string, limit = 100): Promise<InstanceList> {
    const list = await this.all();
    const needle = query.trim().toLowerCase();
    const matches = list.instances.filter(
      (instance) =>
        isPrimary(instance) &&
        (needle === "" ||
          instance.id.toLowerCase().includes(needle) ||
          instance.description.toLowerCase().includes(needle)),
    );
    return { ...list, instances: matches.slice(0, limit) };
  }

  async all(): Promise<InstanceList> {
    const cached = this.instances;
    if (cached && this.now() - cached.at < this.options.ttlMs) {
      return { instances: cached.value, stale: false, unavailable: false };
    }
    const fresh = this.refresh();
    const answer = await Promise.race([
      fresh.then((value) => ({ value })),
      delay(this.options.answerWithinMs),
    ]);
    if (answer) return { instances: answer.value, stale: false, unavailable: false };
    // Too slow: serve what we had; the refresh goes on and fills the cache for the next keystroke.
    return cached
      ? { instances: cached.value, stale: true, unavailable: false }
      : { instances: [], stale: true, unavailable: true };
  }

  private refresh(): Promise<InstanceInfo[]> {
    this.refreshing ??= Promise.all(
      this.options.regionIds.map((regionId) =>
        this.rds.listInstances(regionId, { regionId, timeoutMs: 15_000 }),
      ),
    )
      .then((perRegion) => {
        const value = perRegion.flat().sort((a, b) => a.id.localeCompare(b.id));
        for (const instance of value) this.remember(instance.id, instance.regionId);
        this.instances = { value, at: this.now() };
        return value;
      })
      .catch((error: unknown) => {
        this.log.warn({ err: error }, "listing instances failed");
        return this.instances?.value ?? [];
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /**
   * The region of an instance, whatever the picker's cache holds: remembered from a listing or an
   * earlier look-up, or else asked of every region the bot knows (at once), and remembered.
   */
  async locate(instanceId: string, timeoutMs: number): Promise<Located> {
    const known = this.regions.get(instanceId);
    if (known) return { kind: "found", regionId: known };
    const regionIds = [...new Set([this.options.defaultRegionId, ...this.options.regionIds])].filter(
      (regionId): regionId is string => Boolean(regionId),
    );
    // One region: nothing to choose between; the look-up that follows says whether it is there.
    const [only] = regionIds;
    if (regionIds.length === 1 && only) return { kind: "found", regionId: only };
    if (regionIds.length === 0) return { kind: "not_found", regionIds };
    // Several people asking about the same instance at once share one search.
    let search = this.searching.get(instanceId);
    if (!search) {
      search = this.askEveryRegion(instanceId, regionIds, timeoutMs).finally(() =>
        this.searching.delete(instanceId),
      );
      this.searching.set(instanceId, search);
    }
    return search;
  }

  /** Every region at once; the first that has the instance answers (a slow region does not hold it up). */
  private askEveryRegion(
    instanceId: string,
    regionIds: readonly string[],
    timeoutMs: number,
  ): Promise<Located> {
    return new Promise((resolve) => {
      const errors: unknown[] = [];
      let pending = regionIds.length;
      for (const regionId of regionIds) {
        this.rds.describeInstance(instanceId, { regionId, timeoutMs }).then(
          (instance) => {
            if (!this.regions.has(instanceId)) {
              this.remember(instanceId, instance.regionId);
              this.details.set(instanceId, { value: instance, at: this.now() });
            }
            resolve({ kind: "found", regionId: instance.regionId });
          },
          (error: unknown) => {
            errors.push(error);
            pending -= 1;
            if (pending > 0) return;
            const failure = errors.find(
              (candidate) => !(candidate instanceof ApiFailure && NOT_FOUND_CODES.has(candidate.code)),
            );
            resolve(
              failure === undefined ? { kind: "not_found", regionIds } : { kind: "failed", error: failure },
            );
          },
        );
      }
    });
  }

  private remember(instanceId: string, regionId: string): void {
    this.regions.delete(instanceId);
    this.regions.set(instanceId, regionId);
    if (this.regions.size > MAX_REMEMBERED_REGIONS) {
      const oldest = this.regions.keys().next().value;
      if (oldest !== undefined) this.regions.delete(oldest);
    }
  }

  private get describeTimeoutMs(): number {
    return this.options.describeTimeoutMs ?? 2_000;
  }

  /** One instance's details (engine, storage, status), briefly cached for re-rendering the form. */
  async instance(instanceId: string): Promise<InstanceInfo> {
    const cached = this.details.get(instanceId);
    if (cached && this.now() - cached.at < this.options.ttlMs) return cached.value;
    const located = await this.locate(instanceId, this.describeTimeoutMs);
    if (located.kind === "failed") throw located.error;
    if (located.kind === "not_found") {
      throw new ApiFailure({
        code: "InvalidDBInstanceId.NotFound",
        message: `No instance ${instanceId} in ${located.regionIds.join(", ")}.`,
        outcome: "rejected",
        transient: false,
      });
    }
    const fresh = this.details.get(instanceId);
    if (fresh && this.now() - fresh.at < this.options.ttlMs) return fresh.value;
    const value = await this.rds.describeInstance(instanceId, {
      timeoutMs: this.describeTimeoutMs,
      regionId: located.regionId,
    });
    this.details.set(instanceId, { value, at: this.now() });
    return value;
  }

  /**
   * The databases of an instance the form shows, whose name contains `query`, at most `limit`
   * (the database picker's search when there are more than a select holds). Empty when RDS could
   * not say.
   */
  async searchDatabases(instanceId: string, query: string, limit: number): Promise<string[]> {
    const instance = await this.instance(instanceId);
    return namesMatching((await this.databasesOf(instance)) ?? [], query, limit);
  }

  /** Database names of an instance, or `undefined` when RDS could not say in time. */
  async databasesOf(instance: Pick<InstanceInfo, "id" | "regionId">): Promise<string[] | undefined> {
    const cached = this.databases.get(instance.id);
    if (cached && this.now() - cached.at < this.options.ttlMs) return cached.value;
    try {
      const value = await this.rds.describeDatabases(instance.id, {
        regionId: instance.regionId,
        timeoutMs: this.describeTimeoutMs,
      });
      this.databases.set(instance.id, { value, at: this.now() });
      return value;
    } catch (error) {
      this.log.warn({ err: error, instanceId: instance.id }, "listing databases failed");
      return cached?.value;
    }
  }
}

/** Names containing `query` (case-insensitive), in order, at most `limit`. */
export function namesMatching(names: readonly string[], query: string, limit: number): string[] {
  const needle = query.trim().toLowerCase();
  return names.filter((name) => name.toLowerCase().includes(needle)).slice(0, limit);
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
