/**
 * A local ApsaraDB RDS API (version 2014-08-15) for tests and the demo: plain `node:http`, the real
 * SDK talks to it over HTTP exactly as it talks to Alibaba Cloud.
 *
 * - Every request is authenticated like the real API gateway does it: ACS3-HMAC-SHA256 signature
 *   recomputed from the request (rds-signature.ts), AccessKey looked up, `x-acs-version` checked,
 *   `x-acs-date` within 15 minutes, nonce never reused. Errors come back in the API's own shape
 *   `{"RequestId","HostId","Code","Message","Recommend"}`.
 * - State is in memory: instances (a default fleet of every engine and storage kind), backup jobs
 *   and backup sets. CreateBackup enforces the API's preconditions.
 * - Tests script it: `failNext` (API errors and network faults), `setLatency`, `scriptJob`.
 *
 * Backup jobs move through their script one step at a time, deterministically: with the default
 * `jobAdvance: "on-query"`, each DescribeBackupTasks answer that lists a job moves that job one step
 * on *after* answering (the first answer shows the first step); with `"manual"` only
 * `advanceJobs()` / `settleJobs()` move them. A job that reaches Finished records its backup set.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { errorDefaults } from "./rds-error-codes.js";
import { type ListingTiming, NO_LAG, setListed, taskListed, timedSteps } from "./rds-listings.js";
import { type KnownKey, verifyRequest } from "./rds-signature.js";

export const API_VERSION = "2014-08-15";
export const RDS_ACTIONS = [
  "DescribeDBInstanceAttribute",
  "DescribeDBInstances",
  "DescribeDatabases",
  "DescribeBackupTasks",
  "DescribeBackups",
  "CreateBackup",
] as const;
export type RdsAction = (typeof RDS_ACTIONS)[number];

/** The AccessKey the emulator knows when none are configured. */
export const EMULATOR_ACCESS_KEY_ID = "LTAI-emulator";
export const EMULATOR_ACCESS_KEY_SECRET = "emulator-secret";

export const TASK_STATUSES = [
  "NoStart",
  "Checking",
  "Preparing",
  "Waiting",
  "Uploading",
  "Finished",
  "Failed",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface EmulatorInstance {
  id: string;
  regionId: string;
  zoneId: string;
  /** `MySQL`, `PostgreSQL`, `SQLServer`, `MariaDB` (anything else to test an unsupported engine). */
  engine: string;
  engineVersion: string;
  /** DBInstanceStatus: `Running`, `Restarting`, `Creating`, … */
  status: string;
  description: string;
  storageType: string;
  category: string;
  /** `Unlock`, or why it is locked (`ManualLock`, `LockByExpiration`, …). */
  lockMode: string;
  /**
   * DBInstanceType: `Primary`, `Readonly` (ids `rr-…`), `Guard` (disaster recovery), `Temp`
   * (SDK model DescribeDBInstanceAttributeResponseBody, "DBInstanceType").
   */
  instanceType: string;
  /** MasterInstanceId: the primary of a read-only (or other secondary) instance; absent on a primary. */
  masterInstanceId?: string | undefined;
  instanceClass: string;
  storageGb: number;
  databases: string[];
  createdAt: Date;
}

export type InstanceInput = Pick<EmulatorInstance, "id"> & Partial<Omit<EmulatorInstance, "id">>;

export interface JobStep {
  status: TaskStatus;
  /** Percent, reported as the `Process` string. */
  process?: number | undefined;
  /** Size of the backup set when this step is Finished (bytes). */
  backupSize?: number | undefined;
}

export interface EmulatorJob {
  backupJobId: string;
  instanceId: string;
  /** The CreateBackup parameters that started it. */
  params: Record<string, string>;
  startedAt: Date;
  steps: JobStep[];
  stepIndex: number;
  backupId?: string | undefined;
  finishedAt?: Date | undefined;
}

export interface EmulatorBackupSet {
  backupId: string;
  instanceId: string;
  backupJobId?: string | undefined;
  method: string;
  /** `Manual` (CreateBackup) or `Automated`. */
  mode: string;
  type: string;
  status: string;
  size: number;
  startTime: Date;
  endTime: Date;
  /** When the set was made; DescribeBackups shows it `setLagMs` later (rds-listings.ts). */
  recordedAt?: Date | undefined;
}

/** An API error to answer with; status and message default from rds-error-codes.ts. */
export interface ApiErrorScript {
  code: string;
  httpStatus?: number | undefined;
  message?: string | undefined;
  recommend?: string | undefined;
  /** Sent as `x-acs-retry-after` (milliseconds), as the API does when throttling. */
  retryAfterMs?: number | undefined;
}

export type FaultScript =
  /** Never answers (until the emulator closes). */
  | { fault: "hang" }
  /** Destroys the socket without an answer. */
  | { fault: "drop" }
  /** Answers normally after `ms`. */
  | { fault: "delay"; ms: number }
  /** A load balancer's HTML 502 page. */
  | { fault: "html502" }
  /** CreateBackup only: creates the job, then hangs (or answers after `ms`). */
  | { fault: "timeout-after-create"; ms?: number | undefined }
  /**
   * CreateBackup only: creates the job, then answers with an API error (a 5xx by default) or drops
   * the connection. A call whose answer was lost is followed "in practice" by the listings' lag and
   * BackupJobExists (../shared/docs/createbackup.md, "What the listings really do").
   */
  | { fault: "error-after-create"; code?: string | undefined; httpStatus?: number | undefined }
  | { fault: "drop-after-create" };

export type ScriptedFailure = ApiErrorScript | FaultScript;

export interface RecordedCall {
  action: string;
  /** The endpoint that received it, as Alibaba Cloud names it: `rds.aliyuncs.com`, `rds.ap-northeast-1.aliyuncs.com`. */
  endpoint: string;
  params: Record<string, string>;
  at: Date;
  requestId: string;
  accessKeyId?: string | undefined;
  /** The HTTP status answered, or the fault applied. */
  result?: number | "hang" | "drop" | undefined;
}

export interface RdsEmulatorOptions {
  /** AccessKey id → secret (or secret and STS token). Default: the one emulator key. */
  accessKeys?: Record<string, string | KnownKey> | undefined;
  /** Replaces the default fleet. */
  instances?: readonly InstanceInput[] | undefined;
  /** `"timed"`: each job takes one step every `stepMs` of wall time (rds-listings.ts). */
  jobAdvance?: "on-query" | "manual" | "timed" | undefined;
  /** With `jobAdvance: "timed"`: time per step (default 250 ms). */
  stepMs?: number | undefined;
  /** How late the listings show jobs and backup sets (rds-listings.ts); default at once. */
  listings?: Partial<ListingTiming> | undefined;
  /** The steps of a job nobody scripted. */
  defaultJobSteps?: readonly JobStep[] | undefined;
  now?: (() => Date) | undefined;
  host?: string | undefined;
  port?: number | undefined;
  maxBackupsPerDay?: number | undefined;
}

export interface RdsEmulator {
  /**
   * `http://127.0.0.1:<port>`: the central endpoint (`rds.aliyuncs.com`), which serves the central
   * regions (cn-hangzhou, cn-beijing, cn-shanghai, …, see CENTRAL_REGIONS) and no other.
   */
  readonly url: string;
  readonly endpoint: URL;
  /** The endpoint of a region: the central one, or the region's own (started on first use). */
  endpointFor(regionId: string): Promise<URL>;
  /** RDS_ENDPOINT naming each region's endpoint: `cn-hangzhou=http://…,ap-northeast-1=http://…`. */
  endpointsFor(regionIds: readonly string[]): Promise<string>;
  /** Every request received, in order, whatever its fate. */
  readonly calls: readonly RecordedCall[];
  count(action?: string): number;
  clearCalls(): void;
  /** The next `times` calls of `action` (or of any action, `"*"`) fail this way. */
  failNext(action: RdsAction | "*", failure: ScriptedFailure, times?: number): void;
  clearFailures(): void;
  /** Delays every answer by `ms`. */
  setLatency(ms: number): void;
  /** How late the listings show jobs and backup sets from now on (rds-listings.ts). */
  setListings(timing: Partial<ListingTiming>): void;
  /** Adds or replaces an AccessKey (an STS one with its token and expiry: `expiresAt` in the past expires it now). */
  setAccessKey(accessKeyId: string, key: string | KnownKey): void;
  /** Script a job by id, or the next job CreateBackup creates (`"next"`; queued in order). */
  scriptJob(jobIdOrNext: string, steps: readonly JobStep[]): void;
  /** Moves every unfinished job `steps` steps on. */
  advanceJobs(steps?: number): void;
  /** Runs every unfinished job to the end of its script. */
  settleJobs(): void;
  addInstance(input: InstanceInput): EmulatorInstance;
  updateInstance(id: string, patch: Partial<Omit<EmulatorInstance, "id">>): EmulatorInstance;
  removeInstance(id: string): void;
  instance(id: string): EmulatorInstance | undefined;
  instances(): EmulatorInstance[];
  jobs(instanceId?: string): EmulatorJob[];
  job(backupJobId: string): EmulatorJob | undefined;
  backupSets(instanceId?: string): EmulatorBackupSet[];
  addBackupSet(instanceId: string, set?: Partial<Omit<EmulatorBackupSet, "instanceId">>): EmulatorBackupSet;
  close(): Promise<void>;
}

/**
 * Regions the SDK sends to the central endpoint `rds.aliyuncs.com` (the public ones of
 * `@alicloud/rds20140815`'s `_endpointMap`). The central endpoint finds instances of these regions
 * only; any other region is served by `rds.{region}.aliyuncs.com` alone, so an instance asked for
 * at another region's endpoint is not found (aliyun/alibaba-cloud-sdk-go#518: an us-east-1
 * instance is found from cn-hangzhou, cn-beijing, … but an ap-south-1 one only from ap-south-1).
 */
export const CENTRAL_REGIONS: readonly string[] = [
  "cn-qingdao",
  "cn-beijing",
  "cn-hangzhou",
  "cn-shanghai",
  "cn-shenzhen",
  "cn-heyuan",
  "cn-hongkong",
  "ap-southeast-1",
  "us-west-1",
  "us-east-1",
];
const CENTRAL = "central";

// ─── The default fleet ──────────────────────────────────────────────────────────────────────────

/** Ids of the default fleet, for tests and the demo. */
export const SEED = {
  mysql: "rm-bp1mysql01",
  mysqlCloud: "rm-bp1mysql02",
  postgres: "pgm-bp1pg01",
  sqlServer: "rm-bp1mssql01",
  sqlServerLocal: "rm-bp1mssql02",
  mariadb: "mr-bp1maria01",
  locked: "rm-bp1locked01",
  restarting: "rm-bp1restart01",
  readOnly: "rr-bp1mysqlro01",
  tokyo: "rm-6we1tokyo01",
} as const;

export const DEFAULT_INSTANCES: readonly InstanceInput[] = [
  {
    id: SEED.mysql,
    engine: "MySQL",
    engineVersion: "8.0",
    description: "orders (production)",
    storageType: "local_ssd",
    category: "HighAvailability",
    databases: ["orders", "customers", "inventory"],
  },
  {
    id: SEED.mysqlCloud,
    engine: "MySQL",
    engineVersion: "5.7",
    description: "blog",
    storageType: "cloud_essd",
    category: "Basic",
    databases: ["wordpress"],
  },
  {
    id: SEED.postgres,
    engine: "PostgreSQL",
    engineVersion: "15.0",
    description: "analytics",
    storageType: "cloud_essd",
    category: "HighAvailability",
    databases: ["analytics", "postgres"],
  },
  {
    id: SEED.sqlServer,
    engine: "SQLServer",
    engineVersion: "2019_std_ha",
    description: "erp",
    storageType: "cloud_essd",
    category: "HighAvailability",
    databases: ["erp", "reporting"],
  },
  {
    id: SEED.sqlServerLocal,
    engine: "SQLServer",
    engineVersion: "2012_ent_ha",
    description: "legacy erp",
    storageType: "local_ssd",
    category: "HighAvailability",
    databases: ["legacy"],
  },
  {
    id: SEED.mariadb,
    engine: "MariaDB",
    engineVersion: "10.3",
    description: "wiki",
    storageType: "cloud_essd",
    category: "HighAvailability",
    databases: ["wiki"],
  },
  {
    id: SEED.locked,
    engine: "MySQL",
    engineVersion: "8.0",
    description: "locked: disk full",
    storageType: "cloud_essd",
    category: "Basic",
    lockMode: "LockByDiskQuota",
    databases: ["app"],
  },
  {
    id: SEED.restarting,
    engine: "MySQL",
    engineVersion: "8.0",
    description: "restarting",
    status: "Restarting",
    storageType: "local_ssd",
    category: "HighAvailability",
    databases: ["app"],
  },
  {
    id: SEED.readOnly,
    engine: "MySQL",
    engineVersion: "8.0",
    description: "orders read replica",
    storageType: "local_ssd",
    category: "HighAvailability",
    instanceType: "Readonly",
    masterInstanceId: SEED.mysql,
    databases: ["orders", "customers", "inventory"],
  },
  {
    id: SEED.tokyo,
    regionId: "ap-northeast-1",
    zoneId: "ap-northeast-1a",
    engine: "MySQL",
    engineVersion: "8.0",
    description: "tokyo shop",
    storageType: "cloud_essd",
    category: "HighAvailability",
    databases: ["shop"],
  },
];

export const DEFAULT_JOB_STEPS: readonly JobStep[] = [
  { status: "Checking", process: 0 },
  { status: "Uploading", process: 30 },
  { status: "Uploading", process: 60 },
  { status: "Finished", process: 100 },
];

const DEFAULT_DATABASES: Record<string, string[]> = {
  MySQL: ["app"],
  PostgreSQL: ["postgres"],
  SQLServer: ["app"],
  MariaDB: ["app"],
};

function instanceFrom(input: InstanceInput, now: Date): EmulatorInstance {
  const engine = input.engine ?? "MySQL";
  const regionId = input.regionId ?? "cn-hangzhou";
  return {
    regionId,
    zoneId: `${regionId}-h`,
    engine,
    engineVersion: "8.0",
    status: "Running",
    description: input.id,
    storageType: "cloud_essd",
    category: "HighAvailability",
    lockMode: "Unlock",
    instanceType: "Primary",
    instanceClass: engine === "SQLServer" ? "mssql.x4.medium.s2" : "rds.mysql.s2.large",
    storageGb: 100,
    databases: DEFAULT_DATABASES[engine] ?? [],
    createdAt: new Date(now.getTime() - 90 * 86_400_000),
    ...input,
  };
}

// ─── Wire formats ───────────────────────────────────────────────────────────────────────────────

const pad = (n: number) => String(n).padStart(2, "0");
/** `2024-05-01T03:04:05Z`, as the API writes times. */
function apiTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
const MINUTE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/;
/** Reads the `yyyy-MM-ddTHH:mmZ` the API wants for DescribeBackups. */
function parseMinuteTime(raw: string | undefined): Date | undefined {
  const m = raw ? MINUTE_TIME.exec(raw) : null;
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
const utcDay = (date: Date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/** `cloud_ssd`, `cloud_essd*`, `general_essd` (SDK model DescribeDBInstanceAttributeResponseBody). */
function isCloudDisk(storageType: string): boolean {
  return storageType.startsWith("cloud_") || storageType.startsWith("general_essd");
}

class ApiError extends Error {
  constructor(
    readonly code: string,
    /** The API's message; the code's default when absent. */
    readonly apiMessage?: string,
  ) {
    super(code);
  }
}

function fail(code: string, message?: string): never {
  throw new ApiError(code, message);
}

type Params = Record<string, string>;
type Json = Record<string, unknown>;

function pageArgs(params: Params, allowed: (size: number) => boolean): { size: number; number: number } {
  const size = params.PageSize === undefined ? 30 : Number(params.PageSize);
  const number = params.PageNumber === undefined ? 1 : Number(params.PageNumber);
  if (!Number.isInteger(size) || !allowed(size))
    fail("InvalidParameter", "The specified parameter PageSize is not valid.");
  if (!Number.isInteger(number) || number < 1) {
    fail("InvalidParameter", "The specified parameter PageNumber is not valid.");
  }
  return { size, number };
}

// ─── The emulator ───────────────────────────────────────────────────────────────────────────────

export async function startRdsEmulator(options: RdsEmulatorOptions = {}): Promise<RdsEmulator> {
  const now = options.now ?? (() => new Date());
  const keys = new Map<string, KnownKey>(
    Object.entries(options.accessKeys ?? { [EMULATOR_ACCESS_KEY_ID]: EMULATOR_ACCESS_KEY_SECRET }).map(
      ([id, key]) => [id, typeof key === "string" ? { secret: key } : key],
    ),
  );
  const jobAdvance = options.jobAdvance ?? "on-query";
  const stepMs = options.stepMs ?? 250;
  let listings: ListingTiming = { ...NO_LAG, ...options.listings };
  const defaultSteps = [...(options.defaultJobSteps ?? DEFAULT_JOB_STEPS)];
  const maxBackupsPerDay = options.maxBackupsPerDay ?? 20;

  const instances = new Map<string, EmulatorInstance>();
  const jobs = new Map<string, EmulatorJob>();
  const sets: EmulatorBackupSet[] = [];
  const calls: RecordedCall[] = [];
  const failures: Array<{ action: string; failure: ScriptedFailure; remaining: number }> = [];
  const nextScripts: JobStep[][] = [];
  const usedNonces = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = 0;
  let nextJobId = 5_070_001;
  let nextBackupId = 3_466_502_001;

  // ── state helpers ──
  /** The endpoint answering the request being handled (handlers run synchronously). */
  let serving = CENTRAL;
  const serves = (regionId: string) =>
    serving === CENTRAL ? CENTRAL_REGIONS.includes(regionId) : serving === regionId;
  const getInstance = (id: string | undefined): EmulatorInstance => {
    if (!id) fail("MissingDBInstanceId");
    const found = instances.get(id);
    // An instance of another region is unknown here, as it is at the real endpoint.
    if (!found || !serves(found.regionId)) fail("InvalidDBInstanceId.NotFound");
    return found;
  };
  const jobStep = (job: EmulatorJob): JobStep =>
    job.steps[Math.min(job.stepIndex, job.steps.length - 1)] as JobStep;
  const isDone = (job: EmulatorJob) => {
    const status = jobStep(job).status;
    return status === "Finished" || status === "Failed";
  };
  const addSet = (instanceId: string, set: Partial<Omit<EmulatorBackupSet, "instanceId">> = {}) => {
    const at = now();
    const record: EmulatorBackupSet = {
      backupId: String(nextBackupId++),
      method: "Physical",
      mode: "Automated",
      type: "FullBackup",
      status: "Success",
      size: 2_147_483_648,
      // Ten minutes long, but never starting yesterday: "backups today" counts by start time.
      startTime: new Date(Math.max(at.getTime() - 10 * 60_000, Date.parse(`${utcDay(at)}T00:00:00Z`))),
      endTime: at,
      ...set,
      instanceId,
    };
    sets.push(record);
    return record;
  };
  /** Enters the job's current step: a Finished step records the backup set. */
  const enterStep = (job: EmulatorJob) => {
    const step = jobStep(job);
    if ((step.status === "Finished" || step.status === "Failed") && !job.finishedAt) {
      job.finishedAt = now();
      if (step.status === "Finished") {
        const set = addSet(job.instanceId, {
          backupJobId: job.backupJobId,
          method: job.params.BackupMethod ?? "Physical",
          mode: "Manual",
          type:
            job.params.BackupType === "FullBackup" || !job.params.BackupType
              ? "FullBackup"
              : "IncrementalBackup",
          size: step.backupSize ?? 1_073_741_824 + (Number(job.backupJobId) % 1000),
          startTime: job.startedAt,
          endTime: job.finishedAt,
          recordedAt: job.finishedAt,
        });
        job.backupId = set.backupId;
      }
    }
  };
  const advance = (job: EmulatorJob, steps = 1) => {
    for (let i = 0; i < steps && !isDone(job); i++) {
      job.stepIndex++;
      enterStep(job);
    }
  };
  /** `jobAdvance: "timed"`: every job takes the steps its age allows, before any answer. */
  const catchUpTimedJobs = () => {
    if (jobAdvance !== "timed") return;
    for (const job of jobs.values()) advance(job, timedSteps(job.startedAt, now(), stepMs) - job.stepIndex);
  };

  for (const input of options.instances ?? DEFAULT_INSTANCES) {
    const instance = instanceFrom(input, now());
    instances.set(instance.id, instance);
    // One automated backup from yesterday, as a real instance has.
    if (!options.instances)
      addSet(instance.id, {
        startTime: new Date(now().getTime() - 86_400_000 - 600_000),
        endTime: new Date(now().getTime() - 86_400_000),
      });
  }

  // ── JSON shapes (PascalCase, as the API writes them) ──
  const readOnlyIdsOf = (primary: EmulatorInstance) =>
    [...instances.values()]
      .filter((i) => i.instanceType === "Readonly" && i.masterInstanceId === primary.id)
      .map((i) => ({ DBInstanceId: i.id }));
  const attributeJson = (i: EmulatorInstance): Json => ({
    DBInstanceId: i.id,
    RegionId: i.regionId,
    ZoneId: i.zoneId,
    Engine: i.engine,
    EngineVersion: i.engineVersion,
    DBInstanceStatus: i.status,
    DBInstanceDescription: i.description,
    DBInstanceStorageType: i.storageType,
    Category: i.category,
    LockMode: i.lockMode,
    LockReason: i.lockMode === "Unlock" ? "" : i.lockMode,
    DBInstanceType: i.instanceType,
    DBInstanceClass: i.instanceClass,
    DBInstanceStorage: i.storageGb,
    DBInstanceMemory: 4096,
    MaxConnections: 2000,
    PayType: "Postpaid",
    CreationTime: apiTime(i.createdAt),
    DBInstanceNetType: "Intranet",
    InstanceNetworkType: "VPC",
    ConnectionString: `${i.id}.${i.engine.toLowerCase()}.rds.aliyuncs.com`,
    Port: i.engine === "SQLServer" ? "1433" : i.engine === "PostgreSQL" ? "5432" : "3306",
    // "If this parameter is not returned, the instance is the primary instance" (SDK model remarks).
    ...(i.masterInstanceId ? { MasterInstanceId: i.masterInstanceId } : {}),
    ReadOnlyDBInstanceIds: { ReadOnlyDBInstanceId: readOnlyIdsOf(i) },
  });
  const listJson = (i: EmulatorInstance): Json => ({
    DBInstanceId: i.id,
    RegionId: i.regionId,
    ZoneId: i.zoneId,
    Engine: i.engine,
    EngineVersion: i.engineVersion,
    DBInstanceStatus: i.status,
    DBInstanceDescription: i.description,
    DBInstanceStorageType: i.storageType,
    Category: i.category,
    LockMode: i.lockMode,
    LockReason: i.lockMode === "Unlock" ? "" : i.lockMode,
    DBInstanceType: i.instanceType,
    DBInstanceClass: i.instanceClass,
    PayType: "Postpaid",
    CreateTime: apiTime(i.createdAt),
    DBInstanceNetType: "Intranet",
    InstanceNetworkType: "VPC",
    MutriORsignle: false,
    ...(i.masterInstanceId ? { MasterInstanceId: i.masterInstanceId } : {}),
    ReadOnlyDBInstanceIds: { ReadOnlyDBInstanceId: readOnlyIdsOf(i) },
  });
  const jobJson = (job: EmulatorJob, byId: boolean): Json => {
    const step = jobStep(job);
    return {
      BackupJobId: job.backupJobId,
      BackupStatus: step.status,
      BackupProgressStatus: step.status === "Failed" ? "Finished" : step.status,
      Process: String(step.process ?? 0),
      JobMode: "Manual",
      TaskAction: "TempBackupTask",
      // The backup set id shows only when the job is asked for by id.
      ...(byId && job.backupId ? { BackupId: job.backupId } : {}),
    };
  };
  const setJson = (set: EmulatorBackupSet): Json => {
    const instance = instances.get(set.instanceId);
    return {
      BackupId: set.backupId,
      DBInstanceId: set.instanceId,
      BackupMethod: set.method,
      BackupMode: set.mode,
      BackupType: set.type,
      BackupStatus: set.status,
      BackupSize: set.size,
      BackupStartTime: apiTime(set.startTime),
      BackupEndTime: apiTime(set.endTime),
      BackupInitiator: set.mode === "Manual" ? "User" : "System",
      Engine: instance?.engine ?? "",
      EngineVersion: instance?.engineVersion ?? "",
      HostInstanceID: "10086",
      StoreStatus: "Disabled",
      IsAvail: 1,
      ConsistentTime: Math.floor(set.endTime.getTime() / 1000),
      BackupDownloadURL: "",
      BackupIntranetDownloadURL: "",
    };
  };

  // ── actions ──
  const handlers: Record<RdsAction, (p: Params) => Json> = {
    DescribeDBInstanceAttribute(p) {
      const ids = (p.DBInstanceId ?? "").split(",").filter(Boolean);
      if (ids.length === 0) fail("MissingDBInstanceId");
      return { Items: { DBInstanceAttribute: ids.map((id) => attributeJson(getInstance(id))) } };
    },
    DescribeDBInstances(p) {
      if (!p.RegionId) fail("MissingRegionId");
      if (p.MaxResults !== undefined && (p.PageSize !== undefined || p.PageNumber !== undefined)) {
        fail("InvalidParameter", "MaxResults/NextToken and PageSize/PageNumber cannot be used together.");
      }
      const page = pageArgs(p, (size) => size >= 1 && size <= 100);
      const idFilter = p.DBInstanceId ? new Set(p.DBInstanceId.split(",")) : undefined;
      // Our reading for a region this endpoint does not serve: it knows no instance there.
      const matching = [...instances.values()].filter(
        (i) =>
          i.regionId === p.RegionId &&
          serves(i.regionId) &&
          (!idFilter || idFilter.has(i.id)) &&
          (!p.Engine || i.engine.toLowerCase() === p.Engine.toLowerCase()) &&
          // Every role unless DBInstanceType asks for one (SDK model DescribeDBInstancesRequest).
          (!p.DBInstanceType || i.instanceType === p.DBInstanceType) &&
          (!p.DBInstanceStatus || i.status === p.DBInstanceStatus),
      );
      const items = matching.slice((page.number - 1) * page.size, page.number * page.size);
      return {
        Items: { DBInstance: items.map(listJson) },
        TotalRecordCount: matching.length,
        PageNumber: page.number,
        PageRecordCount: items.length,
      };
    },
    DescribeDatabases(p) {
      const instance = getInstance(p.DBInstanceId);
      const page = pageArgs(p, (size) => size === 30 || size === 50 || size === 100);
      const names = instance.databases.filter((name) => !p.DBName || name === p.DBName);
      return {
        Databases: {
          Database: names.slice((page.number - 1) * page.size, page.number * page.size).map((name) => ({
            DBName: name,
            DBInstanceId: instance.id,
            Engine: instance.engine,
            DBStatus: "Running",
            CharacterSetName: instance.engine === "SQLServer" ? "Chinese_PRC_CI_AS" : "utf8mb4",
            DBDescription: "",
            Accounts: { AccountPrivilegeInfo: [] },
          })),
        },
      };
    },
    DescribeBackupTasks(p) {
      const instance = getInstance(p.DBInstanceId);
      const byId = p.BackupJobId !== undefined && p.BackupJobId !== "";
      const found = [...jobs.values()].filter((job) => {
        if (job.instanceId !== instance.id) return false;
        // A new task shows only after the listing's lag; a finished one may be forgotten.
        if (!taskListed(job, now(), listings)) return false;
        if (byId) return job.backupJobId === p.BackupJobId;
        // Without a job id only unfinished jobs are listed (NoStart and Progressing).
        if (isDone(job)) return false;
        if (p.BackupJobStatus === "NoStart") return jobStep(job).status === "NoStart";
        if (p.BackupJobStatus === "Progressing") return jobStep(job).status !== "NoStart";
        return true;
      });
      const filtered = p.BackupMode && p.BackupMode !== "Manual" ? [] : found;
      const answer = { Items: { BackupJob: filtered.map((job) => jobJson(job, byId)) } };
      if (jobAdvance === "on-query") for (const job of filtered) advance(job);
      return answer;
    },
    DescribeBackups(p) {
      const instance = getInstance(p.DBInstanceId);
      const start = parseMinuteTime(p.StartTime);
      const end = parseMinuteTime(p.EndTime);
      if (!start) fail("InvalidStartTime.Malformed");
      if (!end || end < start) fail("InvalidEndTime.Malformed");
      const page = pageArgs(p, (size) => size === 30 || size === 50 || size === 100);
      const matching = sets
        .filter(
          (s) =>
            s.instanceId === instance.id &&
            // DescribeBackups trails a finished task (rds-listings.ts).
            setListed(s, now(), listings) &&
            s.startTime >= start &&
            s.startTime <= end &&
            (!p.BackupId || s.backupId === p.BackupId) &&
            (!p.BackupStatus || s.status === p.BackupStatus) &&
            (!p.BackupMode || s.mode === p.BackupMode),
        )
        .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
      const items = matching.slice((page.number - 1) * page.size, page.number * page.size);
      // The paging counts of DescribeBackups are strings.
      return {
        Items: { Backup: items.map(setJson) },
        TotalRecordCount: String(matching.length),
        PageNumber: String(page.number),
        PageRecordCount: String(items.length),
        TotalEcsSnapshotSize: 0,
      };
    },
    CreateBackup(p) {
      const instance = getInstance(p.DBInstanceId);
      // Read-only instances are refused (createbackup.md, "Only primary instances"). Our reading for
      // Guard and Temp, which the reference does not name: the same code, whose message is about
      // "the type of the instance".
      if (instance.instanceType !== "Primary") fail("ReadDBInstanceNotSupport");
      if (instance.lockMode !== "Unlock") fail("IncorrectDBInstanceLockMode.ValueNotSupported");
      if (instance.status !== "Running") fail("IncorrectDBInstanceState");
      checkBackupParams(instance, p);
      // Refused while any task runs, listed yet or not: right after a CreateBackup whose answer was
      // lost, the Terraform provider meets this in practice (createbackup.md).
      if ([...jobs.values()].some((job) => job.instanceId === instance.id && !isDone(job)))
        fail("BackupJobExists");
      const today = utcDay(now());
      const madeToday = sets.filter(
        (s) => s.instanceId === instance.id && utcDay(s.startTime) === today,
      ).length;
      if (madeToday >= maxBackupsPerDay) fail("Exceeded.BackupTimes");

      const job: EmulatorJob = {
        backupJobId: String(nextJobId++),
        instanceId: instance.id,
        params: { ...p },
        startedAt: now(),
        steps: nextScripts.shift() ?? [...defaultSteps],
        stepIndex: 0,
      };
      jobs.set(job.backupJobId, job);
      enterStep(job);
      return { BackupJobId: job.backupJobId };
    },
  };

  /**
   * CreateBackup's parameter rules, with the real error codes:
   * - Logical is MySQL's; Snapshot needs cloud disks and is not how MariaDB asks (createbackup.md,
   *   the SDK model CreateBackupRequest "BackupMethod").
   * - MySQL and PostgreSQL on cloud disks take only snapshot backups (help: "Back up individual
   *   databases and tables of an ApsaraDB RDS for MySQL instance"). The reference gives no code for
   *   Physical or Logical there; our reading: the BackupMethod code, as for any method refused.
   * - A database-level MySQL backup needs 5.6/5.7/8.0, High-availability (or 5.7 Enterprise,
   *   `Finance`) and local SSDs (same help page). No code is documented; our reading:
   *   `IncorrectDBInstanceType` ("Current DB instance engine and type does not support operations").
   */
  function checkBackupParams(instance: EmulatorInstance, p: Params): void {
    const method = p.BackupMethod ?? "Physical";
    const cloud = isCloudDisk(instance.storageType);
    if (!["Physical", "Logical", "Snapshot"].includes(method)) fail("InvalidBackupMethod.ValueNotSupport");
    if (method === "Logical" && instance.engine !== "MySQL") fail("InvalidBackupMethod.ValueNotSupport");
    if (method === "Snapshot" && (!cloud || instance.engine === "MariaDB")) {
      fail("InvalidBackupMethod.ValueNotSupport");
    }
    if (cloud && method !== "Snapshot" && (instance.engine === "MySQL" || instance.engine === "PostgreSQL")) {
      fail("InvalidBackupMethod.ValueNotSupport");
    }
    if (instance.engine === "MySQL" && method === "Logical" && p.BackupStrategy === "db") {
      const version = /^(\d+\.\d+)/.exec(instance.engineVersion)?.[1] ?? "";
      const edition =
        instance.category === "HighAvailability" || (instance.category === "Finance" && version === "5.7");
      if (!["5.6", "5.7", "8.0"].includes(version) || !edition || cloud) fail("IncorrectDBInstanceType");
    }
    if (p.BackupType !== undefined) {
      if (!["Auto", "FullBackup"].includes(p.BackupType)) fail("BackupType.NotSupport");
      if (instance.engine !== "SQLServer" || method !== "Physical") fail("BackupType.NotSupport");
    }
    if (p.BackupStrategy !== undefined && !["instance", "db"].includes(p.BackupStrategy))
      fail("Parameters.Invalid");
    if (method === "Logical" && instance.databases.length === 0) fail("InvalidDB.NotFound");
    if (p.BackupStrategy === "db") {
      if (!p.DBName) fail("RequiredParam.NotFound", "Required input param is not found: DBName.");
      for (const name of p.DBName.split(",")) {
        if (!/^[A-Za-z0-9_$-]{1,64}$/.test(name)) fail("InvalidDBName.Format");
        if (!instance.databases.includes(name)) fail("InvalidDB.NotFound");
      }
    }
    if (p.BackupRetentionPeriod !== undefined) {
      const days = Number(p.BackupRetentionPeriod);
      if (!(Number.isInteger(days) && (days === -1 || (days >= 7 && days <= 730))))
        fail("Parameters.Invalid");
    }
  }

  // ── HTTP ──
  const sockets = new Set<Socket>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string>) => {
    const write = () => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    if (latencyMs > 0) later(latencyMs, write);
    else write();
  };

  const sendJson = (
    res: ServerResponse,
    requestId: string,
    status: number,
    body: Json,
    extra: Record<string, string> = {},
  ) =>
    send(res, status, JSON.stringify(body), {
      "content-type": "application/json;charset=utf-8",
      "x-acs-request-id": requestId,
      ...extra,
    });

  const sendError = (res: ServerResponse, call: RecordedCall, error: ApiErrorScript) => {
    const defaults = errorDefaults(error.code);
    const status = error.httpStatus ?? defaults.httpStatus;
    call.result = status;
    const body = {
      RequestId: call.requestId,
      HostId: call.endpoint,
      Code: error.code,
      Message: error.message ?? defaults.message,
      Recommend:
        error.recommend ??
        `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Rds&requestId=${call.requestId}`,
    };
    const headers: Record<string, string> = {};
    if (error.retryAfterMs !== undefined) headers["x-acs-retry-after"] = String(error.retryAfterMs);
    sendJson(res, call.requestId, status, body, headers);
  };

  const takeFailure = (action: string): ScriptedFailure | undefined => {
    const index = failures.findIndex((f) => f.action === action || f.action === "*");
    const entry = failures[index];
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) failures.splice(index, 1);
    return entry.failure;
  };

  const hostOf = (endpoint: string) =>
    endpoint === CENTRAL ? "rds.aliyuncs.com" : `rds.${endpoint}.aliyuncs.com`;

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer, endpoint: string) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const query = new Map<string, string>();
    for (const [key, value] of url.searchParams) query.set(key, value);
    const params: Params = Object.fromEntries(query);
    if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = value;
    }
    const action = String(req.headers["x-acs-action"] ?? params.Action ?? "");
    const call: RecordedCall = {
      action,
      endpoint: hostOf(endpoint),
      params,
      at: now(),
      requestId: randomUUID().toUpperCase(),
    };
    calls.push(call);

    const verified = verifyRequest(
      { method: req.method ?? "GET", pathname: url.pathname, query, headers: req.headers, body },
      (id) => keys.get(id),
      now(),
    );
    if (!verified.ok) return sendError(res, call, { code: verified.code, message: verified.message });
    call.accessKeyId = verified.accessKeyId;
    if (req.headers["x-acs-version"] !== API_VERSION) return sendError(res, call, { code: "InvalidVersion" });
    const date = Date.parse(String(req.headers["x-acs-date"] ?? ""));
    if (Number.isNaN(date) || Math.abs(date - Date.now()) > 15 * 60_000) {
      return sendError(res, call, { code: "InvalidTimeStamp.Expired" });
    }
    const nonce = String(req.headers["x-acs-signature-nonce"] ?? "");
    if (!nonce || usedNonces.has(nonce)) return sendError(res, call, { code: "SignatureNonceUsed" });
    usedNonces.add(nonce);
    if (!(RDS_ACTIONS as readonly string[]).includes(action)) {
      return sendError(res, call, { code: "InvalidAction.NotFound" });
    }

    const run = () => {
      catchUpTimedJobs();
      try {
        serving = endpoint;
        const answer = handlers[action as RdsAction](params);
        call.result = 200;
        return { ok: true as const, answer };
      } catch (error) {
        if (error instanceof ApiError) return { ok: false as const, error };
        throw error;
      }
    };
    const reply = (outcome: ReturnType<typeof run>) => {
      if (outcome.ok) sendJson(res, call.requestId, 200, { ...outcome.answer, RequestId: call.requestId });
      else sendError(res, call, { code: outcome.error.code, message: outcome.error.apiMessage });
    };

    const scripted = takeFailure(action);
    if (!scripted) return reply(run());
    if (!("fault" in scripted)) return sendError(res, call, scripted);
    switch (scripted.fault) {
      case "hang":
        call.result = "hang";
        return;
      case "drop":
        call.result = "drop";
        req.socket.destroy();
        return;
      case "delay":
        return later(scripted.ms, () => reply(run()));
      case "html502":
        call.result = 502;
        return send(res, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", {
          "content-type": "text/html",
        });
      case "timeout-after-create": {
        const outcome = run();
        if (!outcome.ok) return reply(outcome);
        call.result = "hang";
        if (scripted.ms !== undefined) later(scripted.ms, () => reply(outcome));
        return;
      }
      case "error-after-create": {
        const outcome = run();
        if (!outcome.ok) return reply(outcome);
        return sendError(res, call, {
          code: scripted.code ?? "InternalError",
          httpStatus: scripted.httpStatus ?? 500,
        });
      }
      case "drop-after-create": {
        const outcome = run();
        if (!outcome.ok) return reply(outcome);
        call.result = "drop";
        req.socket.destroy();
        return;
      }
    }
  };

  const servers: Server[] = [];
  const listen = async (endpoint: string, port: number): Promise<URL> => {
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        try {
          handle(req, res, Buffer.concat(chunks), endpoint);
        } catch (error) {
          // A bug in the emulator: answer like the API's own internal error, and say what broke.
          const requestId = randomUUID().toUpperCase();
          sendJson(res, requestId, 500, {
            RequestId: requestId,
            HostId: hostOf(endpoint),
            Code: "InternalError",
            Message: `emulator failure: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      });
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, options.host ?? "127.0.0.1", () => resolve());
    });
    servers.push(server);
    const address = server.address() as AddressInfo;
    return new URL(`http://${options.host ?? "127.0.0.1"}:${address.port}`);
  };
  const central = await listen(CENTRAL, options.port ?? 0);
  const url = central.origin;
  const regional = new Map<string, Promise<URL>>();
  const endpointFor = (regionId: string): Promise<URL> => {
    if (CENTRAL_REGIONS.includes(regionId)) return Promise.resolve(central);
    let endpoint = regional.get(regionId);
    if (!endpoint) {
      endpoint = listen(regionId, 0);
      regional.set(regionId, endpoint);
    }
    return endpoint;
  };

  return {
    url,
    endpoint: new URL(url),
    endpointFor,
    endpointsFor: async (regionIds) => {
      const pairs = await Promise.all(
        regionIds.map(async (regionId) => `${regionId}=${(await endpointFor(regionId)).origin}`),
      );
      return pairs.join(",");
    },
    calls,
    count: (action) =>
      action === undefined ? calls.length : calls.filter((c) => c.action === action).length,
    clearCalls: () => {
      calls.length = 0;
    },
    failNext: (action, failure, times = 1) => {
      failures.push({ action, failure, remaining: times });
    },
    clearFailures: () => {
      failures.length = 0;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setListings: (timing) => {
      listings = { ...listings, ...timing };
    },
    setAccessKey: (accessKeyId, key) => {
      keys.set(accessKeyId, typeof key === "string" ? { secret: key } : key);
    },
    scriptJob: (jobIdOrNext, steps) => {
      if (steps.length === 0) throw new Error("a job script needs at least one step");
      if (jobIdOrNext === "next") {
        nextScripts.push([...steps]);
        return;
      }
      const job = jobs.get(jobIdOrNext);
      if (!job) throw new Error(`no backup job ${jobIdOrNext}`);
      job.steps = [...steps];
      job.stepIndex = 0;
      job.finishedAt = undefined;
      enterStep(job);
    },
    advanceJobs: (steps = 1) => {
      for (const job of jobs.values()) advance(job, steps);
    },
    settleJobs: () => {
      for (const job of jobs.values()) advance(job, job.steps.length);
    },
    addInstance: (input) => {
      if (instances.has(input.id)) throw new Error(`instance ${input.id} exists already`);
      const instance = instanceFrom(input, now());
      instances.set(instance.id, instance);
      return instance;
    },
    updateInstance: (id, patch) => {
      const instance = instances.get(id);
      if (!instance) throw new Error(`no instance ${id}`);
      Object.assign(instance, patch);
      return instance;
    },
    removeInstance: (id) => {
      instances.delete(id);
    },
    instance: (id) => instances.get(id),
    instances: () => [...instances.values()],
    jobs: (instanceId) => [...jobs.values()].filter((job) => !instanceId || job.instanceId === instanceId),
    job: (id) => jobs.get(id),
    backupSets: (instanceId) => sets.filter((s) => !instanceId || s.instanceId === instanceId),
    addBackupSet: (instanceId, set) => {
      if (!instances.has(instanceId)) throw new Error(`no instance ${instanceId}`);
      return addSet(instanceId, set);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...regional.values()]);
      const closed = servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
}

// `npx tsx src/sandbox/rds-emulator.ts [port]`: a standalone emulator for trying things by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const emulator = await startRdsEmulator({ port: Number(process.argv[2] ?? 0) });
  console.log(`RDS emulator on ${emulator.url}`);
  console.log(`  RDS_ENDPOINT=${emulator.url}`);
  console.log(`  ALIBABA_CLOUD_ACCESS_KEY_ID=${EMULATOR_ACCESS_KEY_ID}`);
  console.log(`  ALIBABA_CLOUD_ACCESS_KEY_SECRET=${EMULATOR_ACCESS_KEY_SECRET}`);
  for (const i of emulator.instances()) {
    console.log(
      `  ${i.id.padEnd(18)} ${i.regionId.padEnd(15)} ${i.engine.padEnd(10)} ${i.status} ${i.storageType}`,
    );
  }
  process.once("SIGINT", () => void emulator.close().then(() => process.exit(0)));
}
