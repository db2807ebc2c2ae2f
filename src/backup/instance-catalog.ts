/**
 * The instances the picker offers and the databases an instance has, cached briefly. Every read is
 * time-boxed: when RDS is slow, the last list is served and marked stale, so the options answer
 * lands inside Slack's 3 seconds.
 */
import type { InstanceInfo } from "../domain/instance.js";
import type { Logger } from "../logger.js";
import type { RdsGateway } from "./ports.js";

export interface CatalogOptions {
  regionIds: readonly string[];
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

export class InstanceCatalog {
  private instances: Cached<InstanceInfo[]> | undefined;
  private refreshing: Promise<InstanceInfo[]> | undefined;
  private readonly databases = new Map<string, Cached<string[]>>();
  private readonly details = new Map<string, Cached<InstanceInfo>>();

  constructor(
    private readonly rds: RdsGateway,
    private readonly options: CatalogOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Instances whose id or description contains `query` (case-insensitive), at most `limit`. */
  async search(query: string, limit = 100): Promise<InstanceList> {
    const list = await this.all();
    const needle = query.trim().toLowerCase();
    const matches = list.instances.filter(
      (instance) =>
        needle === "" ||
        instance.id.toLowerCase().includes(needle) ||
        instance.description.toLowerCase().includes(needle),
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

  private get describeTimeoutMs(): number {
    return this.options.describeTimeoutMs ?? 2_000;
  }

  /** The region of an instance the picker has listed (no call to RDS). */
  regionOf(instanceId: string): string | undefined {
    return this.instances?.value.find((candidate) => candidate.id === instanceId)?.regionId;
  }

  /** One instance's details (engine, storage, status), briefly cached for re-rendering the form. */
  async instance(instanceId: string): Promise<InstanceInfo> {
    const cached = this.details.get(instanceId);
    if (cached && this.now() - cached.at < this.options.ttlMs) return cached.value;
    const listed = this.instances?.value.find((candidate) => candidate.id === instanceId);
    const value = await this.rds.describeInstance(instanceId, {
      timeoutMs: this.describeTimeoutMs,
      ...(listed ? { regionId: listed.regionId } : {}),
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
