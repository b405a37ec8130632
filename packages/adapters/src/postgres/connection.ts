/**
 * Connecting to PostgreSQL: which schema the storage lives in, the pool, transactions, and the
 * advisory-lock keys every other module derives from the schema name.
 */
import { createHash } from 'node:crypto';
import { MisasError } from '@misas/core';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { passwordFromFile, type PasswordFileSettings } from './password-file.ts';
import { prepareStatementsOn, preparedSessionSettings, statement } from './statements.ts';
import { batchOf } from './write-batch.ts';

/** A pool or one of its checked-out clients: whatever can run a query. */
export type Db = pg.Pool | pg.ClientBase;

/** Where the storage is, once the connection string and the options are reconciled. */
export interface ResolvedConnection {
  /** The connection string as pg receives it: without our `schema` parameter. */
  readonly connectionString: string;
  readonly schema: string;
  readonly poolSize: number;
  /** Whether queries are sent as prepared (named) statements: see statements.ts. */
  readonly prepare: boolean;
  /** Startup options to pass on: the caller's own (URL `options` or `PGOPTIONS`) and our search_path. */
  readonly startupOptions: string;
  /** The password read from a file at each connection (password-file.ts); undefined leaves it to pg. */
  readonly password: (() => string) | undefined;
}

/** The schema used when neither the options nor the URL name one. */
export const defaultSchema = 'misas';
const defaultPoolSize = 10;

// Unquoted-identifier rules, lower case only: the name travels unquoted in a startup option
// (`-c search_path=…`), so we accept only names that need no quoting or escaping anywhere.
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reconciles `options` with the connection string: the schema may come from either (the URL's
 * `?schema=` exists because processes are often configured with a URL alone).
 * @throws MisasError `invalid-schema` for a name that is not a plain lower-case identifier, or when
 *   the option and the URL name different schemas
 */
export function resolveConnection(options: PasswordFileSettings & {
  connectionString: string;
  schema?: string | undefined;
  poolSize?: number | undefined;
  prepare?: boolean | undefined;
}): ResolvedConnection {
  const queryAt = options.connectionString.indexOf('?');
  const base = queryAt === -1 ? options.connectionString : options.connectionString.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? '' : options.connectionString.slice(queryAt + 1));
  const fromUrl = params.get('schema') ?? undefined;
  params.delete('schema');
  const prepareInUrl = params.get('prepare') ?? undefined;
  params.delete('prepare');
  // pg lets a URL's `options` override the config's, which would drop our search_path: take it out
  // and merge it instead.
  const callerOptions = params.get('options') ?? process.env['PGOPTIONS'] ?? '';
  params.delete('options');

  if (options.schema !== undefined && fromUrl !== undefined && options.schema !== fromUrl) {
    throw new MisasError('invalid-schema', `the options name schema '${options.schema}' but the URL names '${fromUrl}': give one`);
  }
  const schema = options.schema ?? fromUrl ?? defaultSchema;
  if (!schemaPattern.test(schema)) {
    throw new MisasError('invalid-schema', `schema name '${schema}' must be lower-case letters, digits and underscores, not starting with a digit`);
  }
  const poolSize = options.poolSize ?? defaultPoolSize;
  // Two at least: a projection transaction holds one connection while `readAll` inside it needs
  // another (for the sequencer and the read); with one, it would wait for itself forever.
  if (!Number.isInteger(poolSize) || poolSize < 2) throw new MisasError('invalid-pool-size', `poolSize must be a whole number ≥ 2, got ${poolSize}`);

  const prepare = resolvePrepare(options.prepare, prepareInUrl);

  const query = params.toString();
  return {
    connectionString: query === '' ? base : `${base}?${query}`,
    schema,
    poolSize,
    prepare,
    password: passwordFromFile(base, options),
    startupOptions: [callerOptions, `-c search_path=${schema}`, prepare ? preparedSessionSettings : ''].filter((part) => part !== '').join(' '),
  };
}

/**
 * `prepare` from the option and the URL's `?prepare=`: `true` or `false` exactly, nothing else, and
 * the two must agree when both are given. Default true.
 * @throws MisasError `invalid-option` for another spelling, or when the option and the URL disagree
 */
function resolvePrepare(option: boolean | undefined, fromUrl: string | undefined): boolean {
  if (fromUrl !== undefined && fromUrl !== 'true' && fromUrl !== 'false') {
    throw new MisasError('invalid-option', `the URL's prepare must be true or false, got '${fromUrl}'`);
  }
  const urlValue = fromUrl === undefined ? undefined : fromUrl === 'true';
  if (option !== undefined && urlValue !== undefined && option !== urlValue) {
    throw new MisasError('invalid-option', `the options say prepare: ${option} but the URL says prepare=${fromUrl}: give one`);
  }
  return option ?? urlValue ?? true;
}

/**
 * A pool whose connections have `search_path` set to the schema. Every query of this adapter also
 * names its tables with the schema, so nothing depends on it; it is there for people who connect
 * with psql and for SQL written by hand against the same pool.
 */
export function createPool(connection: ResolvedConnection): pg.Pool {
  const common = { max: connection.poolSize, options: connection.startupOptions, fallback_application_name: 'misas' };
  // pg parses a connection string over the config, and its parse gives `password: ''` for a URL
  // without one, which would drop the password function: with a password file, the URL is parsed
  // here (by pg's own parser) and the function set after it.
  const pool = new pg.Pool(
    connection.password === undefined
      ? { connectionString: connection.connectionString, ...common }
      : { ...withoutNulls(parse(connection.connectionString)), ...common, password: connection.password },
  );
  if (connection.prepare) prepareStatementsOn(pool);
  // An idle client whose server goes away emits 'error' on the pool; without a listener Node would
  // crash the process. The pool already discards that client, and the next query reports the outage.
  pool.on('error', () => undefined);
  return pool;
}

/** pg's parsed URL without the fields it left null (pg's config types take undefined, not null). */
function withoutNulls(parsed: ReturnType<typeof parse>): pg.PoolConfig {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== null && value !== undefined) config[key] = value;
  return config;
}

/** A quoted SQL identifier. */
export function identifier(name: string): string {
  return pg.escapeIdentifier(name);
}

/** `"schema"."table"`, for a table of this adapter. */
export function qualified(schema: string, table: string): string {
  return `${identifier(schema)}.${identifier(table)}`;
}

/**
 * A 64-bit advisory-lock key for a named lock of one schema, as the decimal string that
 * `pg_advisory_xact_lock($1::bigint)` takes. Derived from a hash so that two schemas (two funds)
 * never share a lock, and so that the same name gives the same key in every process.
 *
 * The derivation is part of the schema's protocol: processes running different versions of this
 * library must compute the same keys, so it must never change.
 */
export function advisoryKey(schema: string, ...name: readonly string[]): string {
  const digest = createHash('sha256').update(['misas', schema, ...name].join('\u0000')).digest();
  return digest.readBigInt64BE(0).toString();
}

/** What a transaction takes before its work. */
export interface TransactionOptions {
  /**
   * A transaction-level advisory lock (an {@link advisoryKey}) taken in the same round trip as the
   * BEGIN, as a statement of its own: the work's statements, which come after it, take their
   * snapshots once the lock is held.
   */
  readonly lock?: string;
  /**
   * Reads only, on one snapshot: REPEATABLE READ, READ ONLY. Inside a write batch the work runs in
   * a savepoint of the batch's transaction instead, on its snapshots.
   */
  readonly readOnlySnapshot?: boolean;
}

/**
 * Runs one statement on `db`. On a pool with a write batch open (write-batch.ts), it goes to the
 * batch's transaction; on a preparing pool or client, as a named statement (statements.ts).
 */
export function runStatement(db: Db, text: string, values: readonly unknown[] = []): Promise<pg.QueryResult<Record<string, unknown>>> {
  const batch = db instanceof pg.Pool ? batchOf(db) : undefined;
  if (batch) return batch.query(text, values);
  return db.query<Record<string, unknown>>(statement(db, text, values));
}

/**
 * Runs `work` in a transaction on one client: BEGIN (and the lock, if any), the work, COMMIT — or
 * ROLLBACK and rethrow. A client whose ROLLBACK fails is destroyed rather than returned to the
 * pool, since its session state is unknown.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const lock = options.lock;
  // Written into the SQL, because a query of several statements cannot take parameters: so the
  // key must be what advisoryKey makes, a decimal integer and nothing else.
  if (lock !== undefined && !/^-?\d{1,19}$/.test(lock)) throw new MisasError('invalid-lock-key', `advisory lock key must be a 64-bit integer, got '${lock}'`);
  const batch = batchOf(pool);
  if (batch) return batch.transaction(work, lock);
  const begin = options.readOnlySnapshot === true ? 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' : 'BEGIN';
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    try {
      // Inside the try: should the lock fail after the BEGIN, the transaction must be rolled back
      // (a ROLLBACK with no transaction open only warns).
      await client.query(lock === undefined ? begin : `${begin}; SELECT pg_advisory_xact_lock(${lock}::bigint)`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await rollbackQuietly(client);
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/** Rolls back; returns the error if the rollback itself failed (the connection is then unusable). */
async function rollbackQuietly(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
