/**
 * What CreateBackup accepts for each engine: the one table behind the modal, the inline form and
 * the last check before the API call (createbackup.md, "So the form a person fills in depends on
 * the engine"). Where the reference is unclear we offer the option and let the API decide.
 */

export const ENGINES = ["MySQL", "PostgreSQL", "SQLServer", "MariaDB"] as const;
export type Engine = (typeof ENGINES)[number];

export const BACKUP_METHODS = ["Physical", "Logical", "Snapshot"] as const;
export type BackupMethod = (typeof BACKUP_METHODS)[number];

export const BACKUP_STRATEGIES = ["instance", "db"] as const;
export type BackupStrategy = (typeof BACKUP_STRATEGIES)[number];

export const BACKUP_TYPES = ["Auto", "FullBackup"] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

/** BackupRetentionPeriod: 7 to 730 days, or -1 for long-term retention. */
export const RETENTION_MIN_DAYS = 7;
export const RETENTION_MAX_DAYS = 730;
export const RETENTION_LONG_TERM = -1;

/** The API's defaults when a parameter is left out. */
export const DEFAULT_BACKUP_METHOD: BackupMethod = "Physical";
export const DEFAULT_BACKUP_TYPE: BackupType = "Auto";

/** Engine names as DescribeDBInstanceAttribute spells them, case-insensitively. */
export function parseEngine(raw: string): Engine | undefined {
  const lower = raw.trim().toLowerCase();
  return ENGINES.find((engine) => engine.toLowerCase() === lower);
}

/** Where the data lives: cloud disks (ESSD, standard SSD) or the host's local SSDs. */
export type StorageKind = "cloud" | "local" | "unknown";

/**
 * DBInstanceStorageType in two kinds: `cloud_ssd`, `cloud_essd`, `cloud_essd2`, `cloud_essd3`,
 * `general_essd` are cloud disks; `local_ssd` and `ephemeral_ssd` are local SSDs (SDK model
 * DescribeDBInstanceAttributeResponseBody, "DBInstanceStorageType"). Anything else is unknown.
 */
export function storageKind(storageType: string | undefined): StorageKind {
  const lower = storageType?.trim().toLowerCase() ?? "";
  if (lower.startsWith("cloud_") || lower.startsWith("general_essd")) return "cloud";
  if (lower === "local_ssd" || lower === "ephemeral_ssd") return "local";
  return "unknown";
}

export function isCloudDisk(storageType: string | undefined): boolean {
  return storageKind(storageType) === "cloud";
}

/** The facts about an instance that decide which backup parameters make sense. */
export interface EngineFacts {
  engine: Engine;
  storageType?: string | undefined;
  /** EngineVersion: `8.0`, `5.7`, `15.0`, `2019_std_ha`, … */
  engineVersion?: string | undefined;
  /** Category (the edition): `Basic`, `HighAvailability`, `Finance` (Enterprise), `AlwaysOn`, … */
  category?: string | undefined;
}

/**
 * Why the form leaves an option out, with the facts that explain it (the form's hint and the
 * validation problem say it in words).
 */
export interface Omission {
  reason: /** Cloud disks take only snapshot backups: no Physical, no Logical, no database-level backup. */
    | "cloud_disk_snapshot_only"
    /** Snapshot backups need cloud disks; this instance is on local SSDs. */
    | "snapshot_needs_cloud_disk"
    /** RDS for MariaDB makes snapshot backups, which the API asks for as Physical. */
    | "mariadb_snapshot_as_physical"
    /** A database-level backup of MySQL needs 5.6/5.7/8.0, High-availability (or 5.7 Enterprise), local SSDs. */
    | "db_level_needs_edition";
  storageType?: string | undefined;
  engineVersion?: string | undefined;
  category?: string | undefined;
}

/** The parameter choices a form may offer, given what has been chosen so far. */
export interface FormShape {
  methods: readonly BackupMethod[];
  /** The method chosen when none is: the form preselects it, validation sends it. */
  defaultMethod: BackupMethod;
  /** BackupType applies (SQL Server with Physical). */
  backupType: boolean;
  /** BackupStrategy applies (MySQL Logical; SQL Server Physical + FullBackup). */
  strategy: boolean;
  /** The strategies on offer when it applies: `db` only where a database-level backup is allowed. */
  strategies: readonly BackupStrategy[];
  /** DBName applies (strategy is `db`). */
  dbName: boolean;
  /** BackupRetentionPeriod applies (SQL Server db + Physical + FullBackup). */
  retention: boolean;
  /** Why a method is not offered, when one is left out for this instance. */
  methodOmission?: Omission | undefined;
  /** Why the database-level strategy is not offered, when it applies but is left out. */
  strategyOmission?: Omission | undefined;
}

export interface ChosenSoFar {
  method?: BackupMethod | undefined;
  type?: BackupType | undefined;
  strategy?: BackupStrategy | undefined;
}

const facts = (f: EngineFacts) => ({
  storageType: f.storageType,
  engineVersion: f.engineVersion,
  category: f.category,
});

/**
 * The backup methods RDS takes for this instance, the one to choose when none is first.
 *
 * Our reading of the reference, where it is unclear:
 * - Cloud disks take only snapshot backups (help: "Back up individual databases and tables of an
 *   ApsaraDB RDS for MySQL instance": "instances that use cloud disks support only snapshot
 *   backups"; createbackup.md, "Storage type changes the table"). We apply it to MySQL and
 *   PostgreSQL. SQL Server is the exception: the reference documents its Physical backups (full,
 *   incremental, per database) without a storage condition and names Snapshot only as how to ask
 *   for a snapshot on cloud disks, so both are offered there and the API has the last word.
 * - MariaDB runs on cloud disks only and its snapshot backup is requested as Physical.
 * - An unknown storage type offers everything the engine may take: the API decides.
 */
export function methodsFor(engineFacts: EngineFacts): readonly BackupMethod[] {
  const storage = storageKind(engineFacts.storageType);
  switch (engineFacts.engine) {
    case "MySQL":
      if (storage === "cloud") return ["Snapshot"];
      return storage === "local" ? ["Physical", "Logical"] : ["Physical", "Logical", "Snapshot"];
    case "PostgreSQL":
      if (storage === "cloud") return ["Snapshot"];
      return storage === "local" ? ["Physical"] : ["Physical", "Snapshot"];
    case "SQLServer":
      return storage === "local" ? ["Physical"] : ["Physical", "Snapshot"];
    case "MariaDB":
      return ["Physical"];
  }
}

function methodOmission(engineFacts: EngineFacts): Omission | undefined {
  const storage = storageKind(engineFacts.storageType);
  if (engineFacts.engine === "MariaDB")
    return { reason: "mariadb_snapshot_as_physical", ...facts(engineFacts) };
  if (storage === "cloud" && (engineFacts.engine === "MySQL" || engineFacts.engine === "PostgreSQL")) {
    return { reason: "cloud_disk_snapshot_only", ...facts(engineFacts) };
  }
  if (storage === "local") return { reason: "snapshot_needs_cloud_disk", ...facts(engineFacts) };
  return undefined;
}

/** MySQL major versions whose database-level manual backup RDS offers. */
const DB_LEVEL_MYSQL_VERSIONS = ["5.6", "5.7", "8.0"];

/**
 * Whether a manual database-level (`BackupStrategy=db`) backup of MySQL is allowed: MySQL 5.6, 5.7
 * or 8.0, the High-availability Edition or the MySQL 5.7 Enterprise Edition (`Category` `Finance`),
 * and local SSDs (help: "Back up individual databases and tables of an ApsaraDB RDS for MySQL
 * instance", prerequisites). A fact RDS did not give (no version, no category) does not forbid it:
 * the API decides. SQL Server's single-database full backup has no such condition in the reference.
 */
export function dbLevelAllowed(engineFacts: EngineFacts): boolean {
  if (engineFacts.engine !== "MySQL") return engineFacts.engine === "SQLServer";
  if (storageKind(engineFacts.storageType) === "cloud") return false;
  const version = /^\s*(\d+\.\d+)/.exec(engineFacts.engineVersion ?? "")?.[1];
  if (engineFacts.engineVersion && !(version && DB_LEVEL_MYSQL_VERSIONS.includes(version))) return false;
  const category = engineFacts.category?.trim().toLowerCase();
  if (!category) return true;
  return category === "highavailability" || (category === "finance" && version === "5.7");
}

/** The method to send when the person chose none, when the API's own default is not the right one. */
export function explicitMethod(engineFacts: EngineFacts): BackupMethod | undefined {
  // MariaDB: the reference names Physical for its (snapshot) backup; say it rather than rely on the default.
  if (engineFacts.engine === "MariaDB") return "Physical";
  const first = methodsFor(engineFacts)[0] ?? DEFAULT_BACKUP_METHOD;
  return first === DEFAULT_BACKUP_METHOD ? undefined : first;
}

/** Which fields apply for this instance and the choices made so far (defaults filled in). */
export function formShape(engineFacts: EngineFacts, chosen: ChosenSoFar = {}): FormShape {
  const methods = methodsFor(engineFacts);
  const defaultMethod = methods[0] ?? DEFAULT_BACKUP_METHOD;
  const method = chosen.method ?? defaultMethod;
  const type = chosen.type ?? DEFAULT_BACKUP_TYPE;
  const sqlServerPhysical = engineFacts.engine === "SQLServer" && method === "Physical";
  const sqlServerFull = sqlServerPhysical && type === "FullBackup";
  const strategy = (engineFacts.engine === "MySQL" && method === "Logical") || sqlServerFull;
  const dbAllowed = dbLevelAllowed(engineFacts);
  const dbLevel = strategy && dbAllowed && chosen.strategy === "db";
  return {
    methods,
    defaultMethod,
    backupType: sqlServerPhysical,
    strategy,
    strategies: dbAllowed ? BACKUP_STRATEGIES : ["instance"],
    dbName: dbLevel,
    retention: sqlServerFull && dbLevel,
    methodOmission: methodOmission(engineFacts),
    strategyOmission:
      strategy && !dbAllowed ? { reason: "db_level_needs_edition", ...facts(engineFacts) } : undefined,
  };
}
