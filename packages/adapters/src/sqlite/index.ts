/**
 * SQLite storage: every port of misas in one file, with Node's built-in `node:sqlite` — nothing
 * to install, no native module. Several processes may share the file (WAL mode, busy timeout).
 *
 * Open one storage object per file in a process and share it: its operations take turns on one
 * connection. `node:sqlite` waits for a lock synchronously, so a second storage object on the same
 * file in the same process would, while the first holds a projection transaction open, block the
 * event loop the first one needs to finish — until the busy timeout fails it.
 *
 * ```ts
 * const storage = await openSqliteStorage({ path: './cases.db' });
 * const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault });
 * ```
 * @module @misas/adapters/sqlite
 */
import { systemClock, type Clock, type MisasStorage } from '@misas/core';
import { sqliteMasterKeys, type MasterKeySettings } from '../shared/master-keys.ts';
import { SqliteAuditTrail } from './audit-trail.ts';
import { SqliteCaseSnapshotStore } from './case-snapshot-store.ts';
import { configure, connect, endBatch, startBatch, type ConnectionSettings, type SqliteSynchronous } from './connection.ts';
import { translateError } from './errors.ts';
import { SqliteEventStore } from './event-store.ts';
import { ConnectionGate } from './gate.ts';
import { SqliteLeaseManager } from './leases.ts';
import { assertOpenable, migrate } from './migrations.ts';
import { SqliteOutbox } from './outbox.ts';
import { SqliteProjectionStore } from './projection-store.ts';
import { SqliteVault } from './vault.ts';
import { holdsWrappedKeys } from './vault-keys.ts';

export { SqliteBusyError, SqliteStorageClosedError } from './errors.ts';
export { sqliteMigrations, sqliteSchemaVersion, type SqliteMigration } from './migrations.ts';
export { sqliteSynchronousValues, type SqliteSynchronous } from './connection.ts';
export { parseSqliteUrl, type SqliteUrlOptions } from './storage-url.ts';
export type { SqliteCheckpointReport, SqliteVault } from './vault.ts';

/** How long a write waits for another process's lock before failing, unless told otherwise. */
export const defaultSqliteBusyTimeoutMs = 5000;

/**
 * Where and how to open the SQLite storage. The master keys (`masterKeys`, else the environment,
 * else a key file `PATH.key` beside the database, created if missing) wrap the vault's keys.
 */
export interface SqliteStorageOptions extends MasterKeySettings {
  /** A file path, or `:memory:` (a private database that disappears on close). */
  readonly path: string;
  /**
   * How long an operation waits for a lock held by another connection before failing with
   * `SqliteBusyError` (nothing written). Default 5000 ms. `node:sqlite` waits synchronously: the
   * process's event loop is blocked meanwhile, which is why writers keep their transactions short.
   */
  readonly busyTimeoutMs?: number;
  /**
   * `full` (default): an acknowledged write survives a power loss. `normal`: it survives a killed
   * process, but the last commits before a power loss or an OS crash may be lost (never the file's
   * integrity); faster, e.g. for bulk imports. `off` is not offered (see `SqliteSynchronous`).
   */
  readonly synchronous?: SqliteSynchronous;
  /** Stamps the audit columns (schema migrations applied, subjects erased). Default: the system clock. */
  readonly clock?: Clock;
}

/** The SQLite storage: the ports of `MisasStorage`, the vault with its erasure report. */
export interface SqliteStorage extends MisasStorage {
  readonly vault: SqliteVault;
  /** How durable its commits are, as opened (`synchronous` option, default `full`). */
  readonly synchronous: SqliteSynchronous;
  writeBatch<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Opens (creating if needed) a SQLite file, brings its schema up to date and returns every port on
 * one connection.
 * @throws StoreTooNewError when the file was written by a newer library (it is left untouched)
 * @throws MisasError `not-a-misas-store` when the file holds someone else's tables
 * @throws SqliteBusyError when another process kept the file locked longer than `busyTimeoutMs`
 * @throws StorageUnavailableError when the file is read-only, damaged or cannot be opened; StorageFullError when the disk is full
 * @throws MasterKeyError when the stored keys are wrapped under a master key not configured
 */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<SqliteStorage> {
  const clock = options.clock ?? systemClock;
  const settings: ConnectionSettings = {
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? defaultSqliteBusyTimeoutMs,
    synchronous: options.synchronous ?? 'full',
  };
  let db;
  try {
    db = connect(settings);
  } catch (error) {
    throw translateError(error, settings);
  }
  try {
    // Refuse before configuring: switching to WAL writes the file's header.
    assertOpenable(db, settings.path);
    configure(db, settings);
    await migrate(db, { path: settings.path, now: () => clock.now() });
  } catch (error) {
    db.close();
    throw translateError(error, settings);
  }

  const gate = new ConnectionGate(settings);
  let vault: SqliteVault;
  try {
    vault = new SqliteVault(db, gate, clock, sqliteMasterKeys(options, settings.path, () => holdsWrappedKeys(db)));
    await vault.prepareKeys();
  } catch (error) {
    await gate.close(() => db.close());
    throw translateError(error, settings);
  }
  const projections = new SqliteProjectionStore(db, gate, settings.synchronous);
  return {
    events: new SqliteEventStore(db, gate, projections, vault),
    vault,
    synchronous: settings.synchronous,
    projections,
    outbox: new SqliteOutbox(db, gate),
    leases: new SqliteLeaseManager(db, gate),
    audit: new SqliteAuditTrail(db, gate),
    snapshots: new SqliteCaseSnapshotStore(db, gate),
    async writeBatch<T>(work: () => Promise<T>): Promise<T> {
      await gate.write(() => startBatch(db));
      let result: T;
      try {
        result = await work();
      } catch (error) {
        await gate.write(() => endBatch(db, 'rollback'));
        throw error;
      }
      await gate.write(() => {
        endBatch(db, 'commit');
        vault.afterBatch();
      });
      return result;
    },
    close: () =>
      gate.close(() => {
        vault.beforeClose();
        db.close();
      }),
  };
}
