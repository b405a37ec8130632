/**
 * Errors the SQLite adapter adds to those of the core, and the translation of SQLite's own.
 */
import { MisasError, StorageFullError, StorageUnavailableError } from '@misas/core';

/** SQLite's primary result codes we translate (extended codes share the low byte). */
const sqliteCode = { busy: 5, readOnly: 8, ioError: 10, corrupt: 11, full: 13, cantOpen: 14, notADatabase: 26 } as const;
const SQLITE_BUSY = sqliteCode.busy;

/**
 * The file stayed locked by another connection (usually another process) for longer than the busy
 * timeout. The operation was rolled back: nothing was written, and it may be retried.
 */
export class SqliteBusyError extends MisasError {
  /** How long SQLite waited before giving up. */
  readonly busyTimeoutMs: number;
  constructor(busyTimeoutMs: number, cause: unknown) {
    super(
      'storage-busy',
      `The SQLite file stayed locked by another writer for more than ${busyTimeoutMs} ms: nothing was written, ` +
        'retry later or raise busyTimeoutMs',
    );
    this.busyTimeoutMs = busyTimeoutMs;
    this.cause = cause;
  }
}

/** The storage was closed; it cannot be used any more. */
export class SqliteStorageClosedError extends MisasError {
  constructor() {
    super('storage-closed', 'This SQLite storage was closed: open it again to use it');
  }
}

/** True for the errors `node:sqlite` throws when SQLite answers SQLITE_BUSY (or one of its extended codes). */
export function isBusy(error: unknown): boolean {
  if (!(error instanceof Error) || !('errcode' in error)) return false;
  const code = error.errcode;
  return typeof code === 'number' && (code & 0xff) === SQLITE_BUSY;
}

/** What a translated error names: the file, and how long a lock was waited for. */
export interface SqliteErrorContext {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

/** SQLite's primary result code of an error `node:sqlite` threw, if it is one. */
export function sqlitePrimaryCode(error: unknown): number | undefined {
  if (!(error instanceof Error) || !('errcode' in error) || typeof error.errcode !== 'number') return undefined;
  return error.errcode & 0xff;
}

/** The command that checks a file, for the advice of a damaged one. */
function integrityCheck(path: string): string {
  return `stop writing to it, run \`sqlite3 ${path} 'PRAGMA integrity_check'\` and restore it from a backup if it reports damage`;
}

/**
 * Gives SQLite's failures typed errors a caller can act on: a lock timeout (`SqliteBusyError`,
 * retry later), a read-only, damaged or unopenable file (`StorageUnavailableError`, naming the
 * check to run), a full disk (`StorageFullError`). Anything else is returned as it was.
 */
export function translateError(error: unknown, context: SqliteErrorContext): unknown {
  const code = sqlitePrimaryCode(error);
  if (code === undefined) return error;
  const store = context.path;
  const reason = error instanceof Error ? error.message : String(error);
  switch (code) {
    case sqliteCode.busy:
      return new SqliteBusyError(context.busyTimeoutMs, error);
    case sqliteCode.full:
      return new StorageFullError(store, `SQLITE_FULL: ${reason}`, error);
    case sqliteCode.readOnly:
      return new StorageUnavailableError({
        reason: 'read-only', store, cause: error,
        detail: `is read-only (SQLITE_READONLY): nothing was written`,
        action: `make ${store}, ${store}-wal, ${store}-shm and their folder writable by this user (check permissions, \`lsattr\`, the mount), or use a copy`,
      });
    case sqliteCode.corrupt:
      return new StorageUnavailableError({ reason: 'corrupt', store, cause: error, detail: `is damaged (SQLITE_CORRUPT: ${reason})`, action: integrityCheck(store) });
    case sqliteCode.notADatabase:
      return new StorageUnavailableError({
        reason: 'corrupt', store, cause: error,
        detail: `is not a SQLite database or its header is damaged (SQLITE_NOTADB)`,
        action: `check that the path names the right file; if it does, ${integrityCheck(store)}`,
      });
    case sqliteCode.ioError:
      return new StorageUnavailableError({
        reason: 'io-error', store, cause: error,
        detail: `could not be read or written (SQLITE_IOERR: ${reason})`,
        action: `check the disk and the system log, then ${integrityCheck(store)}`,
      });
    case sqliteCode.cantOpen:
      return new StorageUnavailableError({
        reason: 'cannot-open', store, cause: error,
        detail: `cannot be opened (SQLITE_CANTOPEN)`,
        action: 'check that its folder exists and that this user may read and write it',
      });
    default:
      return error;
  }
}
