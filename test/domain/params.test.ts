import { describe, expect, it } from "vitest";
import type { EngineFacts } from "../../src/domain/engine.js";
import { parseInstanceId, toApiParameters, validateBackupParams } from "../../src/domain/params.js";

const mysql: EngineFacts = { engine: "MySQL", storageType: "local_ssd" };
const sqlserver: EngineFacts = { engine: "SQLServer", storageType: "cloud_essd" };
const pg: EngineFacts = { engine: "PostgreSQL", storageType: "local_ssd" };
const id = "rm-uf6wjk5xxxx";

function problemsOf(result: ReturnType<typeof validateBackupParams>) {
  return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.code}`);
}

describe("parseInstanceId", () => {
  it.each(["rm-uf6wjk5xxxx", "pgm-bp1abc2def3", "rm-demo0001"])("accepts %s", (value) => {
    expect(parseInstanceId(value)).toEqual({ ok: true, value });
  });
  it.each(["", "   ", "rm_uf6", "<!channel>", "rm-UPPER01", "rm-a", "x".repeat(200), "rm-abc1;drop"])(
    "refuses %j",
    (value) => {
      expect(parseInstanceId(value).ok).toBe(false);
    },
  );
});

describe("validateBackupParams", () => {
  it("on cloud disks sends Snapshot and refuses Physical or Logical, saying why", () => {
    const essd = { engine: "MySQL", storageType: "cloud_essd", engineVersion: "8.0" } as const;
    expect(validateBackupParams({ DBInstanceId: id }, essd)).toEqual({
      ok: true,
      value: { DBInstanceId: id, BackupMethod: "Snapshot" },
    });
    const logical = validateBackupParams({ DBInstanceId: id, BackupMethod: "Logical" }, essd);
    expect(logical.ok ? [] : logical.problems).toEqual([
      {
        field: "BackupMethod",
        code: "not_supported_by_engine",
        value: "Logical",
        allowed: ["Snapshot"],
        engine: "MySQL",
        why: {
          reason: "cloud_disk_snapshot_only",
          storageType: "cloud_essd",
          engineVersion: "8.0",
          category: undefined,
        },
      },
    ]);
  });

  it("refuses a MySQL database-level backup the edition or version does not allow, once", () => {
    const old = {
      engine: "MySQL",
      storageType: "local_ssd",
      engineVersion: "5.5",
      category: "HighAvailability",
    } as const;
    const result = validateBackupParams(
      { DBInstanceId: id, BackupMethod: "Logical", BackupStrategy: "db", DBName: "orders" },
      old,
    );
    expect(problemsOf(result)).toEqual(["BackupStrategy:not_supported_by_engine"]);
    expect(result.ok ? undefined : result.problems[0]?.why?.reason).toBe("db_level_needs_edition");
    expect(
      validateBackupParams({ DBInstanceId: id, BackupMethod: "Logical", BackupStrategy: "instance" }, old).ok,
    ).toBe(true);
  });

  it("refuses a non-primary instance with one problem that says what it is and names its primary", () => {
    const readOnly = { ...mysql, instanceType: "Readonly", masterInstanceId: id };
    expect(validateBackupParams({ DBInstanceId: "rr-uf6wjk5yyyy", BackupMethod: "Nope" }, readOnly)).toEqual({
      ok: false,
      problems: [
        {
          field: "DBInstanceId",
          code: "not_primary",
          value: "rr-uf6wjk5yyyy",
          role: "Readonly",
          primaryId: id,
        },
      ],
    });
    expect(
      problemsOf(validateBackupParams({ DBInstanceId: id }, { ...mysql, instanceType: "Temp" })),
    ).toEqual(["DBInstanceId:not_primary"]);
    expect(validateBackupParams({ DBInstanceId: id }, { ...mysql, instanceType: "Primary" }).ok).toBe(true);
  });

  it("accepts the defaults and leaves them to the API", () => {
    expect(validateBackupParams({ DBInstanceId: id }, mysql)).toEqual({
      ok: true,
      value: { DBInstanceId: id },
    });
  });

  it("normalises capitalisation and splits database names", () => {
    const result = validateBackupParams(
      { DBInstanceId: id, BackupMethod: "logical", BackupStrategy: "DB", DBName: "orders, users" },
      mysql,
    );
    expect(result).toEqual({
      ok: true,
      value: { DBInstanceId: id, BackupMethod: "Logical", BackupStrategy: "db", DBName: ["orders", "users"] },
    });
  });

  it("refuses a method the engine does not offer, naming the allowed ones", () => {
    const result = validateBackupParams({ DBInstanceId: id, BackupMethod: "Snapshot" }, mysql);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({
        code: "not_supported_by_engine",
        allowed: ["Physical", "Logical"],
      });
    expect(problemsOf(validateBackupParams({ DBInstanceId: id, BackupMethod: "Logical" }, pg))).toEqual([
      "BackupMethod:not_supported_by_engine",
    ]);
  });

  it("refuses unknown values", () => {
    expect(problemsOf(validateBackupParams({ DBInstanceId: id, BackupMethod: "Magic" }, mysql))).toEqual([
      "BackupMethod:unknown_value",
    ]);
  });

  it("refuses parameters that do not apply, rather than dropping them", () => {
    expect(problemsOf(validateBackupParams({ DBInstanceId: id, BackupType: "Auto" }, mysql))).toEqual([
      "BackupType:not_applicable",
    ]);
    expect(
      problemsOf(validateBackupParams({ DBInstanceId: id, BackupStrategy: "db", DBName: "a" }, pg)),
    ).toEqual(["BackupStrategy:not_applicable", "DBName:not_applicable"]);
    expect(
      problemsOf(validateBackupParams({ DBInstanceId: id, BackupRetentionPeriod: "30" }, sqlserver)),
    ).toEqual(["BackupRetentionPeriod:not_applicable"]);
  });

  it("needs database names for a database-level backup", () => {
    expect(
      problemsOf(
        validateBackupParams({ DBInstanceId: id, BackupMethod: "Logical", BackupStrategy: "db" }, mysql),
      ),
    ).toEqual(["DBName:db_name_required"]);
  });

  it("checks database name format", () => {
    expect(
      problemsOf(
        validateBackupParams(
          { DBInstanceId: id, BackupMethod: "Logical", BackupStrategy: "db", DBName: "ok,bad name;drop" },
          mysql,
        ),
      ),
    ).toEqual(["DBName:db_name_format"]);
  });

  it("accepts SQL Server retention 7 to 730 or -1, and nothing else", () => {
    const base = {
      DBInstanceId: id,
      BackupMethod: "Physical",
      BackupType: "FullBackup",
      BackupStrategy: "db",
      DBName: "sales",
    };
    for (const ok of ["7", "730", "-1", 30]) {
      expect(validateBackupParams({ ...base, BackupRetentionPeriod: ok }, sqlserver).ok).toBe(true);
    }
    for (const bad of ["6", "731", "0", "-2", "7.5", "seven", "1e3"]) {
      expect(problemsOf(validateBackupParams({ ...base, BackupRetentionPeriod: bad }, sqlserver))).toEqual([
        "BackupRetentionPeriod:retention_range",
      ]);
    }
  });

  it("lists every problem at once", () => {
    const result = validateBackupParams(
      { DBInstanceId: id, BackupMethod: "Snapshot", BackupType: "Full", BackupRetentionPeriod: "99999" },
      mysql,
    );
    expect(problemsOf(result)).toEqual([
      "BackupType:unknown_value",
      "BackupMethod:not_supported_by_engine",
      "BackupRetentionPeriod:retention_range",
    ]);
  });

  it("gives the API comma-joined database names", () => {
    expect(
      toApiParameters({
        DBInstanceId: id,
        BackupStrategy: "db",
        BackupMethod: "Logical",
        DBName: ["a", "b"],
      }),
    ).toEqual({ DBInstanceId: id, BackupStrategy: "db", BackupMethod: "Logical", DBName: "a,b" });
  });
});
