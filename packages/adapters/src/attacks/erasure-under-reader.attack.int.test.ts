/**
 * Attack class 5 of issue 12: erasure under a reader. Crypto-shredding is only real once the
 * key's bytes have left the database files. While another connection holds a snapshot older than
 * the shred, neither store can get them out at once: SQLite cannot checkpoint the zeroed page over
 * the old one, PostgreSQL's rewrite would copy the "recently dead" key. The erasure must then be
 * reported pending — never "done" while the bytes are there — and finished once the reader ends.
 * Each test first checks that the key bytes are really in the files (so that it can fail), then
 * that they are gone once the reader ended and the pending erasure was completed.
 *
 * Not on memory: an in-memory vault has no files, and its shred drops the key at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referralEntry } from '@misas/core';
import { conformanceEvents } from '@misas/core/testing';
import { qualified } from '../postgres/connection.ts';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withAdminClient, withFreshStorage } from '../postgres/test-kit.ts';
import { openSqliteStorage, type SqliteStorage } from '../sqlite/index.ts';
import { filesContaining, postgresSubjectKey, postgresTableFile, sqliteFiles, sqliteSubjectKey } from '../testing/raw-files.ts';

const person = (name: string) => ({ person: { lastName: name, firstName: 'Lou', nir: '189047512345655' } });

describe.runIf(pgMissingInCi)('attack class 5 on PostgreSQL in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe('attack class 5: erasure while another connection holds a read snapshot', { timeout: 120_000 }, () => {
  describe('on SQLite', () => {
    let dir = '';
    let path = '';
    let storage: SqliteStorage | undefined;
    let reader: DatabaseSync | undefined;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'misas-attack-erasure-'));
      path = join(dir, 'vault.db');
      // The keys are checkpointed into the .db file first, where a reader's snapshot pins them.
      const first = await openSqliteStorage({ path });
      await first.vault.put('subj-a', referralEntry, person('Le Gall'));
      await first.vault.put('subj-b', referralEntry, person('Kerhervé'));
      await first.close();
      storage = await openSqliteStorage({ path });
    });
    afterEach(async () => {
      reader?.close();
      reader = undefined;
      await storage?.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** A reader on a connection of its own, inside a read transaction that has taken its snapshot. */
    function holdSnapshot(): DatabaseSync {
      reader = new DatabaseSync(path);
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) AS n FROM vault_keys').get();
      return reader;
    }

    /** Shreds A under the reader; checks the erasure is reported pending, with A's key still in the files. */
    async function shredUnderReader(open: SqliteStorage): Promise<Buffer> {
      const keyA = sqliteSubjectKey(path, 'subj-a');
      holdSnapshot();
      const started = Date.now();
      await open.vault.shred('subj-a');
      // Not waited for on the event loop: the busy timeout (5 s) does not apply to the checkpoint.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(open.vault.lastCheckpoint).toMatchObject({ busy: true, pendingErasures: ['subj-a'] });
      expect(await open.vault.get('subj-a', referralEntry)).toEqual({ status: 'erased' });
      // The bytes really are still there: what the old code left after answering "erased".
      expect(filesContaining(await sqliteFiles(path), keyA)).not.toEqual([]);
      return keyA;
    }

    async function expectGone(keyA: Buffer): Promise<void> {
      const files = await sqliteFiles(path);
      expect(filesContaining(files, keyA)).toEqual([]);
      expect(filesContaining(files, sqliteSubjectKey(path, 'subj-b')).length).toBeGreaterThan(0);
    }

    it('when the reader ends, completePendingErasures() finishes the erasure and the key bytes leave the .db and -wal files', async () => {
      const open = storage ?? (await openSqliteStorage({ path }));
      const keyA = await shredUnderReader(open);
      // While the reader lives, the completion gives up after its timeout and says what is pending.
      expect(await open.vault.completePendingErasures({ timeoutMs: 200 })).toEqual({ pending: ['subj-a'] });
      reader?.exec('COMMIT');
      expect(await open.vault.completePendingErasures()).toEqual({ pending: [] });
      expect(open.vault.lastCheckpoint).toMatchObject({ busy: false, pendingErasures: [] });
      await expectGone(keyA);
    });

    it('when the reader ends, the next append finishes the erasure', async () => {
      const open = storage ?? (await openSqliteStorage({ path }));
      const keyA = await shredUnderReader(open);
      reader?.exec('COMMIT');
      // Queued in the same tick as the reader's end, so it runs before any retry timer can.
      await open.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 1) });
      expect(open.vault.lastCheckpoint?.pendingErasures).toEqual([]);
      await expectGone(keyA);
    });

    it('when the reader ends, the retries on their own finish the erasure, without any call', async () => {
      const open = storage ?? (await openSqliteStorage({ path }));
      const keyA = await shredUnderReader(open);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(open.vault.lastCheckpoint?.pendingErasures).toEqual(['subj-a']);
      reader?.exec('COMMIT');
      for (let i = 0; i < 100 && (open.vault.lastCheckpoint?.pendingErasures.length ?? 0) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(open.vault.lastCheckpoint?.pendingErasures).toEqual([]);
      await expectGone(keyA);
    });

    it('when the storage closes after the reader ended, the erasure is finished on close', async () => {
      const open = storage ?? (await openSqliteStorage({ path }));
      const keyA = await shredUnderReader(open);
      reader?.exec('COMMIT');
      // The reader's connection stays open, so SQLite's own checkpoint-on-last-close does not run.
      await open.close();
      storage = undefined;
      await expectGone(keyA);
    });
  });

  describe.skipIf(!pgUrl)('on PostgreSQL', () => {
    /** A session whose REPEATABLE READ snapshot predates the shred. */
    async function holdSnapshot(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await client.query('SELECT 1');
      return client;
    }

    it('when the reader outlives the shred’s wait, the erasure is pending — a rewrite then would copy the key — and finished once the reader ends', async () => {
      await withFreshStorage('attack_erasure', async (storage) => {
        await storage.vault.put('subj-a', referralEntry, person('Le Gall'));
        await storage.vault.put('subj-b', referralEntry, person('Kerhervé'));
        const keyA = await postgresSubjectKey(storage.schema, 'subj-a');
        const reader = await holdSnapshot();
        try {
          await storage.vault.shred('subj-a');
          expect(storage.vault.pendingErasures).toEqual(['subj-a']);
          expect(await storage.vault.get('subj-a', referralEntry)).toEqual({ status: 'erased' });
          expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(keyA)).toBe(true);
          // What the old code did past the wait — rewrite anyway — copies the recently dead key.
          await withAdminClient((client) => client.query(`VACUUM FULL ${qualified(storage.schema, 'vault_keys')}`));
          expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(keyA)).toBe(true);
          expect(await storage.vault.completePendingErasures({ timeoutMs: 200 })).toEqual({ pending: ['subj-a'] });

          await reader.query('COMMIT');
          expect(await storage.vault.completePendingErasures()).toEqual({ pending: [] });
          const after = await postgresTableFile(storage.schema, 'vault_keys');
          expect(after.bytes.includes(keyA)).toBe(false);
          expect(after.bytes.includes(await postgresSubjectKey(storage.schema, 'subj-b'))).toBe(true);
        } finally {
          await reader.end();
        }
      });
    });

    it('when the reader ends, the next append finishes the pending erasure', async () => {
      await withFreshStorage('attack_erasure', async (storage) => {
        await storage.vault.put('subj-a', referralEntry, person('Le Gall'));
        const keyA = await postgresSubjectKey(storage.schema, 'subj-a');
        const reader = await holdSnapshot();
        try {
          await storage.vault.shred('subj-a');
          expect(storage.vault.pendingErasures).toEqual(['subj-a']);
          expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(keyA)).toBe(true);
          await reader.query('COMMIT');
          await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 1) });
          expect(storage.vault.pendingErasures).toEqual([]);
          expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(keyA)).toBe(false);
        } finally {
          await reader.end();
        }
      });
    });
  });
});
