/**
 * The translation of PostgreSQL's failures into the typed errors a caller can act on: an
 * unreachable server, refused credentials, a read-only server (a standby), a full disk, damaged data.
 */
import { StorageFullError, StorageUnavailableError } from '@misas/core';

/** Node's network error codes for a server that cannot be reached. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** The `code` of an error (a SQLSTATE from the server, or Node's network code), if it has one. */
function codeOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined;
  return error.code;
}

/** The store fit for messages: `postgres://user@host:port/database (schema S)`, never the password. */
export function describePostgresStore(connectionString: string, schema: string): string {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.username === '' ? '' : `${decodeURIComponent(url.username)}@`}${url.host}${url.pathname} (schema ${schema})`;
  } catch {
    return `PostgreSQL (schema ${schema})`;
  }
}

/**
 * Gives PostgreSQL's failures typed errors; anything else (a conflict the adapter handles, a bug)
 * is returned as it was. `store` names the server in messages (see {@link describePostgresStore}).
 */
export function translatePostgresError(error: unknown, store: string): unknown {
  const code = codeOf(error);
  if (code === undefined) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const unavailable = (input: Omit<ConstructorParameters<typeof StorageUnavailableError>[0], 'store' | 'cause'>) =>
    new StorageUnavailableError({ ...input, store, cause: error });
  if (networkCodes.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') {
    return unavailable({
      reason: 'unreachable',
      detail: `is unreachable (${code}: ${reason})`,
      action: 'check that PostgreSQL runs and accepts connections at that host and port, and the URL',
    });
  }
  switch (code) {
    case '28P01':
    case '28000':
      return unavailable({
        reason: 'auth-failed',
        detail: `refused the connection (${code}: ${reason})`,
        action: 'check the user and password of the URL (or PGPASSWORD) and the server\'s pg_hba.conf',
      });
    case '3D000':
      return unavailable({ reason: 'cannot-open', detail: `has no such database (${code}: ${reason})`, action: 'create the database, or correct the URL' });
    case '25006':
      return unavailable({
        reason: 'read-only',
        detail: `is read-only (${code}: ${reason}): nothing was written`,
        action: 'connect to the primary server, not a standby, and check default_transaction_read_only',
      });
    case '53100':
      return new StorageFullError(store, `${code}: ${reason}`, error);
    case 'XX001':
    case 'XX002':
      return unavailable({
        reason: 'corrupt',
        detail: `holds damaged data (${code}: ${reason})`,
        action: 'stop writing to it, check it with pg_amcheck (the amcheck extension) and restore it from a backup if damage is found',
      });
    case '58030':
      return unavailable({ reason: 'io-error', detail: `could not read or write its files (${code}: ${reason})`, action: "check the server's disk and log, then run pg_amcheck" });
    default:
      return error;
  }
}
