/**
 * What the PostgreSQL integration tests share: the server URL from `MISAS_PG_URL`, a fresh schema
 * per test, and clean-up. Runner-agnostic (no vitest import), so that the test files decide how to
 * skip or fail.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { identifier } from './connection.ts';
import { openPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from './index.ts';

/** The test server, when one is configured. */
export const pgUrl: string | undefined = process.env['MISAS_PG_URL'] || undefined;

/** In CI the PostgreSQL tests must run: a missing server is a failure, not a skip. */
export const pgMissingInCi: boolean = pgUrl === undefined && Boolean(process.env['CI']);

/** The message of the test that fails in CI without a server. */
export const pgRequiredMessage = 'MISAS_PG_URL is required in CI';

/** The server URL; only called from tests that are skipped without one. */
export function requirePgUrl(): string {
  if (pgUrl === undefined) throw new Error(pgRequiredMessage);
  return pgUrl;
}

/** A schema name no other test uses. */
export function freshSchemaName(label: string): string {
  return `misas_test_${label}_${randomBytes(5).toString('hex')}`;
}

/** The server URL with `?schema=` — how the multi-process tests name their storage. */
export function urlWithSchema(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}schema=${encodeURIComponent(schema)}`;
}

/** Runs `work` with one plain client of the test server (no schema), then closes it. */
export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requirePgUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP SCHEMA IF EXISTS ${identifier(schema)} CASCADE`));
}

/** Runs `work` with a storage on a fresh schema; closes it and drops the schema afterwards. */
export async function withFreshStorage<T>(
  label: string,
  work: (storage: PostgresStorage) => Promise<T>,
  options: Pick<PostgresStorageOptions, 'prepare'> = {},
): Promise<T> {
  const schema = freshSchemaName(label);
  const storage = await openPostgresStorage({ ...options, connectionString: requirePgUrl(), schema });
  try {
    return await work(storage);
  } finally {
    await storage.close();
    await dropSchema(schema);
  }
}
