/**
 * `RdsGateway` over the official SDK (`@alicloud/rds20140815`, API 2014-08-15).
 *
 * Every method resolves with domain types or throws an `ApiFailure`, never an SDK error. Reads
 * retry transient failures inside their deadline; `createBackup` makes exactly one attempt,
 * because CreateBackup is not idempotent and only the use case can tell (from DescribeBackupTasks)
 * whether a second one is safe.
 */
import type { CallOptions, CreateBackupResult, RdsGateway } from "../backup/ports.js";
import { isCredentialFailure } from "../domain/api-errors.js";
import { ApiFailure } from "../domain/api-failure.js";
import type { BackupSet, BackupTask, InstanceInfo } from "../domain/instance.js";
import { type BackupParams, toApiParameters } from "../domain/params.js";
import {
  buildCredential,
  type Credential,
  createRdsClient,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  loadRdsSdk,
  type RdsClient,
  type RdsClientOptions,
  type RdsModule,
  type ResolvedCredential,
  type RuntimeOptions,
  resolveCredential,
  runtimeOptions,
} from "./client.js";
import { toApiMinute, toBackupSet, toBackupTask, toInstanceInfo, unsupportedEngine } from "./mapping.js";
import { DEFAULT_RETRY_POLICY, type RetryClock, type RetryPolicy, realClock, withRetry } from "./retry.js";
import { toApiFailure } from "./sdk-errors.js";

export interface AlibabaRdsGatewayOptions extends RdsClientOptions {
  /** Deadline of a read call, retries and pages included, when `CallOptions` gives none (10 s). */
  readTimeoutMs?: number | undefined;
  retryPolicy?: RetryPolicy | undefined;
  /** Tests inject a clock to drive the retry delays. */
  clock?: RetryClock | undefined;
  /** While the credentials fail, how often `credentialHealth` tries them again (default 30 s). */
  credentialRecheckMs?: number | undefined;
}

/** Whether the bot's Alibaba Cloud credentials work, as the last call told. */
export type CredentialHealth =
  | { ok: true }
  | {
      ok: false;
      /** The code RDS (or the credential chain) answered: `InvalidSecurityToken.Expired`, … */
      code: string;
      /** Since when every call fails this way. */
      since: Date;
    };

export const DEFAULT_READ_TIMEOUT_MS = 10_000;
/** The largest page the list operations accept. */
const PAGE_SIZE = 100;
/** A guard against an API that keeps saying there is more. */
const MAX_PAGES = 500;

/** One call through the SDK: the region's client, the attempt's timeouts, and the SDK's request models. */
type Attempt<T> = (
  client: RdsClient,
  runtime: RuntimeOptions,
  Rds: RdsModule,
) => Promise<{ value: T; requestId?: string | undefined }>;

/** Builds an SDK request model from API parameter names (`BackupMethod` → `backupMethod`). */
function fromApiNames(model: { names(): Record<string, string> }, params: Record<string, string | number>) {
  const byApiName = new Map(Object.entries(model.names()).map(([property, apiName]) => [apiName, property]));
  const map: Record<string, string | number> = {};
  for (const [apiName, value] of Object.entries(params)) {
    const property = byApiName.get(apiName);
    if (!property) {
      throw new ApiFailure({
        code: "UnknownParameter",
        message: `The SDK's CreateBackup request has no parameter ${apiName}.`,
        outcome: "not_sent",
        transient: false,
      });
    }
    map[property] = value;
  }
  return map;
}

export class AlibabaRdsGateway implements RdsGateway {
  private readonly clients = new Map<string, Promise<RdsClient>>();
  private readonly credential: Credential;
  private readonly secrets: string[];
  private readonly attemptTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly clock: RetryClock;
  /** Set when a call failed because of the credentials, cleared by the next call that works. */
  private credentialFailure: { code: string; since: Date } | undefined;
  private lastRecheckAt = 0;

  constructor(private readonly options: AlibabaRdsGatewayOptions) {
    this.credential = buildCredential(options);
    this.secrets = [options.accessKeySecret, options.securityToken].filter((s): s is string => !!s);
    this.attemptTimeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.clock = options.clock ?? realClock;
  }

  /**
   * Resolves the credentials once, at start-up: without any, the SDK would only fail at the first
   * call. Throws an Error that says what to configure (and holds no secret).
   */
  async checkCredentials(): Promise<Omit<ResolvedCredential, "secrets">> {
    const resolved = await resolveCredential(this.credential, this.secrets, this.options);
    for (const secret of resolved.secrets) if (!this.secrets.includes(secret)) this.secrets.push(secret);
    return { type: resolved.type, providerName: resolved.providerName, accessKeyId: resolved.accessKeyId };
  }

  async describeInstance(instanceId: string, options?: CallOptions): Promise<InstanceInfo> {
    const regionId = options?.regionId ?? this.options.regionId;
    return this.read("DescribeDBInstanceAttribute", regionId, options, async (client, runtime, Rds) => {
      const request = new Rds.DescribeDBInstanceAttributeRequest({ DBInstanceId: instanceId });
      const { body } = await client.describeDBInstanceAttributeWithOptions(request, runtime);
      const requestId = body?.requestId;
      const item = body?.items?.DBInstanceAttribute?.[0];
      if (!item) {
        throw new ApiFailure({
          code: "InvalidDBInstanceId.NotFound",
          message: `The DBInstanceId provided does not exist in records: ${instanceId}`,
          requestId,
          outcome: "rejected",
          transient: false,
        });
      }
      const mapped = toInstanceInfo(item, regionId);
      if (!mapped.ok) throw unsupportedEngine(instanceId, mapped.engine, requestId);
      return { value: mapped.instance, requestId };
    });
  }

  async listInstances(regionId: string, options?: CallOptions): Promise<InstanceInfo[]> {
    const deadline = this.deadline(options);
    const instances: InstanceInfo[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await this.readBy(
        "DescribeDBInstances",
        regionId,
        deadline,
        async (client, runtime, Rds) => {
          const request = new Rds.DescribeDBInstancesRequest({
            regionId,
            pageSize: PAGE_SIZE,
            pageNumber: page,
          });
          const { body } = await client.describeDBInstancesWithOptions(request, runtime);
          return {
            value: { items: body?.items?.DBInstance ?? [], total: body?.totalRecordCount },
            requestId: body?.requestId,
          };
        },
      );
      for (const item of result.items) {
        const mapped = toInstanceInfo(item, regionId);
        if (mapped.ok) instances.push(mapped.instance);
        else
          this.options.logger?.debug(
            { instanceId: item.DBInstanceId, engine: mapped.engine },
            "rds: skipped instance",
          );
      }
      const seen = (page - 1) * PAGE_SIZE + result.items.length;
      if (result.items.length < PAGE_SIZE || (result.total !== undefined && seen >= result.total)) break;
    }
    return instances;
  }

  async describeDatabases(instanceId: string, options?: CallOptions): Promise<string[]> {
    const regionId = options?.regionId ?? this.options.regionId;
    const deadline = this.deadline(options);
    const names: string[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const databases = await this.readBy(
        "DescribeDatabases",
        regionId,
        deadline,
        async (client, runtime, Rds) => {
          const request = new Rds.DescribeDatabasesRequest({
            DBInstanceId: instanceId,
            pageSize: PAGE_SIZE,
            pageNumber: page,
          });
          const { body } = await client.describeDatabasesWithOptions(request, runtime);
          return { value: body?.databases?.database ?? [], requestId: body?.requestId };
        },
      );
      for (const database of databases) if (database.DBName) names.push(database.DBName);
      // The response carries no total: a short page is the last one.
      if (databases.length < PAGE_SIZE) break;
    }
    return names;
  }

  async describeBackupTasks(
    query: { instanceId: string; backupJobId?: string | undefined },
    options?: CallOptions,
  ): Promise<BackupTask[]> {
    const regionId = options?.regionId ?? this.options.regionId;
    const jobId = query.backupJobId === undefined ? undefined : Number(query.backupJobId);
    if (jobId !== undefined && !(/^\d+$/.test(query.backupJobId ?? "") && Number.isSafeInteger(jobId))) {
      throw new ApiFailure({
        code: "InvalidBackupJobId.Malformed",
        message: `A backup job id is a number, not "${query.backupJobId}".`,
        outcome: "not_sent",
        transient: false,
      });
    }
    return this.read("DescribeBackupTasks", regionId, options, async (client, runtime, Rds) => {
      // The SDK wants BackupJobId as a number, although CreateBackup returns it as a string.
      const request = new Rds.DescribeBackupTasksRequest({
        DBInstanceId: query.instanceId,
        ...(jobId !== undefined ? { backupJobId: jobId } : {}),
      });
      const { body } = await client.describeBackupTasksWithOptions(request, runtime);
      return { value: (body?.items?.backupJob ?? []).map(toBackupTask), requestId: body?.requestId };
    });
  }

  async describeBackups(
    query: { instanceId: string; start: Date; end: Date; backupId?: string | undefined },
    options?: CallOptions,
  ): Promise<BackupSet[]> {
    const regionId = options?.regionId ?? this.options.regionId;
    const deadline = this.deadline(options);
    const startTime = toApiMinute(query.start);
    const endTime = toApiMinute(query.end, true);
    const sets: BackupSet[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await this.readBy(
        "DescribeBackups",
        regionId,
        deadline,
        async (client, runtime, Rds) => {
          const request = new Rds.DescribeBackupsRequest({
            DBInstanceId: query.instanceId,
            startTime,
            endTime,
            ...(query.backupId ? { backupId: query.backupId } : {}),
            pageSize: PAGE_SIZE,
            pageNumber: page,
          });
          const { body } = await client.describeBackupsWithOptions(request, runtime);
          // Paging counts of DescribeBackups are strings.
          const total = body?.totalRecordCount === undefined ? undefined : Number(body.totalRecordCount);
          return { value: { items: body?.items?.backup ?? [], total }, requestId: body?.requestId };
        },
      );
      sets.push(...result.items.map(toBackupSet));
      const seen = (page - 1) * PAGE_SIZE + result.items.length;
      const total = result.total !== undefined && Number.isFinite(result.total) ? result.total : undefined;
      if (result.items.length < PAGE_SIZE || (total !== undefined && seen >= total)) break;
    }
    return sets;
  }

  async createBackup(params: BackupParams, options?: CallOptions): Promise<CreateBackupResult> {
    const regionId = options?.regionId ?? this.options.regionId;
    // The caller's deadline is the one used (the configured CreateBackup timeout), longer or shorter
    // than a read's attempt: an answer cut short here is an unclear one, which costs a long wait.
    const timeoutMs = options?.timeoutMs ?? this.attemptTimeoutMs;
    return this.attempt("CreateBackup", regionId, timeoutMs, 1, async (client, runtime, Rds) => {
      const request = new Rds.CreateBackupRequest(
        fromApiNames(Rds.CreateBackupRequest, toApiParameters(params)),
      );
      const { body } = await client.createBackupWithOptions(request, runtime);
      const requestId = body?.requestId;
      if (!body?.backupJobId) {
        // The API said yes but gave no job id: a job may exist, so the outcome is unknown.
        throw new ApiFailure({
          code: "InvalidResponse",
          message: "CreateBackup answered without a BackupJobId.",
          requestId,
          outcome: "unknown",
          transient: false,
        });
      }
      return { value: { backupJobId: body.backupJobId, requestId: requestId ?? "" }, requestId };
    });
  }

  private deadline(options: CallOptions | undefined): number {
    return this.clock.now() + (options?.timeoutMs ?? this.readTimeoutMs);
  }

  private read<T>(
    action: string,
    regionId: string,
    options: CallOptions | undefined,
    call: Attempt<T>,
  ): Promise<T> {
    return this.readBy(action, regionId, this.deadline(options), call);
  }

  /** One read, retried while transient and while the deadline allows. */
  private readBy<T>(action: string, regionId: string, deadline: number, call: Attempt<T>): Promise<T> {
    return withRetry(
      ({ attempt, remainingMs }) =>
        this.attempt(action, regionId, Math.min(this.attemptTimeoutMs, remainingMs), attempt, call),
      deadline,
      this.policy,
      this.clock,
    );
  }

  /** One HTTP attempt: errors become `ApiFailure`s, and one debug line is logged. */
  private async attempt<T>(
    action: string,
    regionId: string,
    timeoutMs: number,
    attempt: number,
    call: Attempt<T>,
  ): Promise<T> {
    const started = performance.now();
    const log = (fields: Record<string, unknown>) =>
      this.options.logger?.debug(
        { action, regionId, attempt, durationMs: Math.round(performance.now() - started), ...fields },
        "rds: call",
      );
    try {
      const { value, requestId } = await call(
        await this.client(regionId),
        runtimeOptions(timeoutMs),
        await loadRdsSdk(),
      );
      log({ requestId });
      this.credentialFailure = undefined;
      return value;
    } catch (err) {
      const failure = toApiFailure(err, this.secrets);
      if (isCredentialFailure(failure.code)) {
        this.credentialFailure ??= { code: failure.code, since: new Date(this.clock.now()) };
      }
      log({
        code: failure.code,
        outcome: failure.outcome,
        httpStatus: failure.httpStatus,
        requestId: failure.requestId,
      });
      throw failure;
    }
  }

  private client(regionId: string): Promise<RdsClient> {
    let client = this.clients.get(regionId);
    if (!client) {
      client = createRdsClient(this.options, regionId, this.credential);
      // A failed build is not kept: the next call tries again.
      client.catch(() => this.clients.delete(regionId));
      this.clients.set(regionId, client);
    }
    return client;
  }

  /**
   * Whether the credentials work, as the last call told (readiness reports it). While they fail,
   * one cheap call tries them again now and then, so the bot becomes ready again by itself once an
   * operator has fixed them, even when nobody uses it meanwhile.
   */
  credentialHealth(): CredentialHealth {
    const failure = this.credentialFailure;
    if (!failure) return { ok: true };
    const now = this.clock.now();
    if (now - this.lastRecheckAt >= (this.options.credentialRecheckMs ?? 30_000)) {
      this.lastRecheckAt = now;
      this.probeCredentials().catch(() => {
        // The failure is recorded by the attempt itself; nothing else to do here.
      });
    }
    return { ok: false, code: failure.code, since: failure.since };
  }

  /** One cheap authenticated call (a one-item listing in the default region). */
  async probeCredentials(): Promise<void> {
    const regionId = this.options.regionId;
    await this.attempt(
      "DescribeDBInstances",
      regionId,
      this.attemptTimeoutMs,
      1,
      async (client, runtime, Rds) => {
        const request = new Rds.DescribeDBInstancesRequest({ regionId, pageSize: 1, pageNumber: 1 });
        const { body } = await client.describeDBInstancesWithOptions(request, runtime);
        return { value: undefined, requestId: body?.requestId };
      },
    );
  }

  /** Loads the SDK ahead of the first call (after start-up), so no request pays for it. */
  async warmUp(): Promise<void> {
    await this.client(this.options.regionId);
  }
}
