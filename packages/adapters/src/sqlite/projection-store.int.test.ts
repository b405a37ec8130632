import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referralEntry } from '@misas/core';
import { filesContaining, sqliteFiles, sqliteSubjectKey } from '../testing/raw-files.ts';
import { openSqliteStorage } from './index.ts';

describe('SQLite read models', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-read-models-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given a generation dropped in the transaction that also writes, then its rows are gone and the others stay', async () => {
    const storage = await openSqliteStorage({ path: join(dir, 'store.db') });
    try {
      const store = storage.projections;
      await store.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) await tx.put('old@1/cases', `case-${i}`, { i, padding: 'x'.repeat(500) });
        await tx.put('new@2/cases', 'case-0', { i: 0 });
      });
      await store.transaction(async (tx) => {
        await tx.clear('old@1/cases');
        expect(await tx.list('old@1/cases')).toEqual([]);
        await tx.put('new@2/cases', 'case-1', { i: 1 });
      });
      expect(await store.list('old@1/cases')).toEqual([]);
      expect((await store.list('new@2/cases')).map((document) => document.key)).toEqual(['case-0', 'case-1']);
    } finally {
      await storage.close();
    }
  });

  it('given a clear, when a subject is shredded afterwards, then its key is still zeroed out of the files', async () => {
    const path = join(dir, 'store.db');
    const storage = await openSqliteStorage({ path });
    try {
      await storage.vault.put('subj-a', referralEntry, { person: { lastName: 'Le Gall', firstName: 'Bernadette' } });
      const key = sqliteSubjectKey(path, 'subj-a');
      await storage.projections.transaction(async (tx) => {
        for (let i = 0; i < 20; i++) await tx.put('old@1/cases', `case-${i}`, { i });
      });
      // The clear relaxes secure_delete for its own statement only.
      await storage.projections.transaction((tx) => tx.clear('old@1/cases'));
      await storage.vault.shred('subj-a');
      expect(filesContaining(await sqliteFiles(path), key)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
