/**
 * Conformance cases for an `Outbox`.
 */
import assert from 'node:assert/strict';
import type { Outbox } from '../../application/ports/outbox.ts';

/** One case of the outbox conformance suite: run it against a fresh instance from the factory. */
export interface OutboxConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => Outbox | Promise<Outbox>): Promise<void>;
}

const t = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));

/** The outbox conformance suite: every case an implementation must pass (run each in a test). */
export const outboxConformance: readonly OutboxConformanceCase[] = [
  {
    name: 'enqueues once per id and hands messages out oldest first',
    async run(factory) {
      const outbox = await factory();
      await outbox.enqueue([
        { id: 'm2', topic: 'detector-notice', payload: { n: 2 }, availableAt: t(2).toISOString() },
        { id: 'm1', topic: 'detector-notice', payload: { n: 1 }, availableAt: t(1).toISOString() },
      ]);
      await outbox.enqueue([{ id: 'm1', topic: 'detector-notice', payload: { n: 99 }, availableAt: t(0).toISOString() }]);
      assert.equal(await outbox.pendingCount(), 2);
      const claimed = await outbox.claim({ now: t(5), limit: 10, leaseMs: 60_000 });
      assert.deepEqual(claimed.map((m) => [m.id, m.payload, m.attempts]), [['m1', { n: 1 }, 1], ['m2', { n: 2 }, 1]]);
    },
  },
  {
    name: 'a claimed message is hidden until its lease ends, then comes back',
    async run(factory) {
      const outbox = await factory();
      await outbox.enqueue([{ id: 'm', topic: 'x', payload: null, availableAt: t(0).toISOString() }]);
      assert.equal((await outbox.claim({ now: t(1), limit: 1, leaseMs: 60_000 })).length, 1);
      assert.equal((await outbox.claim({ now: t(1), limit: 1, leaseMs: 60_000 })).length, 0);
      const again = await outbox.claim({ now: t(3), limit: 1, leaseMs: 60_000 });
      assert.deepEqual(again.map((m) => [m.id, m.attempts]), [['m', 2]]);
    },
  },
  {
    name: 'messages not yet available are not handed out',
    async run(factory) {
      const outbox = await factory();
      await outbox.enqueue([{ id: 'later', topic: 'x', payload: 1, availableAt: t(30).toISOString() }]);
      assert.equal((await outbox.claim({ now: t(10), limit: 5, leaseMs: 1000 })).length, 0);
      assert.equal((await outbox.claim({ now: t(30), limit: 5, leaseMs: 1000 })).length, 1);
    },
  },
  {
    name: 'delivered messages are gone; failed ones come back at their retry time',
    async run(factory) {
      const outbox = await factory();
      await outbox.enqueue([
        { id: 'ok', topic: 'x', payload: 1, availableAt: t(0).toISOString() },
        { id: 'ko', topic: 'x', payload: 2, availableAt: t(0).toISOString() },
      ]);
      await outbox.claim({ now: t(1), limit: 5, leaseMs: 1000 });
      await outbox.markDelivered(['ok']);
      await outbox.markFailed('ko', t(20).toISOString());
      assert.equal(await outbox.pendingCount(), 1);
      assert.equal((await outbox.claim({ now: t(10), limit: 5, leaseMs: 1000 })).length, 0);
      assert.deepEqual((await outbox.claim({ now: t(20), limit: 5, leaseMs: 1000 })).map((m) => m.id), ['ko']);
    },
  },
];
