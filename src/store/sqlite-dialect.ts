/**
 * Kysely's SQLite dialect, with two changes that make it safe for read-then-write transactions
 * and for several processes sharing one file:
 *
 * - Every transaction starts with `BEGIN IMMEDIATE`, which takes the database's write lock up
 *   front. A deferred `BEGIN` would read first and fail with SQLITE_BUSY when it tries to write
 *   after another process did (WAL mode cannot wait there); an immediate one waits for the lock
 *   (`busy_timeout`) and then reads the latest committed state, so check-then-write is atomic.
 *   Inside one process Kysely already serialises everything on its single connection.
 * - DDL is declared transactional (SQLite's DDL is), so the `Migrator` runs the pending
 *   migrations inside one such transaction: Kysely's SQLite migration lock is a no-op, and this
 *   is what keeps two processes from applying the same migration.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
