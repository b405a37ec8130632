/**
 * Conformance cases for a `LeaseManager`.
 */
import assert from 'node:assert/strict';
import type { LeaseManager } from '../../application/ports/lease.ts';

/** One case of the lease manager conformance suite: run it against a fresh instance from the factory. */
export interface LeaseConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => LeaseManager | Promise<LeaseManager>): Promise<void>;
}

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, seconds));

/** The lease manager conformance suite: every case an implementation must pass (run each in a test). */
export const leaseConformance: readonly LeaseConformanceCase[] = [
  {
    name: 'one holder at a time until the lease expires',
    async run(factory) {
      const leases = await factory();
      assert.equal(await leases.acquire('projection:register', 'worker-a', { now: at(0), ttlMs: 10_000 }), true);
      assert.equal(await leases.acquire('projection:register', 'worker-b', { now: at(5), ttlMs: 10_000 }), false);
      assert.equal(await leases.holder('projection:register', at(5)), 'worker-a');
      assert.equal(await leases.acquire('projection:register', 'worker-b', { now: at(11), ttlMs: 10_000 }), true);
      assert.equal(await leases.holder('projection:register', at(12)), 'worker-b');
    },
  },
  {
    name: 'the holder renews; release frees it; other names are independent',
    async run(factory) {
      const leases = await factory();
      await leases.acquire('a', 'w1', { now: at(0), ttlMs: 10_000 });
      assert.equal(await leases.acquire('a', 'w1', { now: at(8), ttlMs: 10_000 }), true);
      assert.equal(await leases.acquire('a', 'w2', { now: at(12), ttlMs: 10_000 }), false);
      assert.equal(await leases.acquire('b', 'w2', { now: at(12), ttlMs: 10_000 }), true);
      await leases.release('a', 'w2');
      assert.equal(await leases.holder('a', at(12)), 'w1');
      await leases.release('a', 'w1');
      assert.equal(await leases.holder('a', at(12)), undefined);
      assert.equal(await leases.acquire('a', 'w2', { now: at(12), ttlMs: 10_000 }), true);
    },
  },
  {
    name: 'of many concurrent claimants exactly one wins',
    async run(factory) {
      const leases = await factory();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => leases.acquire('race', `w${i}`, { now: at(0), ttlMs: 10_000 })),
      );
      assert.equal(results.filter(Boolean).length, 1);
    },
  },
];
