/**
 * What the store suite needs from each dialect: an empty database per test, and raw access to it
 * for the few checks that look under the API (corrupting a row, reading `last_error`).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import type { ApiFailureInfo } from "../../src/domain/api-failure.js";
import type { InstanceInfo } from "../../src/domain/instance.js";
import { type BackupRequest, newRequestId } from "../../src/domain/request.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";

export interface Harness {
  name: "sqlite" | "postgres";
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** The URL of an empty database (a new file, or the test database emptied). */
  fresh(): Promise<string>;
  /** One statement against the current database; `?` placeholders on SQLite, `$1` on PostgreSQL. */
  raw(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
}

export function sqliteHarness(): Harness {
  let dir = "";
  let current = "";
  return {
    name: "sqlite",
    async setup() {
      dir = mkdtempSync(join(tmpdir(), "rdsbot-store-"));
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
    async fresh() {
      // A nested directory that does not exist yet: openStore must create it.
      current = join(dir, randomBytes(4).toString("hex"), "bot.sqlite");
      return current;
    },
    async raw(text, values = []) {
      const db = new Sqlite(current, { timeout: 5_000 });
      try {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all(...values) as Record<string, unknown>[];
        statement.run(...values);
        return [];
      } finally {
        db.close();
      }
    },
  };
}

export function postgresHarness(): Harness {
  let database: TestDatabase | undefined;
  const db = (): TestDatabase => {
    if (!database) throw new Error("postgres harness not set up");
    return database;
  };
  return {
    name: "postgres",
    async setup() {
      database = await createTestDatabase();
    },
    async teardown() {
      await database?.drop();
    },
    async fresh() {
      await db().reset();
      return db().url;
    },
    async raw(text, values) {
      return db().query(text, values);
    },
  };
}

/** SQLite always; PostgreSQL when a server is reachable (see test/support/postgres.ts). */
export async function harnesses(): Promise<Harness[]> {
  return (await postgresAvailable()) ? [sqliteHarness(), postgresHarness()] : [sqliteHarness()];
}

// ─── Fixtures ───────────────────────────────────────────────────────────────────────────────────

export const T0 = new Date("2026-03-01T09:00:00.123Z");

export function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

export function newId(): string {
  return newRequestId((n) => randomBytes(n));
}

export const INSTANCE: InstanceInfo = {
  id: "rm-bp1abc2def3",
  regionId: "cn-hangzhou",
  engine: "MySQL",
  engineVersion: "8.0",
  status: "Running",
  description: "orders primary",
};

/** A pending request with only the required fields. */
export function minimalRequest(overrides: Partial<BackupRequest> = {}): BackupRequest {
  return {
    id: newId(),
    state: "pending",
    params: { DBInstanceId: INSTANCE.id },
    instance: INSTANCE,
    requesterId: "U_REQUESTER",
    locale: "en",
    approvalsRequired: 1,
    approvals: [],
    allowSelfApproval: false,
    createdAt: T0,
    updatedAt: T0,
    expiresAt: at(24 * 3600_000),
    ...overrides,
  };
}

export const FULL_ERROR: ApiFailureInfo = {
  code: "InvalidBackupMethod.Malformed",
  message: "The specified backup method is not valid.",
  httpStatus: 400,
  requestId: "6C3C4C1E-0000-4C6A-9C1E-1234567890AB",
  recommend: "https://api.aliyun.com/troubleshoot?q=InvalidBackupMethod",
  outcome: "rejected",
  transient: false,
  retryAfterSeconds: 30,
};

/** A request with every optional field set. */
export function fullRequest(overrides: Partial<BackupRequest> = {}): BackupRequest {
  return minimalRequest({
    state: "failed",
    params: {
      DBInstanceId: INSTANCE.id,
      DBName: ["orders", "billing"],
      BackupStrategy: "db",
      BackupMethod: "Logical",
      BackupType: "FullBackup",
      BackupRetentionPeriod: -1,
    },
    instance: {
      ...INSTANCE,
      storageType: "cloud_essd",
      category: "HighAvailability",
      lockMode: "Unlock",
    },
    locale: "ja",
    originChannelId: "C_ORIGIN",
    approvalsRequired: 2,
    approvals: [
      { userId: "U_A", at: at(1_001) },
      { userId: "U_B", at: at(2_002) },
    ],
    allowSelfApproval: true,
    decidedBy: "U_B",
    decidedAt: at(2_002),
    reason: "quarterly snapshot — 四半期",
    card: { channel: "C_APPROVALS", ts: "1767225600.000100" },
    backupJobId: "123456789",
    apiRequestId: "A1B2C3D4-REQ",
    submittedAt: at(3_003),
    createCalls: 2,
    start: {
      jobsBefore: ["5070001"],
      unclear: 1,
      phase: {
        kind: "handed_over",
        finding: { kind: "backup_set", backupId: "3466502001", startTime: "2026-03-01T09:00:05Z" },
      },
    },
    error: FULL_ERROR,
    schedule: {
      askedFor: at(3_600_000),
      window: { opens: 60, closes: 300, timeZone: "Asia/Tokyo", days: [1, 2, 3, 4, 5] },
      startAt: at(7_200_000),
      deadline: at(10_800_000),
      notReady: { checks: 2, since: at(7_200_000), nextTryAt: at(7_260_000) },
    },
    createdAt: T0,
    updatedAt: at(4_004),
    expiresAt: at(86_400_000),
    ...overrides,
  });
}
