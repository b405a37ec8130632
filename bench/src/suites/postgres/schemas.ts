/**
 * Scratch schemas on the benchmark's server: each run writes into a schema of its own, made by
 * the library's migrations (the same tables, indexes and constraints for both sides), dropped
 * afterwards.
 */
import { randomBytes } from 'node:crypto';
import { openPostgresStorage } from '@misas/adapters';
import pg from 'pg';

/** A schema name no other run uses. */
export function scratchSchemaName(label: string): string {
  return `misas_bench_${label}_${randomBytes(4).toString('hex')}`;
}

/** The server URL naming `schema`, as `openStorage` takes it. */
export function urlWithSchema(serverUrl: string, schema: string): string {
  return `${serverUrl}${serverUrl.includes('?') ? '&' : '?'}schema=${encodeURIComponent(schema)}`;
}

/** Creates `schema` with every migration of the library, and nothing in it. */
export async function createMigratedSchema(serverUrl: string, schema: string): Promise<void> {
  const storage = await openPostgresStorage({ connectionString: serverUrl, schema, poolSize: 2 });
  await storage.close();
}

/** Drops schemas and everything in them. */
export async function dropSchemas(serverUrl: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** How many events a schema holds. */
export async function countEvents(serverUrl: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query<Record<string, unknown>>(`SELECT count(*)::integer AS events FROM ${pg.escapeIdentifier(schema)}.events`);
    const value = result.rows[0]?.['events'];
    if (typeof value !== 'number') throw new Error(`count of ${schema}.events: expected a number, got ${typeof value}`);
    return value;
  } finally {
    await client.end();
  }
}
