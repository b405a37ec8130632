/**
 * Conformance cases for group commit (`MisasStorage.writeBatch`), for storages that offer it
 * (SQLite, PostgreSQL). What a batch must keep: each append's expected version and command id,
 * vault puts stored with their events, reads inside the batch that see the batch's own writes, and
 * all or nothing for the batch as a whole. What other connections see meanwhile needs a second
 * handle on the same store, so each adapter checks it in its own tests.
 */
import assert from 'node:assert/strict';
import type { AppendRequest } from '../../application/ports/event-store.ts';
import type { MisasStorage } from '../../application/ports/storage.ts';
import { ConcurrencyError } from '../../errors.ts';
import { conformanceEvents } from './event-store.ts';

/** One case of the write batch (group commit) conformance suite: run it against a fresh instance from the factory. */
export interface WriteBatchConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => MisasStorage | Promise<MisasStorage>): Promise<void>;
}

/** An append of `count` events to `streamId`, with one vault entry when `subjectRef` is given. */
function append(streamId: string, commandId: string, expectedVersion: number, subjectRef?: string): AppendRequest {
  return {
    streamId,
    expectedVersion,
    commandId,
    events: conformanceEvents(streamId, commandId, expectedVersion, 2),
    ...(subjectRef === undefined ? {} : { vaultPuts: [{ subjectRef, entry: 'referral', value: { text: `${subjectRef} data` } }] }),
  };
}

/** The storage, and its `writeBatch` (which the port makes optional) known to exist. */
type Batch = <T>(work: () => Promise<T>) => Promise<T>;

async function withStorage(factory: () => MisasStorage | Promise<MisasStorage>, work: (storage: MisasStorage, batch: Batch) => Promise<void>): Promise<void> {
  const storage = await factory();
  try {
    assert.ok(storage.writeBatch, 'the storage has no writeBatch');
    await work(storage, (batchWork) => {
      if (!storage.writeBatch) throw new Error('the storage has no writeBatch');
      return storage.writeBatch(batchWork);
    });
  } finally {
    await storage.close();
  }
}

const isConflict = (error: unknown) => error instanceof ConcurrencyError || (error as { code?: string }).code === 'concurrency-conflict';

class Abandoned extends Error {}

/** The write batch (group commit) conformance suite: every case an implementation must pass (run each in a test). */
export const writeBatchConformance: readonly WriteBatchConformanceCase[] = [
  {
    name: 'appends and their vault entries commit together, and reads inside the batch see them',
    run: (factory) =>
      withStorage(factory, async (storage, batch) => {
        const seen = await batch(async () => {
          await storage.events.append(append('s1', 'c1', 0, 'subj-1'));
          await storage.events.append(append('s1', 'c2', 2));
          await storage.events.append(append('s2', 'c1', 0, 'subj-2'));
          return {
            s1: (await storage.events.readStream('s1')).length,
            all: (await storage.events.readAll()).map((event) => event.position),
            entry: await storage.vault.get('subj-2', 'referral'),
          };
        });
        assert.deepEqual(seen, { s1: 4, all: [1, 2, 3, 4, 5, 6], entry: { status: 'found', value: { text: 'subj-2 data' } } });
        assert.equal((await storage.events.readAll()).length, 6);
        assert.deepEqual(await storage.vault.get('subj-1', 'referral'), { status: 'found', value: { text: 'subj-1 data' } });
      }),
  },
  {
    name: 'inside a batch, a stale expected version is refused and only that append is left out; a retried command is a duplicate',
    run: (factory) =>
      withStorage(factory, async (storage, batch) => {
        await batch(async () => {
          const first = append('s', 'c1', 0, 'subj-1');
          await storage.events.append(first);
          await assert.rejects(storage.events.append(append('s', 'c2', 0, 'subj-2')), isConflict);
          const retried = await storage.events.append(first);
          assert.equal(retried.status, 'duplicate');
          await storage.events.append(append('s', 'c3', 2));
        });
        assert.deepEqual(
          (await storage.events.readStream('s')).map((event) => (event.meta as { commandId?: string }).commandId),
          ['c1', 'c1', 'c3', 'c3'],
        );
        assert.deepEqual(await storage.vault.get('subj-2', 'referral'), { status: 'missing' });
      }),
  },
  {
    name: 'a batch that throws keeps nothing of it — events, entries, read models — and the storage works on',
    run: (factory) =>
      withStorage(factory, async (storage, batch) => {
        await storage.events.append(append('s0', 'c1', 0, 'subj-0'));
        await assert.rejects(
          batch(async () => {
            await storage.events.append(append('s1', 'c1', 0, 'subj-1'));
            await storage.events.append(append('s0', 'c2', 2));
            await storage.projections.transaction(async (tx) => tx.put('things', 'a', { n: 1 }));
            throw new Abandoned('the import failed half-way');
          }),
          Abandoned,
        );
        assert.equal((await storage.events.readAll()).length, 2);
        assert.deepEqual(await storage.vault.get('subj-1', 'referral'), { status: 'missing' });
        assert.equal(await storage.projections.get('things', 'a'), undefined);
        // The append the batch lost can be made again, at the version the store holds.
        assert.equal((await storage.events.append(append('s0', 'c2', 2))).status, 'appended');
      }),
  },
  {
    name: 'projection transactions and erasures inside a batch commit with it',
    run: (factory) =>
      withStorage(factory, async (storage, batch) => {
        await storage.events.append(append('s', 'c1', 0, 'gone'));
        await batch(async () => {
          await storage.events.append(append('s', 'c2', 2));
          await storage.projections.transaction(async (tx) => {
            await tx.put('things', 'a', { head: await storage.events.headPosition() });
            await tx.saveCheckpoint('things', 4);
          });
          await storage.vault.shred('gone');
        });
        assert.deepEqual(await storage.projections.get('things', 'a'), { head: 4 });
        assert.equal(await storage.projections.checkpoint('things'), 4);
        assert.deepEqual(await storage.vault.get('gone', 'referral'), { status: 'erased' });
      }),
  },
  {
    name: 'refuses a batch inside a batch',
    run: (factory) =>
      withStorage(factory, async (storage, batch) => {
        await batch(async () => {
          await assert.rejects(batch(async () => undefined), /batch/);
        });
      }),
  },
];
