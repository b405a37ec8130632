/**
 * The SQLite connection: how it is opened and tuned, and the two kinds of transaction the stores use.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { MisasError } from '@misas/core';
import { loadNodeSqlite } from './runtime.ts';

/**
 * How durable a commit is once acknowledged (SQLite's `PRAGMA synchronous`, in WAL mode). `off` is
 * deliberately not offered: in WAL mode NORMAL already skips the fsync of each commit, so OFF would
 * only save the fsyncs of checkpoints while letting a power loss corrupt the file, not merely lose
 * its last commits.
 */
export type SqliteSynchronous = 'full' | 'normal';

/** The values of `SqliteSynchronous`, for parsers and their error messages. */
export const sqliteSynchronousValues: readonly SqliteSynchronous[] = ['full', 'normal'];

/** Settings of a connection. */
export interface ConnectionSettings {
  readonly path: string;
  readonly busyTimeoutMs: number;
  readonly synchronous: SqliteSynchronous;
}

/** True for SQLite's in-memory database, which has no file, no WAL and no other process. */
export function isInMemory(path: string): boolean {
  return path === ':memory:';
}

/**
 * Opens the connection and sets what only affects this connection and writes nothing to the file,
 * so that a file we end up refusing (too new, not ours) is left byte for byte as it was.
 */
export function connect(settings: ConnectionSettings): DatabaseSync {
  // SQLite reads an empty path as "a private temporary file", which would silently lose everything.
  if (settings.path === '') throw new MisasError('invalid-option', 'path is empty: give a file path or :memory:');
  if (!Number.isSafeInteger(settings.busyTimeoutMs) || settings.busyTimeoutMs < 0) {
    throw new MisasError('invalid-option', `busyTimeoutMs must be a whole number of milliseconds ≥ 0, got ${settings.busyTimeoutMs}`);
  }
  if (!sqliteSynchronousValues.includes(settings.synchronous)) {
    throw new MisasError('invalid-option', `synchronous must be one of ${sqliteSynchronousValues.join(', ')}, got ${String(settings.synchronous)}`);
  }
  // Loaded here, not at import: see runtime.ts.
  const { DatabaseSync: Database } = loadNodeSqlite();
  const db = new Database(settings.path, { enableForeignKeyConstraints: true, enableDoubleQuotedStringLiterals: false });
  try {
    // First of all: from here on, a lock held by another process makes us wait instead of failing,
    // including while we read the schema version of a file another process is creating.
    db.exec(`PRAGMA busy_timeout = ${settings.busyTimeoutMs}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Tunes the connection for misas, once the file is known to be ours (this may write its header).
 *
 * - `journal_mode = WAL`: readers never block the writer nor each other, so several processes
 *   share one file; it is a property of the file and sticks once set.
 * - `synchronous = FULL` by default: the WAL is flushed to disk at every commit, so an acknowledged
 *   append — or an acknowledged erasure — survives a power loss or an OS crash, not only a killed
 *   process. NORMAL (offered as an option) survives a killed process too but may lose the last
 *   commits on power loss: for a register of people's cases, and for crypto-shredding that must not
 *   come back from the dead, one fsync per commit of human-paced case work is a fair price.
 * - `foreign_keys = ON`: a vault entry cannot outlive its subject's key.
 * - `secure_delete = ON`: deleted rows (a shredded key) are overwritten with zeros in the pages,
 *   not merely unlinked, so the key's bytes do not linger in the file.
 */
export function configure(db: DatabaseSync, settings: ConnectionSettings): void {
  const row = db.prepare('PRAGMA journal_mode = WAL').get();
  const mode = row?.['journal_mode'];
  const expected = isInMemory(settings.path) ? 'memory' : 'wal';
  if (mode !== expected) {
    throw new MisasError('sqlite-configuration', `Could not put ${settings.path} in WAL mode (journal_mode is ${String(mode)})`);
  }
  db.exec(`PRAGMA synchronous = ${settings.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA secure_delete = ON');
}

/** The prepared statements of each connection, by SQL text. */
const statementsOf = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The statement `sql` prepared once per connection: compiling SQL costs more than running a small
 * statement, so every store of a connection shares one compiled statement per text. A statement
 * belongs to its connection and dies with it.
 */
export function prepared(db: DatabaseSync, sql: string): StatementSync {
  let statements = statementsOf.get(db);
  if (statements === undefined) {
    statements = new Map();
    statementsOf.set(db, statements);
  }
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** Connections inside a write batch (`writeBatch`): their writes nest in the batch's transaction. */
const batching = new WeakSet<DatabaseSync>();

/** Savepoint name of a write nested in a batch. */
const nested = 'misas_write';

/**
 * Starts a write. `BEGIN IMMEDIATE` takes the file's single write lock up front (waiting up to
 * the busy timeout), so the reads that decide what to write see the latest commit and cannot be
 * overtaken by another process between the check and the write. Inside a write batch, which holds
 * that lock already, the write is a savepoint of the batch instead: still all or nothing.
 */
export function beginWrite(db: DatabaseSync): void {
  prepared(db, batching.has(db) ? `SAVEPOINT ${nested}` : 'BEGIN IMMEDIATE').run();
}

/** Ends a write started by `beginWrite`: commits it, or releases its savepoint inside a batch. */
export function commitWrite(db: DatabaseSync): void {
  prepared(db, batching.has(db) ? `RELEASE ${nested}` : 'COMMIT').run();
}

/**
 * Starts a write whose commit does not wait for the disk, for a projection transaction asked to be
 * `relaxed` (a rebuild filling a generation that nothing reads yet). `endRelaxedWrite` must follow
 * its commit or rollback. Returns whether it is relaxed: inside a write batch it is an ordinary
 * nested write, whose durability the batch decides.
 *
 * The commit goes to the WAL with `synchronous = OFF` (which SQLite lets change only outside a
 * transaction), so a power failure or an OS crash may lose it — never damage the file: WAL frames
 * carry a running checksum, and recovery keeps the longest run of whole transactions. The next
 * commit at the connection's own level (FULL or NORMAL) syncs the WAL, these frames with it. What
 * must never run unsynced is a checkpoint, which copies frames into the database file and lets the
 * WAL start over: done at OFF, a power failure after it could lose pages of earlier, durable
 * commits (the events among them). So automatic checkpoints are off until `endRelaxedWrite`, and
 * the next ordinary commit runs the checkpoint at its own level.
 */
export function beginRelaxedWrite(db: DatabaseSync, synchronous: SqliteSynchronous): boolean {
  if (batching.has(db)) {
    beginWrite(db);
    return false;
  }
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA wal_autocheckpoint = 0');
  try {
    beginWrite(db);
  } catch (error) {
    endRelaxedWrite(db, synchronous);
    throw error;
  }
  return true;
}

/** Puts back the connection's durability after a relaxed write (see `beginRelaxedWrite`). */
export function endRelaxedWrite(db: DatabaseSync, synchronous: SqliteSynchronous): void {
  db.exec(`PRAGMA wal_autocheckpoint = ${defaultWalAutoCheckpoint}`);
  db.exec(`PRAGMA synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
}

/** SQLite's default, which misas never changes: a checkpoint once the WAL holds 1000 pages. */
const defaultWalAutoCheckpoint = 1000;

/** Undoes a write started by `beginWrite` (and only it, inside a batch). */
export function rollbackWrite(db: DatabaseSync): void {
  if (!db.isTransaction) return;
  if (batching.has(db)) db.exec(`ROLLBACK TO ${nested}; RELEASE ${nested}`);
  else db.exec('ROLLBACK');
}

/** Runs `work` as one write (see `beginWrite`) and commits it; any throw rolls it back. */
export function immediate<T>(db: DatabaseSync, work: () => T): T {
  beginWrite(db);
  try {
    const result = work();
    commitWrite(db);
    return result;
  } catch (error) {
    rollbackWrite(db);
    throw error;
  }
}

/** Opens a write batch: one transaction that the writes after it join, until `endBatch`. */
export function startBatch(db: DatabaseSync): void {
  if (batching.has(db) || db.isTransaction) throw new MisasError('nested-transaction', 'A write batch cannot be opened inside a transaction or another batch');
  db.exec('BEGIN IMMEDIATE');
  batching.add(db);
}

/** Closes the write batch: commits everything in it, or rolls it all back. */
export function endBatch(db: DatabaseSync, outcome: 'commit' | 'rollback'): void {
  batching.delete(db);
  if (!db.isTransaction) return;
  db.exec(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
}

/**
 * Runs several reads on one snapshot, so that another process's commit cannot land between them.
 * Inside an already open transaction the reads simply share it.
 */
export function snapshot<T>(db: DatabaseSync, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec('BEGIN DEFERRED');
  try {
    return work();
  } finally {
    if (db.isTransaction) db.exec('COMMIT');
  }
}
