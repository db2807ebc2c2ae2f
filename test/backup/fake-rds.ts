/**
 * An in-memory `RdsGateway` on the simulated clock, for the use-case tests. It behaves as RDS does
 * where it matters for starting a backup (../shared/docs/createbackup.md, "What the listings really
 * do"), unkind parts included:
 * - CreateBackup is refused with `BackupJobExists` while any task runs on the instance, listed
 *   yet or not;
 * - a new task shows in DescribeBackupTasks only `taskLagMs` after it was created (with or
 *   without its job id; Alibaba's Terraform provider treats an empty answer by job id as "not yet",
 *   aliyun/terraform-provider-alicloud alicloud/service_alicloud_rds.go RdsBackupStateRefreshFunc);
 * - DescribeBackupTasks without a job id lists only unfinished tasks;
 * - a backup set shows in DescribeBackups only `setLagMs` after its task finished (the same
 *   provider sleeps a minute for it, alicloud/resource_alicloud_rds_backup.go);
 * - answers fail the way the gateway reports them (src/rds/sdk-errors.ts): a call cut by its
 *   timeout, a 5xx or a dropped connection is outcome `unknown`; throttling and a refused
 *   connection surely made nothing.
 * CreateBackup's answers are scripted per call (`script`); a job it creates lasts `jobMs`.
 */
import type { CallOptions, CreateBackupResult, RdsGateway } from "../../src/backup/ports.js";
import { ApiFailure, type ApiFailureInfo } from "../../src/domain/api-failure.js";
import type { BackupSet, BackupTask, InstanceInfo } from "../../src/domain/instance.js";
import type { BackupParams } from "../../src/domain/params.js";
import type { SimClock } from "./sim-clock.js";

export const INSTANCE: InstanceInfo = {
  id: "rm-sim0001",
  regionId: "cn-hangzhou",
  engine: "MySQL",
  engineVersion: "8.0",
  status: "Running",
  description: "simulated",
  storageType: "local_ssd",
  category: "HighAvailability",
  lockMode: "Unlock",
};

/** How one CreateBackup call goes. */
export type CreateScript =
  /** Creates the job and answers after `ms` (default 100): past the caller's timeout, a Timeout. */
  | { kind: "answer"; ms?: number }
  /** Creates the job, then answers with a 5xx (default InternalError 500). */
  | { kind: "created_then_5xx"; code?: string; ms?: number }
  /** Creates the job, then the connection drops before the answer. */
  | { kind: "created_then_drop"; ms?: number }
  /** Answers 2xx with the job created but without its id (an answer the SDK cannot read). */
  | { kind: "created_without_id" }
  /** A 5xx without creating anything (the outcome is unknown all the same). */
  | { kind: "5xx"; code?: string; ms?: number }
  /** Never reaches RDS, and the caller waits for its timeout. */
  | { kind: "lost" }
  | { kind: "throttled"; retryAfterMs?: number }
  | { kind: "refused_connection" };

export interface FakeJob {
  backupJobId: string;
  instanceId: string;
  mode: "Manual" | "Automated";
  createdAt: number;
  finishAt: number;
  status: "Finished" | "Failed";
  backupId: string;
  method: string;
  /** Started by someone else (the console, another tool). */
  foreign: boolean;
}

export interface FakeRdsOptions {
  taskLagMs?: number;
  setLagMs?: number;
  jobMs?: number;
  /** A finished task no longer answers a query by its job id (the listing forgot it). */
  forgetFinished?: boolean;
}

export class FakeRds implements RdsGateway {
  readonly jobs: FakeJob[] = [];
  /** Every CreateBackup call, with the timeout it was given. */
  readonly createCalls: { at: number; timeoutMs: number | undefined }[] = [];
  readonly reads: { action: string; at: number }[] = [];
  private readonly scripts: CreateScript[] = [];
  private nextJob = 5_070_001;
  private nextSet = 3_466_502_001;
  taskLagMs: number;
  setLagMs: number;
  jobMs: number;
  /** When set, every listing fails with this code. */
  listingsFail: string | undefined;
  /** The next this many DescribeBackupTasks calls fail (ServiceUnavailable). */
  failTaskReads = 0;
  /** DBInstanceStatus: CreateBackup succeeds only while it is Running. */
  instanceStatus = "Running";

  constructor(
    private readonly clock: SimClock,
    options: FakeRdsOptions = {},
  ) {
    this.taskLagMs = options.taskLagMs ?? 0;
    this.setLagMs = options.setLagMs ?? 0;
    this.jobMs = options.jobMs ?? 10 * 60_000;
    this.forgetFinished = options.forgetFinished ?? false;
  }

  forgetFinished: boolean;

  /** The next CreateBackup calls go like this, in order; unscripted calls answer at once. */
  script(...scripts: CreateScript[]): void {
    this.scripts.push(...scripts);
  }

  /** A job someone else started (the console): running from now for `ms`. */
  startForeignJob(ms = this.jobMs, mode: "Manual" | "Automated" = "Manual"): FakeJob {
    return this.addJob(INSTANCE.id, ms, "Physical", true, mode);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private addJob(
    instanceId: string,
    ms: number,
    method: string,
    foreign: boolean,
    mode: "Manual" | "Automated" = "Manual",
  ): FakeJob {
    const job: FakeJob = {
      backupJobId: String(this.nextJob++),
      instanceId,
      mode,
      createdAt: this.now(),
      finishAt: this.now() + ms,
      status: "Finished",
      backupId: String(this.nextSet++),
      method,
      foreign,
    };
    this.jobs.push(job);
    return job;
  }

  private running(job: FakeJob): boolean {
    return this.now() < job.finishAt;
  }

  /** Jobs this bot's calls created. */
  ownJobs(): FakeJob[] {
    return this.jobs.filter((job) => !job.foreign);
  }

  // ─── RdsGateway ───────────────────────────────────────────────────────────────────────────────

  async describeInstance(instanceId: string): Promise<InstanceInfo> {
    this.reads.push({ action: "DescribeDBInstanceAttribute", at: this.now() });
    return { ...INSTANCE, id: instanceId, status: this.instanceStatus };
  }

  async listInstances(): Promise<InstanceInfo[]> {
    return [INSTANCE];
  }

  async describeDatabases(): Promise<string[]> {
    return ["app"];
  }

  async describeBackupTasks(query: {
    instanceId: string;
    backupJobId?: string | undefined;
  }): Promise<BackupTask[]> {
    this.reads.push({ action: "DescribeBackupTasks", at: this.now() });
    if (this.failTaskReads > 0) {
      this.failTaskReads -= 1;
      throw failure({ code: "ServiceUnavailable", httpStatus: 503, outcome: "unknown", transient: true });
    }
    if (this.listingsFail)
      throw failure({ code: this.listingsFail, httpStatus: 503, outcome: "unknown", transient: true });
    const visible = this.jobs.filter(
      (job) => job.instanceId === query.instanceId && this.now() >= job.createdAt + this.taskLagMs,
    );
    const listed = query.backupJobId
      ? visible.filter(
          (job) => job.backupJobId === query.backupJobId && (this.running(job) || !this.forgetFinished),
        )
      : visible.filter((job) => this.running(job));
    return listed.map((job) => ({
      backupJobId: job.backupJobId,
      status: this.running(job) ? "Uploading" : job.status,
      progress: this.running(job) ? 50 : 100,
      mode: job.mode,
      jobMode: job.mode,
      ...(query.backupJobId && !this.running(job) && job.status === "Finished"
        ? { backupId: job.backupId }
        : {}),
    }));
  }

  async describeBackups(query: {
    instanceId: string;
    start: Date;
    end: Date;
    backupId?: string | undefined;
  }): Promise<BackupSet[]> {
    this.reads.push({ action: "DescribeBackups", at: this.now() });
    if (this.listingsFail)
      throw failure({ code: this.listingsFail, httpStatus: 503, outcome: "unknown", transient: true });
    return this.jobs
      .filter(
        (job) =>
          job.instanceId === query.instanceId &&
          job.status === "Finished" &&
          this.now() >= job.finishAt + this.setLagMs &&
          job.createdAt >= query.start.getTime() &&
          job.createdAt <= query.end.getTime() &&
          (!query.backupId || job.backupId === query.backupId),
      )
      .map((job) => ({
        backupId: job.backupId,
        method: job.method,
        size: 1_073_741_824,
        startTime: new Date(job.createdAt).toISOString(),
        endTime: new Date(job.finishAt).toISOString(),
        status: "Success",
        mode: job.mode,
      }));
  }

  async createBackup(params: BackupParams, options?: CallOptions): Promise<CreateBackupResult> {
    const timeoutMs = options?.timeoutMs;
    this.createCalls.push({ at: this.now(), timeoutMs });
    const script = this.scripts.shift() ?? { kind: "answer" };
    const limit = timeoutMs ?? 5_000;
    const timeout = () =>
      failure({
        code: "Timeout",
        message: "The API did not answer in time.",
        outcome: "unknown",
        transient: true,
      });

    if (script.kind === "throttled") {
      await this.clock.sleep(50);
      throw failure({
        code: "Throttling.User",
        httpStatus: 400,
        outcome: "rejected",
        transient: true,
        ...(script.retryAfterMs ? { retryAfterSeconds: script.retryAfterMs / 1000 } : {}),
      });
    }
    if (script.kind === "refused_connection") {
      throw failure({ code: "ECONNREFUSED", outcome: "not_sent", transient: true });
    }
    if (script.kind === "lost") {
      await this.clock.sleep(limit);
      throw timeout();
    }
    if (script.kind === "5xx") {
      await this.clock.sleep(Math.min(script.ms ?? 100, limit));
      if ((script.ms ?? 100) > limit) throw timeout();
      throw failure({
        code: script.code ?? "InternalError",
        httpStatus: 500,
        outcome: "unknown",
        transient: true,
      });
    }

    // The request reached RDS: its preconditions, then the job. "The call succeeds only when the
    // instance is running" (../shared/docs/createbackup.md); RDS answers IncorrectDBInstanceState.
    if (this.instanceStatus !== "Running") {
      await this.clock.sleep(50);
      throw failure({
        code: "IncorrectDBInstanceState",
        httpStatus: 403,
        outcome: "rejected",
        transient: false,
      });
    }
    if (this.jobs.some((job) => job.instanceId === params.DBInstanceId && this.running(job))) {
      await this.clock.sleep(50);
      throw failure({ code: "BackupJobExists", httpStatus: 400, outcome: "rejected", transient: false });
    }
    const job = this.addJob(params.DBInstanceId, this.jobMs, params.BackupMethod ?? "Physical", false);
    const ms = "ms" in script && script.ms !== undefined ? script.ms : 100;
    await this.clock.sleep(Math.min(ms, limit));
    if (ms > limit) throw timeout();
    switch (script.kind) {
      case "answer":
        return { backupJobId: job.backupJobId, requestId: `REQ-${job.backupJobId}` };
      case "created_then_5xx":
        throw failure({
          code: script.code ?? "InternalError",
          httpStatus: 500,
          outcome: "unknown",
          transient: true,
        });
      case "created_then_drop":
        throw failure({ code: "ECONNRESET", outcome: "unknown", transient: true });
      case "created_without_id":
        throw failure({ code: "InvalidResponse", outcome: "unknown", transient: false });
    }
  }
}

function failure(info: Omit<ApiFailureInfo, "message"> & { message?: string }): ApiFailure {
  return new ApiFailure({ message: info.message ?? info.code, ...info });
}
