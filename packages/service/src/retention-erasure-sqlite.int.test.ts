/**
 * End-to-end proof of erasure at the end of retention on a SQLite file: every copy of the person
 * readable through the API is erased or gone, and the files themselves (`.db`, `-wal`, `-shm`)
 * never held the person's data in clear and no longer hold their key. The same story runs on
 * PostgreSQL in `retention-erasure-postgres.int.test.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MisasStorage } from '@misas/core';
import { openSqliteStorage } from '@misas/adapters';
import { filesContaining, sqliteCollections, sqliteFiles, sqliteSubjectKey, type RawFile } from '../../adapters/src/testing/raw-files.ts';
import { afterErasureChecks, assertNirNowhere, recordConsole, secretsOnDisk, Sweep, type ConsoleRecord } from './testing/retention-checks.ts';
import { RetentionStory } from './testing/retention-scenario.ts';

describe('given a person referred with a NIR, accompanied, rectified, exported, shared with a partner and closed, on a SQLite file', { timeout: 60_000 }, () => {
  let dir = '';
  let path = '';
  let story: RetentionStory;
  /** The storage open now: closed and reopened to read the files of a closed database. */
  let opened: MisasStorage | undefined;
  let consoleRecord: ConsoleRecord;
  /** The person's key as stored before erasure: what the scans look for afterwards. */
  let key: Buffer = Buffer.alloc(0);
  const sweep = new Sweep();

  /** Closes the storage (SQLite checkpoints and removes the `-wal` file), reads the files, and opens it again. */
  async function filesOnceClosed(): Promise<RawFile[]> {
    await story.storage.close();
    const files = await sqliteFiles(path);
    opened = await openSqliteStorage({ path });
    story.reattach(opened);
    return files;
  }

  beforeAll(async () => {
    // From the first command on: nothing the library prints may carry the NIR.
    consoleRecord = recordConsole();
    dir = await mkdtemp(join(tmpdir(), 'misas-retention-'));
    path = join(dir, 'misas.db');
    opened = await openSqliteStorage({ path });
    story = await RetentionStory.live(opened);
  }, 60_000);
  afterAll(async () => {
    consoleRecord.stop();
    try {
      await opened?.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('then, before erasure, the key is in the files and no value of the person is, while open and once closed', async () => {
    key = sqliteSubjectKey(path, story.subjectRef);
    const open = await sqliteFiles(path);
    // Positive control: the scan finds bytes that are there (in the -wal file until a checkpoint).
    expect(filesContaining(open, key).length).toBeGreaterThan(0);
    expect(secretsOnDisk(open)).toEqual({});
    // The documents erasure deletes (the detector's view…) are looked at now, while they exist.
    await sweep.look(story, sqliteCollections(path));

    const closed = await filesOnceClosed();
    expect(closed.map((file) => file.name)).toEqual(['misas.db']);
    expect(filesContaining(closed, key)).toEqual(['misas.db']);
    expect(secretsOnDisk(closed)).toEqual({});
  });

  it('when the scheduler runs day by day past the retention, then it erases the person once, on the day due', async () => {
    expect(story.eraseBy).toBe('2027-08-16');
    expect(await story.runSchedulerPastRetention()).toEqual([story.eraseBy]);
    // The relays run after the erasure too: nothing they do may bring the data back.
    await story.relay();
  });

  for (const check of afterErasureChecks) it(`then ${check.name}`, () => check.run(story));

  it('then the key is in none of the files, while open and once closed, and no value of the person is', async () => {
    const open = await sqliteFiles(path);
    expect(open.map((file) => file.name)).toEqual(['misas.db', 'misas.db-shm', 'misas.db-wal']);
    expect(filesContaining(open, key)).toEqual([]);
    expect(secretsOnDisk(open)).toEqual({});

    const closed = await filesOnceClosed();
    expect(filesContaining(closed, key)).toEqual([]);
    expect(secretsOnDisk(closed)).toEqual({});
  });

  it('then, across the whole story, the NIR reached no event, read model, outbox message, audit entry, refusal, detector or partner view, nor the console', async () => {
    await assertNirNowhere(sweep, story, sqliteCollections(path), consoleRecord.printed);
  });
});
