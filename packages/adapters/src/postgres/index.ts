/**
 * PostgreSQL storage: every port of `MisasStorage` in one schema of a PostgreSQL database (one
 * schema per fund, see docs/scaling.md), for several processes and machines.
 *
 * ```ts
 * const storage = await openPostgresStorage({ connectionString: 'postgres://misas@db/misas', schema: 'cpam_22' });
 * // or: await openStorage('postgres://misas@db/misas?schema=cpam_22')
 * ```
 *
 * Global positions are given after commit by a sequencer; docs/postgres-ordering.md explains why
 * and how a projection reads them safely.
 * @module @misas/adapters/postgres
 */
import type { MisasStorage } from '@misas/core';
import type pg from 'pg';
import { PostgresAuditTrail } from './audit-trail.ts';
import { PostgresCaseSnapshotStore } from './case-snapshot-store.ts';
import { createPool, resolveConnection } from './connection.ts';
import type { PasswordFileSettings } from './password-file.ts';
import { describePostgresStore, translatePostgresError } from './errors.ts';
import { PostgresEventStore } from './event-store.ts';
import { PostgresLeaseManager } from './leases.ts';
import { migrateSchema } from './migrations.ts';
import { PostgresOutbox } from './outbox.ts';
import { PostgresProjectionStore } from './projection-store.ts';
import { Sequencer, type SequencerStats } from './sequencer.ts';
import { PostgresVault } from './vault.ts';
import { withWriteBatch } from './write-batch.ts';
import { translatingPort } from '../shared/translating-port.ts';
import { masterKeyRequired, masterKeysFromEnvironment, type MasterKeySettings } from '../shared/master-keys.ts';

export { passwordFileVariable, type PasswordFileSettings } from './password-file.ts';
export { postgresMigrations, type PostgresMigration, type PostgresMigrationRunner } from './migrations.ts';
export type { SequencerStats } from './sequencer.ts';
export type { PostgresVault } from './vault.ts';

/**
 * Where the PostgreSQL storage is, and its master keys (`masterKeys`, else `MISAS_MASTER_KEY` /
 * `MISAS_MASTER_KEY_FILE`; none is an error: a server store is never given a key by default).
 */
export interface PostgresStorageOptions extends MasterKeySettings, PasswordFileSettings {
  /**
   * A libpq-style URL, `postgres://user:password@host:5432/database`. It may carry
   * `?schema=NAME`, which is taken out before the URL reaches the driver. Leave the password out
   * and name a file with `passwordFile` / `MISAS_PG_PASSWORD_FILE` (or use `PGPASSWORD`,
   * `~/.pgpass`) to keep it off command lines.
   */
  readonly connectionString: string;
  /**
   * The schema holding every table, created if missing (default `misas`, or the URL's `schema`).
   * Lower-case letters, digits and underscores.
   */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  /**
   * Send prepared (named) statements: parsed and planned once per connection (default true). Set
   * false — or `?prepare=false` in the URL — behind a pooler in transaction mode (PgBouncer before
   * 1.21, and others), which hands each transaction to any server connection.
   */
  readonly prepare?: boolean;
}

/** `MisasStorage` on PostgreSQL, with what only this storage can tell. */
export interface PostgresStorage extends MisasStorage {
  /** The vault, with its pending erasures (`pendingErasures`, `completePendingErasures`). */
  readonly vault: PostgresVault;
  /** The schema in use. */
  readonly schema: string;
  /** What this process's sequencer has done since open. */
  sequencerStats(): SequencerStats;
  /**
   * Group commit (see `MisasStorage.writeBatch`): every query of this storage object while `work`
   * runs joins one transaction on one connection, each command in a savepoint of it, committed
   * once at the end. Other processes' writers to the same streams and subjects, their projection
   * batches and sequencer passes wait for it. See write-batch.ts.
   */
  writeBatch<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Connects, brings the schema to the library's version (creating it if needed), and returns the
 * storage. Close it with `close()`, which ends the pool.
 * @throws StoreTooNewError when the schema was written by a newer library (it is left untouched)
 * @throws MisasError `invalid-schema` for a schema name that is not a plain lower-case identifier
 * @throws StorageUnavailableError when the server is unreachable, refuses the credentials or is read-only;
 *   StorageFullError when its disk is full (every port's methods throw these too)
 * @throws MasterKeyError when no master key is configured, or not the one the stored keys are wrapped under
 */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  const keys = options.masterKeys ?? masterKeysFromEnvironment(options.environment);
  if (!keys) throw masterKeyRequired('PostgreSQL storage');
  const connection = resolveConnection(options);
  const pool = createPool(connection);
  const store = describePostgresStore(connection.connectionString, connection.schema);
  let vault: PostgresVault;
  try {
    await migrateSchema(pool, connection.schema);
    vault = new PostgresVault(pool, connection.schema, keys);
    await vault.prepareKeys();
  } catch (error) {
    await pool.end();
    throw translatePostgresError(error, store);
  }
  return storageOn(pool, connection.schema, vault, (error) => translatePostgresError(error, store));
}

function storageOn(pool: pg.Pool, schema: string, openedVault: PostgresVault, translate: (error: unknown) => unknown): PostgresStorage {
  const sequencer = new Sequencer(pool, schema);
  const projections = new PostgresProjectionStore(pool, schema);
  let closing: Promise<void> | undefined;
  // The ports' callers see typed errors for an outage, a standby, a full disk (see errors.ts).
  const port = <T extends object>(value: T): T => translatingPort(value, translate);
  // The event store is given the vault as its callers see it: `commitsWithVault(storage.vault)`
  // compares identities, and the vault's methods still run on the vault itself.
  const vault = port(openedVault);
  return {
    schema,
    events: port(new PostgresEventStore(pool, schema, sequencer, projections, vault)),
    vault,
    projections: port(projections),
    outbox: port(new PostgresOutbox(pool, schema)),
    leases: port(new PostgresLeaseManager(pool, schema)),
    audit: port(new PostgresAuditTrail(pool, schema)),
    snapshots: port(new PostgresCaseSnapshotStore(pool, schema)),
    sequencerStats: () => sequencer.stats,
    async writeBatch<T>(work: () => Promise<T>): Promise<T> {
      const result = await withWriteBatch(pool, work);
      // Committed: number its events, and finish the erasures it deferred.
      sequencer.afterAppend();
      await openedVault.afterWrite();
      return result;
    },
    // pg refuses a second end(); closing twice is harmless here.
    close: () => (closing ??= sequencer.close().then(() => vault.beforeClose()).then(() => pool.end())),
  };
}
