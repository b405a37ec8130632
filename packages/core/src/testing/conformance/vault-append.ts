/**
 * Conformance cases for appends that carry personal data (`AppendRequest.vaultPuts`): the entries
 * and the events that refer to them are stored together or not at all. For storages whose event
 * store declares `commitsWithVault(storage.vault)`.
 */
import assert from 'node:assert/strict';
import type { AppendRequest } from '../../application/ports/event-store.ts';
import type { MisasStorage } from '../../application/ports/storage.ts';
import { ConcurrencyError } from '../../errors.ts';
import { InMemoryVault } from '../../in-memory/memory-vault.ts';
import { conformanceEvents } from './event-store.ts';

/** One case of the vault append (personal data with the events, atomically) conformance suite: run it against a fresh instance from the factory. */
export interface VaultAppendConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => MisasStorage | Promise<MisasStorage>): Promise<void>;
}

/** An append of one event to `streamId` carrying one entry of `subjectRef`. */
function withEntry(streamId: string, commandId: string, expectedVersion: number, subjectRef: string, entry: string, value: string): AppendRequest {
  return {
    streamId,
    expectedVersion,
    commandId,
    events: conformanceEvents(streamId, commandId, expectedVersion, 1),
    vaultPuts: [{ subjectRef, entry, value: { text: value } }],
  };
}

async function withStorage(factory: () => MisasStorage | Promise<MisasStorage>, work: (storage: MisasStorage) => Promise<void>): Promise<void> {
  const storage = await factory();
  try {
    assert.equal(storage.events.commitsWithVault?.(storage.vault), true, 'the event store does not declare that it commits with this vault');
    await work(storage);
  } finally {
    await storage.close();
  }
}

const isConflict = (error: unknown) => error instanceof ConcurrencyError || (error as { code?: string }).code === 'concurrency-conflict';

/** The vault append (personal data with the events, atomically) conformance suite: every case an implementation must pass (run each in a test). */
export const vaultAppendConformance: readonly VaultAppendConformanceCase[] = [
  {
    name: 'stores the entries with the events, and only for its own vault',
    run: (factory) =>
      withStorage(factory, async (storage) => {
        const result = await storage.events.append(withEntry('s', 'c1', 0, 'subj-1', 'referral', 'Le Gall'));
        assert.equal(result.status, 'appended');
        assert.equal((await storage.events.readStream('s')).length, 1);
        assert.deepEqual(await storage.vault.get('subj-1', 'referral'), { status: 'found', value: { text: 'Le Gall' } });
        assert.equal(storage.events.commitsWithVault?.(new InMemoryVault()), false);
      }),
  },
  {
    name: 'a stale expected version stores neither the events nor the entries',
    run: (factory) =>
      withStorage(factory, async (storage) => {
        await storage.events.append(withEntry('s', 'c1', 0, 'subj-1', 'referral', 'first'));
        await assert.rejects(storage.events.append(withEntry('s', 'c2', 0, 'subj-2', 'referral', 'stale')), isConflict);
        await assert.rejects(storage.events.append(withEntry('s', 'c3', 0, 'subj-1', 'note:1', 'stale')), isConflict);
        assert.equal((await storage.events.readStream('s')).length, 1);
        assert.deepEqual(await storage.vault.get('subj-2', 'referral'), { status: 'missing' });
        assert.deepEqual(await storage.vault.entries('subj-1'), { status: 'found', entries: { referral: { text: 'first' } } });
      }),
  },
  {
    name: 'a duplicate command writes no entry',
    run: (factory) =>
      withStorage(factory, async (storage) => {
        await storage.events.append(withEntry('s', 'c1', 0, 'subj-1', 'note:1', 'first'));
        const again = await storage.events.append(withEntry('s', 'c1', 0, 'subj-1', 'note:1', 'retried'));
        assert.equal(again.status, 'duplicate');
        const elsewhere = await storage.events.append(withEntry('s', 'c1', 0, 'subj-9', 'referral', 'retried'));
        assert.equal(elsewhere.status, 'duplicate');
        assert.deepEqual(await storage.vault.get('subj-1', 'note:1'), { status: 'found', value: { text: 'first' } });
        assert.deepEqual(await storage.vault.get('subj-9', 'referral'), { status: 'missing' });
      }),
  },
  {
    name: 'an entry refused (its subject was erased) leaves the events unstored',
    run: (factory) =>
      withStorage(factory, async (storage) => {
        await storage.vault.shred('gone');
        await assert.rejects(storage.events.append(withEntry('s', 'c1', 0, 'gone', 'note:1', 'late')), /erased/);
        assert.deepEqual(await storage.events.readStream('s'), []);
        assert.equal(await storage.events.headPosition(), 0);
        assert.deepEqual(await storage.vault.get('gone', 'note:1'), { status: 'erased' });
      }),
  },
  {
    name: 'an inline append whose read-model work throws keeps no entry',
    run: (factory) =>
      withStorage(factory, async (storage) => {
        const appendWith = storage.events.appendWith?.bind(storage.events);
        if (!appendWith) return;
        const failing = appendWith(withEntry('s', 'c1', 0, 'subj-1', 'referral', 'Le Gall'), async (tx) => {
          await tx.put('inline', 's', 1);
          throw new Error('projection failed');
        });
        await assert.rejects(failing, /projection failed/);
        assert.deepEqual(await storage.events.readStream('s'), []);
        assert.deepEqual(await storage.vault.get('subj-1', 'referral'), { status: 'missing' });
        const stored = await appendWith(withEntry('s', 'c2', 0, 'subj-1', 'referral', 'Le Gall'), async () => undefined);
        assert.equal(stored.status, 'appended');
        assert.deepEqual(await storage.vault.get('subj-1', 'referral'), { status: 'found', value: { text: 'Le Gall' } });
      }),
  },
  {
    name: 'of two concurrent appends to one stream with entries, only the winner’s entry is stored',
    run: (factory) =>
      withStorage(factory, async (storage) => {
        const results = await Promise.allSettled(['w1', 'w2'].map((id) => storage.events.append(withEntry('race', id, 0, `subj-${id}`, 'referral', id))));
        assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
        const found = await Promise.all(['w1', 'w2'].map(async (id) => (await storage.vault.get(`subj-${id}`, 'referral')).status));
        assert.deepEqual([...found].sort(), ['found', 'missing']);
      }),
  },
];
