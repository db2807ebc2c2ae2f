import { describe, expect, it } from "vitest";
import {
  dbLevelAllowed,
  explicitMethod,
  formShape,
  isCloudDisk,
  methodsFor,
  parseEngine,
  storageKind,
} from "../../src/domain/engine.js";

// One test per row of createbackup.md's engine table.
describe("engine rules (createbackup.md table)", () => {
  it("MySQL: Physical and Logical on local SSDs, only Snapshot on cloud disks; strategy only with Logical", () => {
    expect(methodsFor({ engine: "MySQL", storageType: "local_ssd" })).toEqual(["Physical", "Logical"]);
    expect(methodsFor({ engine: "MySQL", storageType: "cloud_essd" })).toEqual(["Snapshot"]);
    // Storage not known: everything the engine may take, the API decides.
    expect(methodsFor({ engine: "MySQL" })).toEqual(["Physical", "Logical", "Snapshot"]);
    expect(formShape({ engine: "MySQL" })).toMatchObject({
      strategy: false,
      dbName: false,
      backupType: false,
      retention: false,
    });
    expect(formShape({ engine: "MySQL" }, { method: "Logical" })).toMatchObject({
      strategy: true,
      dbName: false,
    });
    expect(formShape({ engine: "MySQL" }, { method: "Logical", strategy: "db" })).toMatchObject({
      strategy: true,
      dbName: true,
      backupType: false,
      retention: false,
    });
    expect(formShape({ engine: "MySQL" }, { method: "Physical", strategy: "db" })).toMatchObject({
      strategy: false,
      dbName: false,
    });
  });

  it("PostgreSQL: Physical on local SSDs, only Snapshot on cloud disks; nothing else", () => {
    expect(methodsFor({ engine: "PostgreSQL", storageType: "local_ssd" })).toEqual(["Physical"]);
    expect(methodsFor({ engine: "PostgreSQL", storageType: "cloud_ssd" })).toEqual(["Snapshot"]);
    for (const method of ["Physical", "Snapshot"] as const) {
      expect(
        formShape({ engine: "PostgreSQL", storageType: "cloud_ssd" }, { method, strategy: "db" }),
      ).toMatchObject({
        strategy: false,
        dbName: false,
        backupType: false,
        retention: false,
      });
    }
  });

  it("SQL Server: type with Physical; strategy with Physical + FullBackup; retention with db + Physical + FullBackup", () => {
    // Our reading: SQL Server keeps its Physical backups on cloud disks (see methodsFor).
    expect(methodsFor({ engine: "SQLServer", storageType: "cloud_essd" })).toEqual(["Physical", "Snapshot"]);
    expect(methodsFor({ engine: "SQLServer", storageType: "local_ssd" })).toEqual(["Physical"]);
    expect(formShape({ engine: "SQLServer", storageType: "cloud_essd" }).defaultMethod).toBe("Physical");
    expect(formShape({ engine: "SQLServer" })).toMatchObject({
      backupType: true,
      strategy: false,
      retention: false,
    });
    expect(formShape({ engine: "SQLServer" }, { method: "Snapshot" })).toMatchObject({
      backupType: false,
      strategy: false,
    });
    expect(formShape({ engine: "SQLServer" }, { type: "FullBackup" })).toMatchObject({
      strategy: true,
      dbName: false,
      retention: false,
    });
    expect(formShape({ engine: "SQLServer" }, { type: "FullBackup", strategy: "db" })).toMatchObject({
      strategy: true,
      dbName: true,
      retention: true,
    });
    expect(formShape({ engine: "SQLServer" }, { type: "Auto", strategy: "db" })).toMatchObject({
      strategy: false,
      retention: false,
    });
  });

  it("MariaDB: Physical only (a snapshot is requested as Physical)", () => {
    expect(methodsFor({ engine: "MariaDB", storageType: "cloud_essd" })).toEqual(["Physical"]);
    expect(
      formShape({ engine: "MariaDB" }, { method: "Physical", type: "FullBackup", strategy: "db" }),
    ).toMatchObject({
      backupType: false,
      strategy: false,
      dbName: false,
      retention: false,
    });
  });

  it("cloud disks: the form preselects and validation sends Snapshot; the hint says why", () => {
    const essd = { engine: "MySQL", storageType: "cloud_essd", engineVersion: "8.0" } as const;
    expect(formShape(essd)).toMatchObject({
      methods: ["Snapshot"],
      defaultMethod: "Snapshot",
      strategy: false,
      methodOmission: { reason: "cloud_disk_snapshot_only", storageType: "cloud_essd" },
    });
    expect(explicitMethod(essd)).toBe("Snapshot");
    expect(explicitMethod({ engine: "PostgreSQL", storageType: "general_essd" })).toBe("Snapshot");
    expect(explicitMethod({ engine: "MariaDB", storageType: "cloud_essd" })).toBe("Physical");
    // Where Physical is right, the API's default is left alone.
    expect(explicitMethod({ engine: "MySQL", storageType: "local_ssd" })).toBeUndefined();
    expect(explicitMethod({ engine: "SQLServer", storageType: "cloud_essd" })).toBeUndefined();
    expect(formShape({ engine: "MySQL", storageType: "local_ssd" }).methodOmission?.reason).toBe(
      "snapshot_needs_cloud_disk",
    );
    expect(formShape({ engine: "MariaDB" }).methodOmission?.reason).toBe("mariadb_snapshot_as_physical");
  });

  it("a MySQL database-level backup: 5.6, 5.7 or 8.0; High-availability or 5.7 Enterprise; local SSDs", () => {
    const ha = { engine: "MySQL", storageType: "local_ssd", category: "HighAvailability" } as const;
    for (const engineVersion of ["5.6", "5.7", "8.0"])
      expect(dbLevelAllowed({ ...ha, engineVersion })).toBe(true);
    expect(dbLevelAllowed({ ...ha, engineVersion: "5.5" })).toBe(false);
    expect(dbLevelAllowed({ ...ha, engineVersion: "8.4" })).toBe(false);
    expect(dbLevelAllowed({ ...ha, engineVersion: "5.7", category: "Finance" })).toBe(true);
    expect(dbLevelAllowed({ ...ha, engineVersion: "8.0", category: "Finance" })).toBe(false);
    expect(dbLevelAllowed({ ...ha, engineVersion: "8.0", category: "Basic" })).toBe(false);
    expect(dbLevelAllowed({ ...ha, engineVersion: "8.0", storageType: "cloud_essd" })).toBe(false);
    // Not known: the API decides.
    expect(dbLevelAllowed({ engine: "MySQL" })).toBe(true);
    // Logical on MySQL 5.5: the strategy applies, but only `instance` is offered, and the hint says why.
    expect(formShape({ ...ha, engineVersion: "5.5" }, { method: "Logical", strategy: "db" })).toMatchObject({
      strategy: true,
      strategies: ["instance"],
      dbName: false,
      strategyOmission: { reason: "db_level_needs_edition", engineVersion: "5.5" },
    });
    expect(formShape({ ...ha, engineVersion: "8.0" }, { method: "Logical" }).strategies).toEqual([
      "instance",
      "db",
    ]);
  });

  it("recognises engine names and cloud disk storage types", () => {
    expect(storageKind("ephemeral_ssd")).toBe("local");
    expect(storageKind("cloud_essd3")).toBe("cloud");
    expect(storageKind("something_new")).toBe("unknown");
    expect(parseEngine("mysql")).toBe("MySQL");
    expect(parseEngine("SQLServer")).toBe("SQLServer");
    expect(parseEngine("Oracle")).toBeUndefined();
    expect(isCloudDisk("cloud_essd2")).toBe(true);
    expect(isCloudDisk("general_essd")).toBe(true);
    expect(isCloudDisk("local_ssd")).toBe(false);
    expect(isCloudDisk(undefined)).toBe(false);
  });
});
