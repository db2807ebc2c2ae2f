import * as Rds from "@alicloud/rds20140815";
import { describe, expect, it } from "vitest";
import {
  parsePercent,
  toApiMinute,
  toBackupSet,
  toBackupTask,
  toInstanceInfo,
} from "../../src/rds/mapping.js";

describe("toApiMinute", () => {
  it("writes yyyy-MM-ddTHH:mmZ in UTC", () => {
    expect(toApiMinute(new Date("2024-03-05T07:08:00+09:00"))).toBe("2024-03-04T22:08Z");
  });

  it("rounds down a start and up an end that has seconds", () => {
    const at = new Date("2024-12-31T23:59:30.500Z");
    expect(toApiMinute(at)).toBe("2024-12-31T23:59Z");
    expect(toApiMinute(at, true)).toBe("2025-01-01T00:00Z");
    expect(toApiMinute(new Date("2024-01-01T00:00:00Z"), true)).toBe("2024-01-01T00:00Z");
  });

  it("refuses an invalid date", () => {
    expect(() => toApiMinute(new Date("nope"))).toThrow(RangeError);
  });
});

describe("model mapping", () => {
  it("maps an instance through the SDK's own model (odd casing included)", () => {
    const item = new Rds.DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute({
      DBInstanceId: "rm-abc123",
      regionId: "",
      engine: "sqlserver",
      engineVersion: "2019_std_ha",
      DBInstanceStatus: "Running",
      DBInstanceDescription: "erp",
      DBInstanceStorageType: "cloud_essd",
      category: "HighAvailability",
      lockMode: "Unlock",
    });
    expect(toInstanceInfo(item, "cn-hangzhou")).toEqual({
      ok: true,
      instance: {
        id: "rm-abc123",
        regionId: "cn-hangzhou",
        engine: "SQLServer",
        engineVersion: "2019_std_ha",
        status: "Running",
        description: "erp",
        storageType: "cloud_essd",
        category: "HighAvailability",
        lockMode: "Unlock",
      },
    });
  });

  it("reports an engine the bot does not support", () => {
    const item = new Rds.DescribeDBInstancesResponseBodyItemsDBInstance({
      DBInstanceId: "rm-x1234",
      engine: "Oracle",
    });
    expect(toInstanceInfo(item, "cn-hangzhou")).toEqual({ ok: false, engine: "Oracle" });
  });

  it("maps a backup job: progress as a number, status falling back to the program status", () => {
    const running = new Rds.DescribeBackupTasksResponseBodyItemsBackupJob({
      backupJobId: "5070001",
      backupStatus: "Uploading",
      process: "60",
      jobMode: "Manual",
    });
    expect(toBackupTask(running)).toEqual({
      backupJobId: "5070001",
      status: "Uploading",
      progress: 60,
      backupId: undefined,
      mode: "Manual",
      jobMode: "Manual",
    });
    const notStarted = new Rds.DescribeBackupTasksResponseBodyItemsBackupJob({
      backupJobId: "1",
      backupProgressStatus: "NoStart",
    });
    expect(toBackupTask(notStarted)).toMatchObject({ status: "NoStart", progress: undefined });
  });

  it("maps a backup set", () => {
    const set = new Rds.DescribeBackupsResponseBodyItemsBackup({
      backupId: "321",
      backupMethod: "Physical",
      backupSize: 2048,
      backupStartTime: "2024-01-01T00:00:00Z",
      backupEndTime: "2024-01-01T00:10:00Z",
      backupStatus: "Success",
      backupMode: "Manual",
    });
    expect(toBackupSet(set)).toEqual({
      backupId: "321",
      method: "Physical",
      size: 2048,
      startTime: "2024-01-01T00:00:00Z",
      endTime: "2024-01-01T00:10:00Z",
      status: "Success",
      mode: "Manual",
    });
  });

  it("parsePercent accepts the API's strings and clamps", () => {
    expect(parsePercent("25")).toBe(25);
    expect(parsePercent("12.5")).toBe(12.5);
    expect(parsePercent("")).toBeUndefined();
    expect(parsePercent("n/a")).toBeUndefined();
    expect(parsePercent("150")).toBe(100);
  });
});
