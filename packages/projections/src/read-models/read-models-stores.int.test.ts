import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInMemoryStorage } from '@misas/core';
import { openSqliteStorage } from '@misas/adapters';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withFreshStorage } from '../../../adapters/src/postgres/test-kit.ts';
import { readModelsDump } from './testing/same-on-every-store.ts';

const inMemory = () => readModelsDump(createInMemoryStorage());

describe('read models on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'misas-read-models-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given the same population, then every read model and the indicators equal the in-memory ones', async () => {
    const storage = await openSqliteStorage({ path: join(dir, 'read-models.db') });
    try {
      expect(await readModelsDump(storage)).toEqual(await inMemory());
    } finally {
      await storage.close();
    }
  }, 60_000);
});

describe.runIf(pgMissingInCi)('read models on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe.skipIf(pgUrl === undefined)('read models on PostgreSQL', () => {
  it('given the same population, then every read model and the indicators equal the in-memory ones', async () => {
    const dump = await withFreshStorage('read_models', (storage) => readModelsDump(storage));
    expect(dump).toEqual(await inMemory());
  }, 120_000);
});
