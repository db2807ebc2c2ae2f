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

/** Storage on cloud disks (ESSD, SSD cloud disks) allows snapshot backups; local SSD does not. */
export function isCloudDisk(storageType: string | undefined): boolean {
  if (!storageType) return false;
  const lower = storageType.toLowerCase();
  return lower.startsWith("cloud_") || lower.startsWith("general_essd");
}

/** The facts about an instance that decide which backup parameters make sense. */
export interface EngineFacts {
  engine: Engine;
  storageType?: string | undefined;
}

/** The parameter choices a form may offer, given what has been chosen so far. */
export interface FormShape {
  methods: readonly BackupMethod[];
  /** BackupType applies (SQL Server with Physical). */
  backupType: boolean;
  /** BackupStrategy applies (MySQL Logical; SQL Server Physical + FullBackup). */
  strategy: boolean;
  /** DBName applies (strategy is `db`). */
  dbName: boolean;
  /** BackupRetentionPeriod applies (SQL Server db + Physical + FullBackup). */
  retention: boolean;
}

export interface ChosenSoFar {
  method?: BackupMethod | undefined;
  type?: BackupType | undefined;
  strategy?: BackupStrategy | undefined;
}

export function methodsFor(facts: EngineFacts): readonly BackupMethod[] {
  const snapshot: BackupMethod[] = isCloudDisk(facts.storageType) ? ["Snapshot"] : [];
  switch (facts.engine) {
    case "MySQL":
      return ["Physical", "Logical", ...snapshot];
    case "PostgreSQL":
    case "SQLServer":
      return ["Physical", ...snapshot];
    case "MariaDB":
      // A MariaDB snapshot backup is requested as Physical.
      return ["Physical"];
  }
}

/** Which fields apply for this engine and the choices made so far (defaults filled in). */
export function formShape(facts: EngineFacts, chosen: ChosenSoFar = {}): FormShape {
  const method = chosen.method ?? DEFAULT_BACKUP_METHOD;
  const type = chosen.type ?? DEFAULT_BACKUP_TYPE;
  const sqlServerPhysical = facts.engine === "SQLServer" && method === "Physical";
  const sqlServerFull = sqlServerPhysical && type === "FullBackup";
  const strategy = (facts.engine === "MySQL" && method === "Logical") || sqlServerFull;
  const dbLevel = strategy && chosen.strategy === "db";
  return {
    methods: methodsFor(facts),
    backupType: sqlServerPhysical,
    strategy,
    dbName: dbLevel,
    retention: sqlServerFull && dbLevel,
  };
}
