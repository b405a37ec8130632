/**
 * The three stores every attack test runs on: in memory, a SQLite file, and a fresh PostgreSQL
 * schema (skipped without `MISAS_PG_URL`, and a failure in CI without it, as the other PostgreSQL
 * tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createInMemoryStorage, type MisasStorage } from '@misas/core';
import { openPostgresStorage, openSqliteStorage } from '@misas/adapters';
import { dropSchema, freshSchemaName, pgUrl, requirePgUrl, withAdminClient } from '../../../adapters/src/postgres/test-kit.ts';

/** A row of the `events` table, as an older library (or someone with write access) could have written it. */
export interface RawEventRow {
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly commandId: string;
  readonly type: string;
  readonly data: unknown;
  readonly meta: unknown;
}

/** An open store and how to close it (and throw its files or schema away). */
export interface OpenedStore {
  readonly storage: MisasStorage;
  close(): Promise<void>;
  /** Inserts a row with raw SQL, past the store's validation on write (durable stores only). */
  insertRaw?(row: RawEventRow): Promise<void>;
}

/** One store kind to attack. */
export interface AttackStore {
  readonly name: 'memory' | 'SQLite' | 'PostgreSQL';
  /** True when the store cannot run here (PostgreSQL without a server). */
  readonly unavailable: boolean;
  open(): Promise<OpenedStore>;
}

export const attackStores: readonly AttackStore[] = [
  {
    name: 'memory',
    unavailable: false,
    async open() {
      return { storage: createInMemoryStorage(), close: async () => {} };
    },
  },
  {
    name: 'SQLite',
    unavailable: false,
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'misas-attack-'));
      const path = join(dir, 'misas.db');
      const storage = await openSqliteStorage({ path });
      return {
        storage,
        async insertRaw(row) {
          const db = new DatabaseSync(path);
          try {
            db.prepare('INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
              row.streamId, row.version, row.type, JSON.stringify(row.data), JSON.stringify(row.meta), row.eventId, row.commandId,
            );
          } finally {
            db.close();
          }
        },
        async close() {
          await storage.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    unavailable: pgUrl === undefined,
    async open() {
      const schema = freshSchemaName('attack');
      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
      return {
        storage,
        async insertRaw(row) {
          await withAdminClient((client) =>
            client.query(`INSERT INTO "${schema}".events (stream_id, version, event_id, command_id, type, data, meta) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`, [
              row.streamId, row.version, row.eventId, row.commandId, row.type, JSON.stringify(row.data), JSON.stringify(row.meta),
            ]),
          );
        },
        async close() {
          try {
            await storage.close();
          } finally {
            await dropSchema(schema);
          }
        },
      };
    },
  },
];
