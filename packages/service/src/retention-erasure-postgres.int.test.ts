/**
 * End-to-end proof of erasure at the end of retention on PostgreSQL: every copy of the person
 * readable through the API is erased or gone, and the relation files of the storage's schema
 * (every table, index and TOAST relation, read from the data directory after a CHECKPOINT) never
 * held the person's data in clear and no longer hold their key. The same story as
 * `retention-erasure-sqlite.int.test.ts`.
 *
 * Not covered here: the server's write-ahead log (pg_wal) and backups keep the key's bytes until
 * they are recycled or expire — that is the operator's retention, not the schema's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MisasStorage } from '@misas/core';
import { openPostgresStorage } from '@misas/adapters';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl } from '../../adapters/src/postgres/test-kit.ts';
import {
  filesContaining,
  postgresCollections,
  postgresRelationFiles,
  postgresStoreUncompressed,
  postgresSubjectKey,
  type RawFile,
} from '../../adapters/src/testing/raw-files.ts';
import { afterErasureChecks, assertNirNowhere, recordConsole, secretsOnDisk, Sweep, type ConsoleRecord } from './testing/retention-checks.ts';
import { RetentionStory } from './testing/retention-scenario.ts';

describe.runIf(pgMissingInCi)('erasure at the end of retention on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe.skipIf(pgUrl === undefined)(
  'given a person referred with a NIR, accompanied, rectified, exported, shared with a partner and closed, on PostgreSQL',
  { timeout: 120_000 },
  () => {
    const schema = freshSchemaName('retention');
    let story: RetentionStory;
    let consoleRecord: ConsoleRecord;
    /** The person's key as stored before erasure: what the scans look for afterwards. */
    let key: Buffer = Buffer.alloc(0);
    /** The relation files before erasure: a rewrite (VACUUM FULL) leaves the old file behind until the next checkpoint. */
    let filesBefore: RawFile[] = [];
    const sweep = new Sweep();

    let storage: MisasStorage | undefined;

    beforeAll(async () => {
      // From the first command on: nothing the library prints may carry the NIR.
      consoleRecord = recordConsole();
      storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
      // Uncompressed, so that a large value cannot hide a copy from the byte scans.
      await postgresStoreUncompressed(schema);
      story = await RetentionStory.live(storage);
    }, 60_000);
    afterAll(async () => {
      consoleRecord.stop();
      try {
        await storage?.close();
      } finally {
        await dropSchema(schema);
      }
    });

    it('then, before erasure, the key is in the relation files and no value of the person is in any of them', async () => {
      key = await postgresSubjectKey(schema, story.subjectRef);
      filesBefore = await postgresRelationFiles(schema);
      // Positive control: the scan finds bytes that are there, and it reads every table of the store.
      expect(filesContaining(filesBefore, key)).toEqual(['vault_keys']);
      const names = filesBefore.map((file) => file.name);
      for (const table of ['events', 'vault_keys', 'vault_entries', 'vault_erased', 'read_models', 'outbox', 'audit_entries', 'checkpoints', 'leases']) {
        expect(names, table).toContain(table);
      }
      expect(names).toEqual(expect.arrayContaining(['events (TOAST)', 'vault_entries (TOAST)', 'read_models (TOAST)', 'events (TOAST) index']));
      expect(secretsOnDisk(filesBefore)).toEqual({});
      // The documents erasure deletes (the detector's view…) are looked at now, while they exist.
      await sweep.look(story, await postgresCollections(schema));
    });

    it('when the scheduler runs day by day past the retention, then it erases the person once, on the day due', async () => {
      expect(story.eraseBy).toBe('2027-08-16');
      expect(await story.runSchedulerPastRetention()).toEqual([story.eraseBy]);
      // The relays run after the erasure too: nothing they do may bring the data back.
      await story.relay();
    });

    for (const check of afterErasureChecks) it(`then ${check.name}`, () => check.run(story));

    it('then the key is in none of the relation files, nor in a file left from before, and no value of the person is', async () => {
      const after = await postgresRelationFiles(schema);
      const current = new Set(after.map((file) => file.path));
      const leftBehind = filesBefore
        .filter((file) => !current.has(file.path) && existsSync(file.path))
        .map((file) => ({ ...file, name: `${file.name} (previous file)`, bytes: readFileSync(file.path) }));
      expect(filesContaining([...after, ...leftBehind], key)).toEqual([]);
      expect(secretsOnDisk([...after, ...leftBehind])).toEqual({});
      // The shred rewrote the key table into a new file: the old one is what held the key.
      expect(after.find((file) => file.name === 'vault_keys')?.path).not.toBe(filesBefore.find((file) => file.name === 'vault_keys')?.path);
    });

    it('then, across the whole story, the NIR reached no event, read model, outbox message, audit entry, refusal, detector or partner view, nor the console', async () => {
      await assertNirNowhere(sweep, story, await postgresCollections(schema), consoleRecord.printed);
    });
  },
);
