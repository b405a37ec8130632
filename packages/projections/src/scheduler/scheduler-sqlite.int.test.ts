import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { openSqliteStorage } from '@misas/adapters';
import { neverReachedStory } from '../testing/time-scenario.ts';

describe('the scheduler and the outbox relay on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'misas-time-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a person never reached, then reminder, unreachable closure, detector notices and erasure happen once each', async () => {
    const storage = await openSqliteStorage({ path: join(dir, 'time.db') });
    try {
      await neverReachedStory(storage);
    } finally {
      await storage.close();
    }
  }, 60_000);
});
