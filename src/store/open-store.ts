/**
 * Opens the store named by `DATABASE_URL`: a `postgres://` / `postgresql://` URL is PostgreSQL
 * (a connection pool, for several replicas), anything else is a SQLite file path (`:memory:` for
 * tests). Nothing is migrated here: call `store.migrate()` at start-up.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Sqlite from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { HomeViewStore, RequestStore } from "../backup/ports.js";
import { KyselyRequestStore, type KyselyStoreOptions, type StoreLogger } from "./kysely-store.js";
import type { Database, SqlDialect } from "./schema.js";
import { ImmediateSqliteDialect } from "./sqlite-dialect.js";

export type { StoreLogger } from "./kysely-store.js";
export { KyselyRequestStore } from "./kysely-store.js";
export { CorruptRowError } from "./mapping.js";

export interface OpenStoreOptions {
  logger?: StoreLogger | undefined;
  /** The store's clock (tests). */
  clock?: (() => Date) | undefined;
  /** SQLite: how long a writer waits for another process's write lock (default 15 s). */
  busyTimeoutMs?: number | undefined;
  /** PostgreSQL: pool size (default 10). */
  poolSize?: number | undefined;
}

const DEFAULT_BUSY_TIMEOUT_MS = 15_000;
const INT8_OID = 20;

export function dialectOf(databaseUrl: string): SqlDialect {
  return /^postgres(?:ql)?:\/\//i.test(databaseUrl.trim()) ? "postgres" : "sqlite";
}

/** The URL with its password (and any `password=` query parameter) replaced, for logs and errors. */
export function redactDatabaseUrl(databaseUrl: string): string {
  const hidden = "***";
  try {
    const url = new URL(databaseUrl);
    if (url.password !== "") url.password = hidden;
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, hidden);
    }
    return url.toString();
  } catch {
    // Not parseable: hide anything between "user:" and "@" and any password=… parameter.
    return databaseUrl
      .replace(/(\/\/[^/:@]*:)[^@/]*@/, `$1${hidden}@`)
      .replace(/((?:pass|secret|token|key)[^=&]*=)[^&]*/gi, `$1${hidden}`);
  }
}

export async function openStore(
  databaseUrl: string,
  options: OpenStoreOptions = {},
): Promise<RequestStore & HomeViewStore> {
  const storeOptions: KyselyStoreOptions = { logger: options.logger, clock: options.clock };
  return dialectOf(databaseUrl) === "postgres"
    ? openPostgres(databaseUrl, options, storeOptions)
    : openSqlite(databaseUrl, options, storeOptions);
}

async function openPostgres(
  databaseUrl: string,
  options: OpenStoreOptions,
  storeOptions: KyselyStoreOptions,
): Promise<KyselyRequestStore> {
  const where = redactDatabaseUrl(databaseUrl);
  try {
    new URL(databaseUrl);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: ${where}`);
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    application_name: "rds-backup-bot",
    // Timestamps and ids are int8: read them as numbers (exact below 2^53) on this pool only.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary"
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's connection dropping must not crash the process; the next query reconnects.
  pool.on("error", (error) => {
    options.logger?.warn({ err: error.message, database: where }, "PostgreSQL connection error");
  });
  // The pool listens for errors only on idle clients. A checked-out client whose connection drops
  // (a server restart mid-query) emits 'error' too: unheard, that crashes the process. The query
  // itself fails, and the pool discards the broken client on release; the event needs a listener.
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      options.logger?.warn({ err: error.message, database: where }, "PostgreSQL connection lost");
    });
  });
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot connect to PostgreSQL at ${where}: ${redactSecret(message, databaseUrl)}`);
  }
  options.logger?.info({ database: where }, "store opened (PostgreSQL)");
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyRequestStore(db, "postgres", storeOptions);
}

async function openSqlite(
  path: string,
  options: OpenStoreOptions,
  storeOptions: KyselyStoreOptions,
): Promise<KyselyRequestStore> {
  const inMemory = path === ":memory:" || path === "";
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const busyTimeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const database = new Sqlite(inMemory ? ":memory:" : path, { timeout: busyTimeout });
  try {
    database.pragma(`busy_timeout = ${Math.floor(busyTimeout)}`);
    if (!inMemory) database.pragma("journal_mode = WAL");
    database.pragma("foreign_keys = ON");
  } catch (error) {
    database.close();
    throw error;
  }
  options.logger?.info({ database: inMemory ? ":memory:" : resolve(path) }, "store opened (SQLite)");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
  return new KyselyRequestStore(db, "sqlite", storeOptions);
}

/** Removes the URL's password from a driver message, should a driver ever echo it. */
function redactSecret(message: string, databaseUrl: string): string {
  let password = "";
  try {
    password = decodeURIComponent(new URL(databaseUrl).password);
  } catch {
    // Nothing to hide.
  }
  return password === "" ? message : message.split(password).join("***");
}
