import { describe, expect, it } from "vitest";
import { formShape, isCloudDisk, methodsFor, parseEngine } from "../../src/domain/engine.js";

// One test per row of createbackup.md's engine table.
describe("engine rules (createbackup.md table)", () => {
  it("MySQL: Physical and Logical, Snapshot on cloud disks; strategy only with Logical", () => {
    expect(methodsFor({ engine: "MySQL", storageType: "local_ssd" })).toEqual(["Physical", "Logical"]);
    expect(methodsFor({ engine: "MySQL", storageType: "cloud_essd" })).toEqual([
      "Physical",
      "Logical",
      "Snapshot",
    ]);
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

  it("PostgreSQL: Physical, Snapshot on cloud disks; nothing else", () => {
    expect(methodsFor({ engine: "PostgreSQL", storageType: "local_ssd" })).toEqual(["Physical"]);
    expect(methodsFor({ engine: "PostgreSQL", storageType: "cloud_ssd" })).toEqual(["Physical", "Snapshot"]);
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
    expect(methodsFor({ engine: "SQLServer", storageType: "cloud_essd" })).toEqual(["Physical", "Snapshot"]);
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

  it("recognises engine names and cloud disk storage types", () => {
    expect(parseEngine("mysql")).toBe("MySQL");
    expect(parseEngine("SQLServer")).toBe("SQLServer");
    expect(parseEngine("Oracle")).toBeUndefined();
    expect(isCloudDisk("cloud_essd2")).toBe(true);
    expect(isCloudDisk("general_essd")).toBe(true);
    expect(isCloudDisk("local_ssd")).toBe(false);
    expect(isCloudDisk(undefined)).toBe(false);
  });
});
