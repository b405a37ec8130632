/**
 * Errors the SQLite adapter adds to those of the core, and the translation of SQLite's own.
 */
import { MisasError } from '@misas/core';

/** SQLite's primary result code for "another connection holds the lock" (extended codes share the low byte). */
const SQLITE_BUSY = 5;

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

/** Gives a lock timeout its own typed error, so callers can tell "retry later" from a real failure. */
export function translateError(error: unknown, busyTimeoutMs: number): unknown {
  return isBusy(error) ? new SqliteBusyError(busyTimeoutMs, error) : error;
}
