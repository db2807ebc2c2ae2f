/**
 * The CreateBackup parameters a person asks for, and the one validation every entry point uses
 * (modal, inline command, and the last check before the API call).
 *
 * Validation never throws and never returns prose: it returns problems with a code and the facts
 * needed to explain them, so the i18n layer can say what to fix in the reader's language.
 */
import {
  BACKUP_METHODS,
  BACKUP_STRATEGIES,
  BACKUP_TYPES,
  type BackupMethod,
  type BackupStrategy,
  type BackupType,
  type Engine,
  type EngineFacts,
  explicitMethod,
  formShape,
  type Omission,
  RETENTION_LONG_TERM,
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
} from "./engine.js";
import { type InstanceInfo, isPrimary } from "./instance.js";

export const PARAM_FIELDS = [
  "DBInstanceId",
  "DBName",
  "BackupStrategy",
  "BackupMethod",
  "BackupType",
  "BackupRetentionPeriod",
] as const;
export type ParamField = (typeof PARAM_FIELDS)[number];

/** Validated CreateBackup parameters. Absent fields are left to the API's defaults. */
export interface BackupParams {
  DBInstanceId: string;
  DBName?: readonly string[];
  BackupStrategy?: BackupStrategy;
  BackupMethod?: BackupMethod;
  BackupType?: BackupType;
  BackupRetentionPeriod?: number;
}

/** What a form or a command line hands in: strings, possibly empty, possibly hostile. */
export interface RawBackupInput {
  DBInstanceId?: string | undefined;
  DBName?: string | readonly string[] | undefined;
  BackupStrategy?: string | undefined;
  BackupMethod?: string | undefined;
  BackupType?: string | undefined;
  BackupRetentionPeriod?: string | number | undefined;
}

export type ProblemCode =
  | "required"
  | "instance_id_format"
  | "instance_not_found"
  | "instance_lookup_failed"
  | "credentials_failed"
  | "not_primary"
  | "unknown_value"
  | "not_supported_by_engine"
  | "not_applicable"
  | "db_name_required"
  | "db_name_format"
  | "retention_range"
  | "unknown_option"
  | "duplicate_option"
  | "malformed_option"
  | "instance_not_running"
  | "backup_in_progress"
  | "daily_limit_reached"
  /** The start time asked for (`run_at`, `at=`): see src/domain/schedule.ts. */
  | "run_at_format"
  | "run_at_needs_offset"
  | "run_at_past"
  | "run_at_too_far"
  | "run_at_no_time_zone"
  /** The requester's reason (`reason` in the form, `reason="…"` inline): see src/domain/reason.ts. */
  | "reason_required"
  | "reason_too_long"
  /** A command line whose quoted value is never closed (`reason="no end`). */
  | "unterminated_quote";

export interface Problem {
  /** The CreateBackup parameter, the start time (`run_at`), the reason, or the input as a whole. */
  field: ParamField | "run_at" | "reason" | "input";
  code: ProblemCode;
  /** The offending value, as typed (the renderer escapes and shortens it). */
  value?: string;
  /** Values that would have been accepted. */
  allowed?: readonly string[];
  engine?: Engine;
  /** `not_primary`: the instance's DBInstanceType and, when RDS gives it, its primary. */
  role?: string;
  primaryId?: string;
  /** Why the instance does not take this value (cloud disks, edition, …), when that is the reason. */
  why?: Omission;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/**
 * RDS instance ids: a short lowercase prefix (`rm`, `pgm`, `rds`, `mr`, …), a dash, then
 * lowercase letters and digits. Checked before any API call so nothing odd reaches RDS or a log.
 */
const INSTANCE_ID = /^[a-z][a-z0-9]{1,9}-[a-z0-9]{4,64}$/;

/** Database names: letters, digits, `_`, `-`, `$`, up to 64 characters each (MySQL's limit). */
const DB_NAME = /^[A-Za-z0-9_$-]{1,64}$/;
const MAX_DB_NAMES = 64;

export function parseInstanceId(raw: string | undefined): Validation<string> {
  const value = (raw ?? "").trim();
  if (value === "") return { ok: false, problems: [{ field: "DBInstanceId", code: "required" }] };
  if (!INSTANCE_ID.test(value)) {
    return { ok: false, problems: [{ field: "DBInstanceId", code: "instance_id_format", value }] };
  }
  return { ok: true, value };
}

function blankToUndefined(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed === "" ? undefined : trimmed;
}

function pickEnum<T extends string>(
  field: ParamField,
  raw: string | undefined,
  known: readonly T[],
  problems: Problem[],
): T | undefined {
  const value = blankToUndefined(raw);
  if (value === undefined) return undefined;
  // Accept any capitalisation people type ("logical", "FULLBACKUP"); send the API's spelling.
  const match = known.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (!match) problems.push({ field, code: "unknown_value", value, allowed: known });
  return match;
}

function splitDbNames(raw: RawBackupInput["DBName"]): string[] {
  const parts = typeof raw === "string" ? raw.split(",") : [...(raw ?? [])];
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

/** What validation needs to know about the instance: its engine facts and its role. */
export type InstanceFacts = EngineFacts & Partial<Pick<InstanceInfo, "instanceType" | "masterInstanceId">>;

/**
 * Validates a request against the rules of the instance's engine. `facts` come from
 * DescribeDBInstanceAttribute; the instance id must already have passed `parseInstanceId`.
 * A non-primary instance (read-only, disaster recovery, temporary) cannot be backed up at all, so
 * that is the one problem reported for it.
 */
export function validateBackupParams(input: RawBackupInput, facts: InstanceFacts): Validation<BackupParams> {
  const problems: Problem[] = [];
  const id = parseInstanceId(input.DBInstanceId);
  if (!id.ok) problems.push(...id.problems);
  const role = id.ok ? primaryProblem(id.value, facts) : undefined;
  if (role) return { ok: false, problems: [role] };

  const method = pickEnum("BackupMethod", input.BackupMethod, BACKUP_METHODS, problems);
  const type = pickEnum("BackupType", input.BackupType, BACKUP_TYPES, problems);
  const strategy = pickEnum("BackupStrategy", input.BackupStrategy, BACKUP_STRATEGIES, problems);
  const shape = formShape(facts, { method, type, strategy });

  if (method && !shape.methods.includes(method)) {
    problems.push({
      field: "BackupMethod",
      code: "not_supported_by_engine",
      value: method,
      allowed: shape.methods,
      engine: facts.engine,
      ...(shape.methodOmission ? { why: shape.methodOmission } : {}),
    });
  }
  if (type && !shape.backupType) {
    problems.push({ field: "BackupType", code: "not_applicable", value: type, engine: facts.engine });
  }
  const strategyRefused = strategy !== undefined && shape.strategy && !shape.strategies.includes(strategy);
  if (strategy && !shape.strategy) {
    problems.push({ field: "BackupStrategy", code: "not_applicable", value: strategy, engine: facts.engine });
  } else if (strategyRefused) {
    problems.push({
      field: "BackupStrategy",
      code: "not_supported_by_engine",
      value: strategy,
      allowed: shape.strategies,
      engine: facts.engine,
      ...(shape.strategyOmission ? { why: shape.strategyOmission } : {}),
    });
  }

  const dbNames = splitDbNames(input.DBName);
  if (dbNames.length > 0 && !shape.dbName) {
    // Names given with a refused `db` strategy: the strategy's problem already says why.
    if (!strategyRefused) {
      problems.push({
        field: "DBName",
        code: "not_applicable",
        value: dbNames.join(","),
        engine: facts.engine,
      });
    }
  } else if (shape.dbName && dbNames.length === 0) {
    problems.push({ field: "DBName", code: "db_name_required" });
  } else {
    const bad = dbNames.filter((name) => !DB_NAME.test(name));
    if (bad.length > 0 || dbNames.length > MAX_DB_NAMES) {
      problems.push({ field: "DBName", code: "db_name_format", value: bad.join(",") || dbNames.join(",") });
    }
  }

  const retention = parseRetention(input.BackupRetentionPeriod, problems);
  if (retention !== undefined && !shape.retention) {
    problems.push({
      field: "BackupRetentionPeriod",
      code: "not_applicable",
      value: String(retention),
      engine: facts.engine,
    });
  }

  if (problems.length > 0 || !id.ok) return { ok: false, problems };
  // The method the reference names for this instance when none was chosen (Snapshot on cloud
  // disks, Physical for MariaDB); otherwise the API's default applies.
  const sent = method ?? explicitMethod(facts);
  const params: BackupParams = {
    DBInstanceId: id.value,
    ...(sent ? { BackupMethod: sent } : {}),
    ...(type ? { BackupType: type } : {}),
    ...(strategy ? { BackupStrategy: strategy } : {}),
    ...(dbNames.length > 0 ? { DBName: dbNames } : {}),
    ...(retention !== undefined ? { BackupRetentionPeriod: retention } : {}),
  };
  return { ok: true, value: params };
}

/** The problem with backing up a non-primary instance (what it is, and its primary), if it is one. */
export function primaryProblem(instanceId: string, facts: InstanceFacts): Problem | undefined {
  if (isPrimary(facts)) return undefined;
  return {
    field: "DBInstanceId",
    code: "not_primary",
    value: instanceId,
    role: facts.instanceType ?? "",
    ...(facts.masterInstanceId ? { primaryId: facts.masterInstanceId } : {}),
  };
}

function parseRetention(
  raw: RawBackupInput["BackupRetentionPeriod"],
  problems: Problem[],
): number | undefined {
  const text = typeof raw === "number" ? String(raw) : blankToUndefined(raw);
  if (text === undefined) return undefined;
  const days = /^-?\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  const inRange = days >= RETENTION_MIN_DAYS && days <= RETENTION_MAX_DAYS;
  if (!inRange && days !== RETENTION_LONG_TERM) {
    problems.push({ field: "BackupRetentionPeriod", code: "retention_range", value: text });
    return undefined;
  }
  return days;
}

/** The parameters as the API wants them (DBName comma-joined), for the gateway. */
export function toApiParameters(params: BackupParams): Record<string, string | number> {
  return {
    DBInstanceId: params.DBInstanceId,
    ...(params.DBName ? { DBName: params.DBName.join(",") } : {}),
    ...(params.BackupStrategy ? { BackupStrategy: params.BackupStrategy } : {}),
    ...(params.BackupMethod ? { BackupMethod: params.BackupMethod } : {}),
    ...(params.BackupType ? { BackupType: params.BackupType } : {}),
    ...(params.BackupRetentionPeriod !== undefined
      ? { BackupRetentionPeriod: params.BackupRetentionPeriod }
      : {}),
  };
}
