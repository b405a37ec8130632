import { describe, expect, it } from 'vitest';
import { conformanceEvents, sampleAuditEntry } from '@misas/core/testing';
import pg from 'pg';
import { StoreTooNewError } from '../shared/schema-version.ts';
import { qualified } from './connection.ts';
import { openPostgresStorage } from './index.ts';
import { migrateSchema, postgresMigrations, schemaVersion, tablesOf, type PostgresMigration } from './migrations.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withAdminClient } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL migrations in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

const latest = postgresMigrations.length;

/** Runs `work` with a plain pool on the test server, then drops `schema`. */
async function withSchema(work: (pool: pg.Pool, schema: string) => Promise<void>): Promise<void> {
  const schema = freshSchemaName('migrations');
  const pool = new pg.Pool({ connectionString: requirePgUrl(), max: 2 });
  try {
    await work(pool, schema);
  } finally {
    await pool.end();
    await dropSchema(schema);
  }
}

/** Every table of the schema with its row count: what "untouched" compares. */
async function contentsOf(pool: pg.Pool, schema: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tablesOf(pool, schema)) {
    const result = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(schema, table)}`);
    counts[table] = Number(result.rows[0]?.n);
  }
  return counts;
}

describe.skipIf(!pgUrl)('PostgreSQL schema migrations', { timeout: 30_000 }, () => {
  it('given no schema, when storage opens, then the schema is created at the latest version with every table', async () => {
    await withSchema(async (pool, schema) => {
      expect(await schemaVersion(pool, schema)).toBe(0);
      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
      await storage.close();
      expect(await schemaVersion(pool, schema)).toBe(latest);
      expect(await tablesOf(pool, schema)).toEqual(
        ['audit_entries', 'case_snapshots', 'checkpoints', 'events', 'leases', 'misas_schema', 'outbox', 'read_models', 'vault_entries', 'vault_erased', 'vault_keys'],
      );
    });
  });

  it('given four processes opening a new schema at once, then each migration is applied once and all of them open', async () => {
    await withSchema(async (pool, schema) => {
      const opened = await Promise.all(Array.from({ length: 4 }, () => openPostgresStorage({ connectionString: requirePgUrl(), schema })));
      for (const storage of opened) await storage.close();
      const rows = await pool.query<{ version: number }>(`SELECT version FROM ${qualified(schema, 'misas_schema')} ORDER BY version`);
      expect(rows.rows.map((row) => row.version)).toEqual(postgresMigrations.map((migration) => migration.version));
    });
  });

  it('given a schema at version 1 holding events, when storage opens, then the later migrations run, the events are kept and the audit trail works', async () => {
    await withSchema(async (pool, schema) => {
      expect(await migrateSchema(pool, schema, postgresMigrations.slice(0, 1))).toEqual({ from: 0, to: 1, applied: [1] });
      const [event] = conformanceEvents('old-case', 'c1', 0, 1);
      await pool.query(
        `INSERT INTO ${qualified(schema, 'events')} (stream_id, version, event_id, command_id, type, data, meta) VALUES ($1, 1, $2, $3, $4, $5, $6)`,
        ['old-case', event!.meta.eventId, 'c1', event!.type, JSON.stringify(event!.data), JSON.stringify(event!.meta)],
      );
      expect(await tablesOf(pool, schema)).not.toContain('audit_entries');

      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
      try {
        expect(await schemaVersion(pool, schema)).toBe(latest);
        expect((await storage.events.readStream('old-case')).map((e) => e.data)).toEqual([event!.data]);
        // A table of a later migration is there and works.
        const entry = sampleAuditEntry();
        await storage.audit.record([entry]);
        expect(await storage.audit.query({}, { limit: 10 })).toEqual({ entries: [entry], next: null });
      } finally {
        await storage.close();
      }
    });
  });

  it('given a schema at the latest version holding events, when a library with one more migration opens it, then only that migration runs and the events are kept', async () => {
    await withSchema(async (pool, schema) => {
      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
      await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 2) });
      await storage.close();
      expect(await schemaVersion(pool, schema)).toBe(latest);

      // A further migration is injected to show an upgrade that adds an index to an existing table.
      const next: PostgresMigration = {
        version: latest + 1,
        description: 'index events by type',
        async up({ client, table }) {
          await client.query(`CREATE INDEX events_type ON ${table('events')} (type)`);
        },
      };
      const report = await migrateSchema(pool, schema, [...postgresMigrations, next]);
      expect(report).toEqual({ from: latest, to: latest + 1, applied: [latest + 1] });
      expect(await schemaVersion(pool, schema)).toBe(latest + 1);
      const index = await pool.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [schema, 'events_type']);
      expect(index.rowCount).toBe(1);
      const events = await pool.query(`SELECT version FROM ${qualified(schema, 'events')} WHERE stream_id = 's' ORDER BY version`);
      expect(events.rows).toEqual([{ version: 1 }, { version: 2 }]);

      // Run again: nothing left to do.
      expect(await migrateSchema(pool, schema, [...postgresMigrations, next])).toEqual({ from: latest + 1, to: latest + 1, applied: [] });
    });
  });

  it('given a migration that fails, then the schema stays at its previous version with nothing half-applied', async () => {
    await withSchema(async (pool, schema) => {
      await migrateSchema(pool, schema);
      const broken: PostgresMigration = {
        version: latest + 1,
        description: 'fails half-way',
        async up({ client, table }) {
          await client.query(`CREATE TABLE ${table('half_done')} (id int)`);
          await client.query('SELECT 1 / 0');
        },
      };
      await expect(migrateSchema(pool, schema, [...postgresMigrations, broken])).rejects.toThrow(/division by zero/);
      expect(await schemaVersion(pool, schema)).toBe(latest);
      expect(await tablesOf(pool, schema)).not.toContain('half_done');
    });
  });

  it(`given a schema at version latest+1, when storage opens, then it is refused with StoreTooNewError and left untouched`, async () => {
    await withSchema(async (pool, schema) => {
      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
      await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 1) });
      await storage.close();
      await withAdminClient((client) =>
        client.query(`INSERT INTO ${qualified(schema, 'misas_schema')} (version, description) VALUES ($1, 'written by a newer library')`, [latest + 1]),
      );
      const before = await contentsOf(pool, schema);

      const error = await openPostgresStorage({ connectionString: requirePgUrl(), schema }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(StoreTooNewError);
      expect(error).toMatchObject({ code: 'store-too-new', storeVersion: latest + 1, libraryVersion: latest });
      expect((error as Error).message).toContain('it was not modified');
      expect(await schemaVersion(pool, schema)).toBe(latest + 1);
      expect(await contentsOf(pool, schema)).toEqual(before);
    });
  });

  it('given a schema name that needs quoting, then opening is refused before connecting', async () => {
    await expect(openPostgresStorage({ connectionString: requirePgUrl(), schema: 'Fund; DROP' })).rejects.toMatchObject({ code: 'invalid-schema' });
    await expect(openPostgresStorage({ connectionString: `${requirePgUrl()}?schema=a`, schema: 'b' })).rejects.toMatchObject({ code: 'invalid-schema' });
  });
});
