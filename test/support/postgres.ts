/**
 * Throwaway PostgreSQL databases for tests: each test file creates its own (`rdsbot_test_<random>`)
 * on the server named by `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
 * and drops it at the end, so files run in parallel without seeing each other's rows.
 *
 * Without a reachable server the PostgreSQL suites are skipped with a warning, so `npm test`
 * works on a machine with Node.js only; when `TEST_DATABASE_URL` is set explicitly, an unreachable
 * server is an error instead (CI sets it, so a broken database cannot pass as a skipped suite).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REQUIRED = process.env.TEST_DATABASE_URL !== undefined && process.env.TEST_DATABASE_URL !== "";

let availability: Promise<boolean> | undefined;

/** True when the server answers; false (with a warning) when it does not and is not required. */
export function postgresAvailable(): Promise<boolean> {
  availability ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return true;
    } catch (error) {
      if (REQUIRED)
        throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${String(error)}`);
      console.warn(`PostgreSQL tests skipped: no server at ${redact(TEST_DATABASE_URL)} (${String(error)})`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return availability;
}

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Empties the database (drops and recreates the `public` schema, migrations table included). */
  reset(): Promise<void>;
  /** Runs one statement as the test user (for corrupting rows on purpose, inspecting columns). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rdsbot_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url,
    name,
    query,
    async reset() {
      await query("drop schema public cascade; create schema public");
    },
    async drop() {
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
