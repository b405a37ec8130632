/**
 * The three stores every attack test runs on: in memory, a SQLite file, and a fresh PostgreSQL
 * schema (skipped without `MISAS_PG_URL`, and a failure in CI without it, as the other PostgreSQL
 * tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryStorage, type MisasStorage } from '@misas/core';
import { openPostgresStorage, openSqliteStorage } from '@misas/adapters';
import { dropSchema, freshSchemaName, pgUrl, requirePgUrl } from '../../../adapters/src/postgres/test-kit.ts';

/** An open store and how to close it (and throw its files or schema away). */
export interface OpenedStore {
  readonly storage: MisasStorage;
  close(): Promise<void>;
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
      const storage = await openSqliteStorage({ path: join(dir, 'misas.db') });
      return {
        storage,
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
