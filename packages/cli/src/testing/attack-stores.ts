/**
 * The three stores the attack tests of issue 12 run on, opened the same way: in memory, a SQLite
 * file in a temporary directory, and PostgreSQL on a fresh schema (when `MISAS_PG_URL` is set; the
 * test files fail in CI without it, as the other PostgreSQL tests do).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryStorage, type MisasStorage } from '@misas/core';
import { openPostgresStorage, openSqliteStorage } from '@misas/adapters';
import { dropSchema, freshSchemaName, pgUrl, requirePgUrl } from '../../../adapters/src/postgres/test-kit.ts';

/** One kind of store: its name, and how to open a fresh, empty one. */
export interface AttackStore {
  readonly name: 'memory' | 'sqlite' | 'postgres';
  /** Opens a fresh store; `close` closes it and removes what it left (file, schema). */
  open(): Promise<{ readonly storage: MisasStorage; close(): Promise<void> }>;
}

/** Memory and SQLite always; PostgreSQL when a server is configured. */
export const attackStores: readonly AttackStore[] = [
  {
    name: 'memory',
    open: async () => ({ storage: createInMemoryStorage(), close: async () => {} }),
  },
  {
    name: 'sqlite',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'misas-attack-'));
      const storage = await openSqliteStorage({ path: join(dir, 'attack.db') });
      return {
        storage,
        close: async () => {
          await storage.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  ...(pgUrl === undefined
    ? []
    : [
        {
          name: 'postgres',
          open: async () => {
            const schema = freshSchemaName('attack');
            const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
            return {
              storage,
              close: async () => {
                await storage.close();
                await dropSchema(schema);
              },
            };
          },
        } satisfies AttackStore,
      ]),
];
