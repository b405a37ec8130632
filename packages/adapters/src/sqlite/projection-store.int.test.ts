import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referralEntry } from '@misas/core';
import { filesContaining, sqliteFiles, sqliteSubjectKey } from '../testing/raw-files.ts';
import { configure, connect, type ConnectionSettings, type SqliteSynchronous } from './connection.ts';
import { ConnectionGate } from './gate.ts';
import { openSqliteStorage } from './index.ts';
import { migrate } from './migrations.ts';
import { SqliteProjectionStore } from './projection-store.ts';

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

  /** A projection store on a connection the test can look at. */
  async function storeOn(synchronous: SqliteSynchronous) {
    const settings: ConnectionSettings = { path: join(dir, `${synchronous}.db`), busyTimeoutMs: 1000, synchronous };
    const db = connect(settings);
    configure(db, settings);
    await migrate(db, { path: settings.path, now: () => new Date() });
    const pragma = (name: string) => db.prepare(`PRAGMA ${name}`).get()?.[name];
    return { db, store: new SqliteProjectionStore(db, new ConnectionGate(settings), synchronous), pragma };
  }

  it.each(['full', 'normal'] as const)(
    'given a relaxed transaction on a %s connection, then it commits without syncing nor checkpointing, and the connection gets its level back',
    async (synchronous) => {
      const { db, store, pragma } = await storeOn(synchronous);
      const level = synchronous === 'full' ? 2 : 1;
      try {
        const during = await store.transaction(async (tx) => {
          await tx.put('cases@2/cases', 'case-1', { i: 1 });
          await tx.saveCheckpoint('cases@2', 7);
          return { synchronous: pragma('synchronous'), autoCheckpoint: pragma('wal_autocheckpoint') };
        }, { durability: 'relaxed' });
        expect(during).toEqual({ synchronous: 0, autoCheckpoint: 0 });
        expect(await store.get('cases@2/cases', 'case-1')).toEqual({ i: 1 });
        expect(await store.checkpoint('cases@2')).toBe(7);
        expect({ synchronous: pragma('synchronous'), autoCheckpoint: pragma('wal_autocheckpoint') }).toEqual({ synchronous: level, autoCheckpoint: 1000 });

        // A relaxed transaction that throws rolls back, and gives the level back too.
        await expect(
          store.transaction(async (tx) => {
            await tx.put('cases@2/cases', 'case-2', { i: 2 });
            throw new Error('stop');
          }, { durability: 'relaxed' }),
        ).rejects.toThrow('stop');
        expect(await store.get('cases@2/cases', 'case-2')).toBeUndefined();
        expect(pragma('synchronous')).toBe(level);

        // An ordinary transaction runs at the connection's level.
        expect(await store.transaction(async () => pragma('synchronous'))).toBe(level);
      } finally {
        db.close();
      }
    },
  );
});
