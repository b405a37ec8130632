/**
 * The conformance suite every `EventStore` must pass — ours (in memory, SQLite, PostgreSQL) and
 * any third party's. It is runner-agnostic: each case is a function that throws on failure.
 *
 * ```ts
 * for (const check of eventStoreConformance) {
 *   it(check.name, () => check.run(() => new MyEventStore(...)));
 * }
 * ```
 */
import assert from 'node:assert/strict';
import type { EventMetadata } from '../../domain/events/metadata.ts';
import type { EventRecord } from '../../domain/events/decode.ts';
import type { EventStore, NewEvent } from '../../application/ports/event-store.ts';
import { ConcurrencyError } from '../../errors.ts';
import { referralEvents, referralPayload, validationOnWriteConformance } from './validation-on-write.ts';

/** Gives a fresh, empty store for each case. */
export type EventStoreFactory = () => EventStore | Promise<EventStore>;

/** One case of the event store conformance suite: run it against a fresh store from the factory. */
export interface ConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the store breaks the guarantee. */
  run(factory: EventStoreFactory): Promise<void>;
}

let sequence = 0;

/**
 * Builds events for a stream, versions following `fromVersion`: `TimeSpentLogged` at its current
 * schema version, valid unless `data` makes them otherwise (a store that validates on write refuses
 * an invalid one).
 */
export function conformanceEvents(
  streamId: string,
  commandId: string,
  fromVersion: number,
  count: number,
  data: (index: number) => unknown = (index) => ({ minutes: index + 1, activity: 'follow-up' }),
): NewEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const meta: EventMetadata = {
      eventId: `evt-${streamId}-${commandId}-${index}-${++sequence}`,
      caseId: streamId,
      version: fromVersion + index + 1,
      occurredAt: '2026-01-05T09:00:00.000Z',
      recordedAt: '2026-01-05T09:00:00.000Z',
      actor: { role: 'counsellor', id: 'c1' },
      correlationId: commandId,
      causationId: commandId,
      commandId,
      schemaVersion: 2,
    };
    return { type: 'TimeSpentLogged', data: data(index), meta };
  });
}

/** The same events, recording `fingerprint` as the fingerprint of the command that produced them. */
export function withFingerprint(events: readonly NewEvent[], fingerprint: string): NewEvent[] {
  return events.map((event) => ({ ...event, meta: { ...event.meta, commandFingerprint: fingerprint } }));
}

function versionsOf(events: readonly EventRecord[]): number[] {
  return events.map((event) => (event.meta as EventMetadata).version);
}

async function rejectsWithConflict(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof ConcurrencyError || (error as { code?: string }).code === 'concurrency-conflict');
}

/** The event store conformance suite: every case a store must pass (run each in a test). */
export const eventStoreConformance: readonly ConformanceCase[] = [
  {
    name: 'appends to a new stream and reads it back in version order',
    async run(factory) {
      const store = await factory();
      const result = await store.append({ streamId: 's1', expectedVersion: 0, commandId: 'c1', events: conformanceEvents('s1', 'c1', 0, 3) });
      assert.equal(result.status, 'appended');
      assert.equal(result.streamVersion, 3);
      const events = await store.readStream('s1');
      assert.deepEqual(versionsOf(events), [1, 2, 3]);
      assert.deepEqual((await store.readAll()).map((e) => e.position), [1, 2, 3]);
      assert.deepEqual(events.map((e) => e.data), [1, 2, 3].map((minutes) => ({ minutes, activity: 'follow-up' })));
    },
  },
  {
    name: 'an unknown stream reads as empty and the empty log has head 0',
    async run(factory) {
      const store = await factory();
      assert.deepEqual(await store.readStream('nope'), []);
      assert.equal(await store.headPosition(), 0);
      assert.deepEqual(await store.readAll(), []);
    },
  },
  {
    name: 'refuses a stale expected version and writes nothing',
    async run(factory) {
      const store = await factory();
      await store.append({ streamId: 's', expectedVersion: 0, commandId: 'a', events: conformanceEvents('s', 'a', 0, 2) });
      await rejectsWithConflict(store.append({ streamId: 's', expectedVersion: 1, commandId: 'b', events: conformanceEvents('s', 'b', 1, 1) }));
      await rejectsWithConflict(store.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 1) }));
      assert.deepEqual(versionsOf(await store.readStream('s')), [1, 2]);
      assert.equal(await store.headPosition(), 2);
    },
  },
  {
    name: 'of two concurrent writers to one stream, exactly one wins',
    async run(factory) {
      const store = await factory();
      const results = await Promise.allSettled([
        store.append({ streamId: 'race', expectedVersion: 0, commandId: 'w1', events: conformanceEvents('race', 'w1', 0, 2) }),
        store.append({ streamId: 'race', expectedVersion: 0, commandId: 'w2', events: conformanceEvents('race', 'w2', 0, 2) }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const loser = results.find((r) => r.status === 'rejected');
      assert.ok(loser && loser.status === 'rejected');
      await rejectsWithConflict(Promise.reject(loser.reason));
      assert.deepEqual(versionsOf(await store.readStream('race')), [1, 2]);
    },
  },
  {
    name: 'a malformed batch is refused whole',
    async run(factory) {
      const store = await factory();
      const events = conformanceEvents('m', 'c', 0, 3);
      const gap = [events[0], { ...events[2]!, meta: { ...events[2]!.meta, version: 3 } }] as NewEvent[];
      await assert.rejects(store.append({ streamId: 'm', expectedVersion: 0, commandId: 'c', events: gap }));
      await assert.rejects(store.append({ streamId: 'm', expectedVersion: 0, commandId: 'c', events: [] }));
      assert.deepEqual(await store.readStream('m'), []);
      assert.equal(await store.headPosition(), 0);
    },
  },
  {
    name: 'a retried command id is not appended twice',
    async run(factory) {
      const store = await factory();
      const first = await store.append({ streamId: 'r', expectedVersion: 0, commandId: 'same', events: conformanceEvents('r', 'same', 0, 2) });
      const retry = await store.append({ streamId: 'r', expectedVersion: 0, commandId: 'same', events: conformanceEvents('r', 'same', 0, 2) });
      assert.equal(retry.status, 'duplicate');
      const eventIds = (events: readonly { meta: unknown }[]) => events.map((e) => (e.meta as EventMetadata).eventId);
      assert.deepEqual(eventIds(retry.events), eventIds(first.events));
      assert.equal((await store.readStream('r')).length, 2);
      // Even when the retry arrives after other commands moved the stream on.
      await store.append({ streamId: 'r', expectedVersion: 2, commandId: 'next', events: conformanceEvents('r', 'next', 2, 1) });
      const late = await store.append({ streamId: 'r', expectedVersion: 0, commandId: 'same', events: conformanceEvents('r', 'same', 0, 2) });
      assert.equal(late.status, 'duplicate');
      assert.equal(await store.headPosition(), 3);
    },
  },
  {
    name: 'a command id reused with another command fingerprint is refused; the same fingerprint is still a duplicate',
    async run(factory) {
      const store = await factory();
      const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
      await store.append({ streamId: 'f', expectedVersion: 0, commandId: 'same', events: withFingerprint(conformanceEvents('f', 'same', 0, 2), a) });
      const retry = await store.append({ streamId: 'f', expectedVersion: 0, commandId: 'same', events: withFingerprint(conformanceEvents('f', 'same', 0, 2), a) });
      assert.equal(retry.status, 'duplicate');
      // At the current version too: only the fingerprint tells the reuse from a retry.
      const reuse = store.append({ streamId: 'f', expectedVersion: 2, commandId: 'same', events: withFingerprint(conformanceEvents('f', 'same', 2, 1), b) });
      await assert.rejects(reuse, (error: unknown) => (error as { code?: string }).code === 'command-id-reused');
      assert.equal((await store.readStream('f')).length, 2);
      // An id stored before fingerprints existed cannot be compared: a retry, as it always was.
      await store.append({ streamId: 'f', expectedVersion: 2, commandId: 'old', events: conformanceEvents('f', 'old', 2, 1) });
      const legacy = await store.append({ streamId: 'f', expectedVersion: 3, commandId: 'old', events: withFingerprint(conformanceEvents('f', 'old', 3, 1), b) });
      assert.equal(legacy.status, 'duplicate');
      assert.equal(await store.headPosition(), 3);
    },
  },
  {
    name: 'an event id already stored is not appended twice',
    async run(factory) {
      const store = await factory();
      const events = conformanceEvents('e', 'first', 0, 1);
      await store.append({ streamId: 'e', expectedVersion: 0, commandId: 'first', events });
      const again = events.map((event) => ({ ...event, meta: { ...event.meta, commandId: 'other' } }));
      const result = await store.append({ streamId: 'e', expectedVersion: 0, commandId: 'other', events: again });
      assert.equal(result.status, 'duplicate');
      assert.equal(await store.headPosition(), 1);
    },
  },
  {
    name: 'event ids already stored in another stream are refused, not answered as a duplicate',
    async run(factory) {
      const store = await factory();
      const events = conformanceEvents('x', 'first', 0, 1);
      await store.append({ streamId: 'x', expectedVersion: 0, commandId: 'first', events });
      // Another case whose events reuse those ids (an id generator restarted on the same seed): not a retry.
      const elsewhere = events.map((event) => ({ ...event, meta: { ...event.meta, caseId: 'y', commandId: 'second' } }));
      const append = store.append({ streamId: 'y', expectedVersion: 0, commandId: 'second', events: elsewhere });
      await assert.rejects(append, (error: unknown) => (error as { code?: string }).code === 'duplicate-event-id');
      assert.deepEqual(await store.readStream('y'), []);
      assert.equal(await store.headPosition(), 1);
    },
  },
  {
    name: 'reads the global log in position order, after a position and with a limit',
    async run(factory) {
      const store = await factory();
      await store.append({ streamId: 'a', expectedVersion: 0, commandId: 'a1', events: conformanceEvents('a', 'a1', 0, 2) });
      await store.append({ streamId: 'b', expectedVersion: 0, commandId: 'b1', events: conformanceEvents('b', 'b1', 0, 1) });
      await store.append({ streamId: 'a', expectedVersion: 2, commandId: 'a2', events: conformanceEvents('a', 'a2', 2, 1) });
      const all = await store.readAll();
      assert.deepEqual(all.map((e) => e.position), [1, 2, 3, 4]);
      assert.deepEqual(all.map((e) => (e.meta as EventMetadata).caseId), ['a', 'a', 'b', 'a']);
      assert.deepEqual((await store.readAll({ after: 2 })).map((e) => e.position), [3, 4]);
      assert.deepEqual((await store.readAll({ after: 1, limit: 2 })).map((e) => e.position), [2, 3]);
      assert.deepEqual(await store.readAll({ after: 4 }), []);
      assert.equal(await store.headPosition(), 4);
    },
  },
  {
    name: 'reads a stream from a version',
    async run(factory) {
      const store = await factory();
      await store.append({ streamId: 'v', expectedVersion: 0, commandId: 'c', events: conformanceEvents('v', 'c', 0, 4) });
      assert.deepEqual(versionsOf(await store.readStream('v', { fromVersion: 3 })), [3, 4]);
    },
  },
  {
    name: 'payloads and metadata come back exactly as written',
    async run(factory) {
      const store = await factory();
      const payload = referralPayload('CCAS — “accès aux soins” 🚑');
      const events = referralEvents('j', payload);
      await store.append({ streamId: 'j', expectedVersion: 0, commandId: 'c', events });
      const [stored] = await store.readStream('j');
      assert.deepEqual(stored?.data, payload);
      assert.deepEqual(stored?.meta, events[0]?.meta);
      assert.equal(stored?.type, 'ReferralReceived');
    },
  },
  ...validationOnWriteConformance,
];
