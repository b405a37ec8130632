import { mkdtempSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '@misas/adapters';
import { loadScenarioFile } from '../scenario/parse.ts';
import { playScenario } from '../scenario/play.ts';
import { exampleScenario } from '../testing/capture.ts';
import { describePurge, purge } from './purge.ts';

describe('misas purge while another connection reads the store', () => {
  it('given a reader holding an older snapshot, when the retention erasure runs, then the purge says it is not complete on disk; once the reader ends, it completes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'misas-purge-')), 'cases.db');
    const storage = await openSqliteStorage({ path });
    try {
      await playScenario(await loadScenarioFile(exampleScenario), { storage });
      // Another process's reader: its snapshot predates the shred, so SQLite must keep the key's old page.
      const reader = new DatabaseSync(path);
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) AS keys FROM vault_keys').get();
      const held = await purge(storage, '2027-11-01T00:00:00.000Z', { completionTimeoutMs: 300 });
      expect(held).toMatchObject({ erasures: 1, pendingOnDisk: 1 });
      expect(describePurge(held)).toContain('1 erasure(s) not yet complete on disk');

      reader.exec('COMMIT');
      reader.close();
      const after = await purge(storage, '2027-11-01T00:00:00.000Z', { completionTimeoutMs: 5_000 });
      expect(after).toMatchObject({ erasures: 0, pendingOnDisk: 0 });
      expect(describePurge(after)).not.toContain('not yet complete');
    } finally {
      await storage.close();
    }
  });
});
