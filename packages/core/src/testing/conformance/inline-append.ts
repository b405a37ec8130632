/**
 * Conformance cases for `EventStore.appendWith`: an append and read-model writes that commit
 * together or not at all (inline projections). For storages that implement it.
 */
import assert from 'node:assert/strict';
import type { MisasStorage } from '../../application/ports/storage.ts';
import { ConcurrencyError } from '../../errors.ts';
import { conformanceEvents } from './event-store.ts';

/** One case of the inline append (events and read models in one transaction) conformance suite: run it against a fresh instance from the factory. */
export interface InlineAppendConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => MisasStorage | Promise<MisasStorage>): Promise<void>;
}

function appendWithOf(storage: MisasStorage): NonNullable<MisasStorage['events']['appendWith']> {
  const appendWith = storage.events.appendWith?.bind(storage.events);
  assert.ok(appendWith, 'this storage does not implement appendWith');
  return appendWith;
}

/** The inline append (events and read models in one transaction) conformance suite: every case an implementation must pass (run each in a test). */
export const inlineAppendConformance: readonly InlineAppendConformanceCase[] = [
  {
    name: 'commits the events and the read-model writes together',
    async run(factory) {
      const storage = await factory();
      try {
        const result = await appendWithOf(storage)({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 2) }, async (tx) => {
          assert.equal(await tx.get('inline', 's'), undefined);
          await tx.put('inline', 's', { version: 2 });
        });
        assert.equal(result.status, 'appended');
        assert.equal((await storage.events.readStream('s')).length, 2);
        assert.deepEqual(await storage.projections.get('inline', 's'), { version: 2 });
      } finally {
        await storage.close();
      }
    },
  },
  {
    name: 'when the read-model work throws, neither the events nor the writes are kept',
    async run(factory) {
      const storage = await factory();
      try {
        await assert.rejects(
          appendWithOf(storage)({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 1) }, async (tx) => {
            await tx.put('inline', 's', 1);
            throw new Error('projection failed');
          }),
          /projection failed/,
        );
        assert.deepEqual(await storage.events.readStream('s'), []);
        assert.equal(await storage.events.headPosition(), 0);
        assert.equal(await storage.projections.get('inline', 's'), undefined);
      } finally {
        await storage.close();
      }
    },
  },
  {
    name: 'a stale expected version writes nothing; a duplicate does not run the work again',
    async run(factory) {
      const storage = await factory();
      try {
        const appendWith = appendWithOf(storage);
        let calls = 0;
        const work = async (tx: Parameters<Parameters<typeof appendWith>[1]>[0]) => {
          calls++;
          await tx.put('inline', `call-${calls}`, calls);
        };
        await appendWith({ streamId: 's', expectedVersion: 0, commandId: 'a', events: conformanceEvents('s', 'a', 0, 1) }, work);
        await assert.rejects(
          appendWith({ streamId: 's', expectedVersion: 0, commandId: 'b', events: conformanceEvents('s', 'b', 0, 1) }, work),
          (error: unknown) => error instanceof ConcurrencyError || (error as { code?: string }).code === 'concurrency-conflict',
        );
        const again = await appendWith({ streamId: 's', expectedVersion: 0, commandId: 'a', events: conformanceEvents('s', 'a', 0, 1) }, work);
        assert.equal(again.status, 'duplicate');
        assert.equal((await storage.events.readStream('s')).length, 1);
        assert.deepEqual((await storage.projections.list('inline')).map((d) => d.key), ['call-1']);
      } finally {
        await storage.close();
      }
    },
  },
  {
    name: 'of two concurrent inline appends to one stream, exactly one wins and only its writes stay',
    async run(factory) {
      const storage = await factory();
      try {
        const appendWith = appendWithOf(storage);
        const attempt = (id: string) =>
          appendWith({ streamId: 'race', expectedVersion: 0, commandId: id, events: conformanceEvents('race', id, 0, 1) }, async (tx) => {
            await tx.put('inline', id, true);
          });
        const results = await Promise.allSettled([attempt('w1'), attempt('w2')]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.equal((await storage.events.readStream('race')).length, 1);
        assert.equal((await storage.projections.list('inline')).length, 1);
      } finally {
        await storage.close();
      }
    },
  },
];
