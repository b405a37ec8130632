/**
 * Conformance cases for `MisasStorage.snapshots`: the port's own guarantees, and that a load
 * (`loadCase` with `snapshots`) trusts a stored snapshot only when it may — same machine version,
 * valid, of this stream, and matching the stream — and replays the events otherwise.
 */
import assert from 'node:assert/strict';
import { loadCase } from '../../application/case-repository.ts';
import { CaseCommandHandler } from '../../application/command-handler.ts';
import type { CaseSnapshotStore, StoredCaseSnapshot } from '../../application/ports/case-snapshot-store.ts';
import { VirtualClock } from '../../application/ports/clock.ts';
import { seededUlidGenerator } from '../../application/ports/id-generator.ts';
import type { MisasStorage } from '../../application/ports/storage.ts';
import type { CaseCommandInput } from '../../domain/commands.ts';
import { persistCaseState } from '../../domain/lifecycle/case-snapshot.ts';
import { sampleInternalForm } from '../fixtures.ts';

/** One case of the case snapshot store conformance suite: run it against a fresh instance from the factory. */
export interface CaseSnapshotConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => MisasStorage | Promise<MisasStorage>): Promise<void>;
}

const actor = { role: 'counsellor', id: 'counsellor-1' } as const;

async function withStorage(factory: () => MisasStorage | Promise<MisasStorage>, work: (storage: MisasStorage, snapshots: CaseSnapshotStore) => Promise<void>): Promise<void> {
  const storage = await factory();
  try {
    assert.ok(storage.snapshots, 'the storage has no snapshot store');
    await work(storage, storage.snapshots);
  } finally {
    await storage.close();
  }
}

/** A handler that takes a snapshot every 2 events. */
function handlerOn(storage: MisasStorage, options: { readonly cachedCases?: number } = {}): CaseCommandHandler {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  return new CaseCommandHandler({ store: storage.events, vault: storage.vault, snapshots: storage.snapshots, snapshotEvery: 2, clock, ids: seededUlidGenerator(7, clock), ...options });
}

const referral = (caseId: string): CaseCommandInput => ({
  type: 'ReceiveReferral',
  caseId,
  commandId: `${caseId}/r`,
  actor: { role: 'detector', id: 'det-1' },
  data: { fundId: 'cpam-22', form: sampleInternalForm({ comments: 'Appeler le soir' }) },
});

/** Sends a referral, a note and time logged to `caseId`: 6 events, snapshots taken at 2, 4 and 6. */
async function buildCase(handler: CaseCommandHandler, caseId: string): Promise<void> {
  const commands: CaseCommandInput[] = [
    referral(caseId),
    { type: 'AddNote', caseId, commandId: `${caseId}/n`, actor, data: { text: 'Parle mal français' } },
    ...[1, 2, 3, 4].map((n): CaseCommandInput => ({ type: 'LogTime', caseId, commandId: `${caseId}/t${n}`, actor, data: { minutes: 5 * n, activity: 'paperwork' } })),
  ];
  for (const command of commands) await handler.execute(command);
}

/** Loads with snapshots, and checks the result is the replay of the whole stream, from the snapshot or not. */
async function loadAndCompare(storage: MisasStorage, caseId: string): Promise<{ readonly fromSnapshot: boolean; readonly eventsRead: number }> {
  const full = await loadCase(storage.events, caseId);
  const loaded = await loadCase(storage.events, caseId, { snapshots: storage.snapshots });
  assert.deepEqual(persistCaseState(loaded.state), persistCaseState(full.state), 'a load with snapshots gave another state than the replay');
  return { fromSnapshot: loaded.commandIdsBefore !== undefined, eventsRead: loaded.events.length };
}

/** Rewrites the case's snapshot with `change` applied, at the version `change` gives (default: the same). */
async function tamper(snapshots: CaseSnapshotStore, caseId: string, change: (kept: StoredCaseSnapshot) => StoredCaseSnapshot): Promise<void> {
  const kept = await snapshots.read(caseId);
  assert.ok(kept, 'the handler kept no snapshot');
  await snapshots.delete(caseId);
  await snapshots.write(change(kept));
}

/** The snapshot data as a plain record, to tamper with. */
function dataOf(snapshot: StoredCaseSnapshot): Record<string, unknown> {
  assert.ok(typeof snapshot.data === 'object' && snapshot.data !== null && !Array.isArray(snapshot.data));
  return { ...snapshot.data };
}

function stateOf(snapshot: StoredCaseSnapshot): Record<string, unknown> {
  const state = dataOf(snapshot)['state'];
  assert.ok(typeof state === 'object' && state !== null && !Array.isArray(state));
  return { ...state };
}

/** The case snapshot store conformance suite: every case an implementation must pass (run each in a test). */
export const caseSnapshotConformance: readonly CaseSnapshotConformanceCase[] = [
  {
    name: 'reads its own write, keeps one per stream, never replaces a newer one, and deletes',
    run: (factory) =>
      withStorage(factory, async (_storage, snapshots) => {
        const data = { state: { nested: ['a', 1, null, true] }, commandIds: ['c1', 'c2'] };
        await snapshots.write({ streamId: 'case-a', version: 5, eventId: 'ev-5', data });
        assert.deepEqual(await snapshots.read('case-a'), { streamId: 'case-a', version: 5, eventId: 'ev-5', data });
        assert.equal(await snapshots.read('case-b'), undefined);
        await snapshots.write({ streamId: 'case-a', version: 3, eventId: 'ev-3', data: { older: true } });
        assert.equal((await snapshots.read('case-a'))?.eventId, 'ev-5', 'an older snapshot replaced a newer one');
        await snapshots.write({ streamId: 'case-a', version: 5, eventId: 'ev-5b', data: { again: true } });
        assert.equal((await snapshots.read('case-a'))?.eventId, 'ev-5b', 'a snapshot of the same version did not replace the kept one');
        await snapshots.write({ streamId: 'case-a', version: 8, eventId: 'ev-8', data: { newer: true } });
        assert.deepEqual(await snapshots.read('case-a'), { streamId: 'case-a', version: 8, eventId: 'ev-8', data: { newer: true } });
        await snapshots.delete('case-a');
        assert.equal(await snapshots.read('case-a'), undefined);
      }),
  },
  {
    name: 'the handler keeps a snapshot, and a cold load starts from it with the events after it',
    run: (factory) =>
      withStorage(factory, async (storage, snapshots) => {
        const handler = handlerOn(storage);
        await buildCase(handler, 'case-1');
        assert.equal((await snapshots.read('case-1'))?.version, 6);
        await handler.execute({ type: 'LogTime', caseId: 'case-1', commandId: 'case-1/t5', actor, data: { minutes: 30, activity: 'paperwork' } });
        assert.deepEqual(await loadAndCompare(storage, 'case-1'), { fromSnapshot: true, eventsRead: 1 });
        // A cold handler answers a command sent before the snapshot as a retry, as it would from the
        // stream — not as a referral the case's state refuses.
        const cold = handlerOn(storage, { cachedCases: 0 });
        const retried = await cold.execute(referral('case-1'));
        assert.equal(retried.outcome, 'duplicate');
        assert.equal((await storage.events.readStream('case-1')).length, 7);
      }),
  },
  {
    name: 'a snapshot of another machine version is ignored and the case replayed',
    run: (factory) =>
      withStorage(factory, async (storage, snapshots) => {
        await buildCase(handlerOn(storage), 'case-1');
        assert.equal((await loadAndCompare(storage, 'case-1')).fromSnapshot, true);
        await tamper(snapshots, 'case-1', (kept) => ({ ...kept, data: { ...dataOf(kept), state: { ...stateOf(kept), machineVersion: 'an-older-machine' } } }));
        assert.deepEqual(await loadAndCompare(storage, 'case-1'), { fromSnapshot: false, eventsRead: 6 });
      }),
  },
  {
    name: 'a malformed or tampered snapshot is ignored and the case replayed from its events',
    run: (factory) =>
      withStorage(factory, async (storage, snapshots) => {
        await buildCase(handlerOn(storage), 'case-1');
        const original = await snapshots.read('case-1');
        assert.ok(original);
        const tampered: readonly ((kept: StoredCaseSnapshot) => StoredCaseSnapshot)[] = [
          (kept) => ({ ...kept, data: 'not a snapshot' }),
          (kept) => ({ ...kept, data: { ...dataOf(kept), commandIds: 'c1' } }),
          (kept) => ({ ...kept, data: { ...dataOf(kept), extra: true } }),
          (kept) => ({ ...kept, data: { ...dataOf(kept), state: { ...stateOf(kept), value: 'no-such-state' } } }),
          (kept) => ({ ...kept, data: { ...dataOf(kept), state: { ...stateOf(kept), context: { minutesSpent: 'many' } } } }),
          // The state claims another version than the row: one of them lies.
          (kept) => ({ ...kept, data: { ...dataOf(kept), state: { ...stateOf(kept), version: 5 } } }),
          // A valid snapshot whose event is not the stream's event at that version.
          (kept) => ({ ...kept, eventId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }),
        ];
        for (const [index, change] of tampered.entries()) {
          await tamper(snapshots, 'case-1', () => change(original));
          assert.deepEqual(await loadAndCompare(storage, 'case-1'), { fromSnapshot: false, eventsRead: 6 }, `tampered snapshot ${index} was trusted`);
        }
      }),
  },
  {
    name: 'a snapshot newer than its stream is never trusted',
    run: (factory) =>
      withStorage(factory, async (storage, snapshots) => {
        await buildCase(handlerOn(storage), 'case-1');
        // As a write batch rolled back after its snapshot was taken would leave it: ahead of the events.
        await tamper(snapshots, 'case-1', (kept) => ({ ...kept, version: 9, data: { ...dataOf(kept), state: { ...stateOf(kept), version: 9 } } }));
        assert.deepEqual(await loadAndCompare(storage, 'case-1'), { fromSnapshot: false, eventsRead: 6 });
        const handler = handlerOn(storage, { cachedCases: 0 });
        const next = await handler.execute({ type: 'LogTime', caseId: 'case-1', commandId: 'case-1/t5', actor, data: { minutes: 30, activity: 'paperwork' } });
        assert.equal(next.state.version, 7, 'the handler decided on a snapshot ahead of the stream');
      }),
  },
  {
    name: 'snapshots are scoped per stream: one copied under another case is ignored',
    run: (factory) =>
      withStorage(factory, async (storage, snapshots) => {
        const handler = handlerOn(storage);
        await buildCase(handler, 'case-1');
        await buildCase(handler, 'case-2');
        const ofCase1 = await snapshots.read('case-1');
        const ofCase2 = await snapshots.read('case-2');
        assert.ok(ofCase1 && ofCase2);
        assert.notEqual(ofCase1.eventId, ofCase2.eventId);
        await snapshots.delete('case-2');
        await snapshots.write({ ...ofCase1, streamId: 'case-2' });
        assert.deepEqual(await loadAndCompare(storage, 'case-2'), { fromSnapshot: false, eventsRead: 6 });
        assert.equal((await loadAndCompare(storage, 'case-1')).fromSnapshot, true);
      }),
  },
  {
    name: 'erasing a case deletes its snapshots, and no snapshot holds its personal data',
    run: (factory) =>
      withStorage(factory, async (storage, snapshots) => {
        const handler = handlerOn(storage);
        await buildCase(handler, 'case-1');
        const kept = await snapshots.read('case-1');
        assert.ok(kept);
        for (const secret of ['Martin', '189047512345655', 'Appeler le soir', 'Parle mal français']) {
          assert.ok(!JSON.stringify(kept).includes(secret), `a snapshot holds personal data: ${secret}`);
        }
        await handler.execute({ type: 'DeclineReferral', caseId: 'case-1', commandId: 'case-1/d', actor, data: { reason: 'not-relevant' } });
        await handler.execute({ type: 'ErasePersonalData', caseId: 'case-1', commandId: 'case-1/e', actor: { role: 'system', id: 'scheduler' }, data: { reason: 'retention-expired' } });
        assert.equal(await snapshots.read('case-1'), undefined, 'a snapshot taken before the erasure survived it');
      }),
  },
];
