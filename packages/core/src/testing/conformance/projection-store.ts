/**
 * Conformance cases for a `ProjectionStore`: transactions are all-or-nothing, checkpoints move
 * with the documents, lists come in key order.
 */
import assert from 'node:assert/strict';
import type { ProjectionStore } from '../../application/ports/projection-store.ts';

/** One case of the projection store conformance suite: run it against a fresh instance from the factory. */
export interface ProjectionStoreConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => ProjectionStore | Promise<ProjectionStore>): Promise<void>;
}

/** The projection store conformance suite: every case an implementation must pass (run each in a test). */
export const projectionStoreConformance: readonly ProjectionStoreConformanceCase[] = [
  {
    name: 'commits documents and checkpoint together',
    async run(factory) {
      const store = await factory();
      assert.equal(await store.checkpoint('register'), 0);
      await store.transaction(async (tx) => {
        await tx.put('cases', 'c1', { status: 'triage', reasons: ['rights-access'] });
        assert.deepEqual(await tx.get('cases', 'c1'), { status: 'triage', reasons: ['rights-access'] });
        await tx.saveCheckpoint('register', 7);
        assert.equal(await tx.checkpoint('register'), 7);
      });
      assert.deepEqual(await store.get('cases', 'c1'), { status: 'triage', reasons: ['rights-access'] });
      assert.equal(await store.checkpoint('register'), 7);
    },
  },
  {
    name: 'a transaction that throws leaves nothing behind, checkpoint included',
    async run(factory) {
      const store = await factory();
      await store.transaction(async (tx) => {
        await tx.put('cases', 'kept', { n: 1 });
        await tx.saveCheckpoint('p', 1);
      });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.put('cases', 'lost', { n: 2 });
          await tx.delete('cases', 'kept');
          await tx.saveCheckpoint('p', 2);
          throw new Error('projection crashed');
        }),
        /projection crashed/,
      );
      assert.equal(await store.get('cases', 'lost'), undefined);
      assert.deepEqual(await store.get('cases', 'kept'), { n: 1 });
      assert.equal(await store.checkpoint('p'), 1);
    },
  },
  {
    name: 'deletes, clears and lists in key order with prefix, after and limit',
    async run(factory) {
      const store = await factory();
      await store.transaction(async (tx) => {
        for (const key of ['b', 'a', 'c:2', 'c:1', 'd']) await tx.put('docs', key, { key });
        await tx.put('other', 'x', 1);
        await tx.delete('docs', 'd');
      });
      assert.deepEqual((await store.list('docs')).map((d) => d.key), ['a', 'b', 'c:1', 'c:2']);
      assert.deepEqual((await store.list('docs', { prefix: 'c:' })).map((d) => d.key), ['c:1', 'c:2']);
      assert.deepEqual((await store.list('docs', { after: 'a', limit: 2 })).map((d) => d.key), ['b', 'c:1']);
      await store.transaction(async (tx) => {
        await tx.clear('docs');
        await tx.put('docs', 'z', 26);
        assert.deepEqual((await tx.list('docs')).map((d) => d.key), ['z']);
      });
      assert.deepEqual(await store.list('docs'), [{ key: 'z', value: 26 }]);
      assert.deepEqual(await store.list('other'), [{ key: 'x', value: 1 }]);
    },
  },
  {
    name: 'concurrent transactions do not lose each other’s increments',
    async run(factory) {
      const store = await factory();
      const increment = () =>
        store.transaction(async (tx) => {
          const current = ((await tx.get('counters', 'n')) as number | undefined) ?? 0;
          await tx.put('counters', 'n', current + 1);
        });
      await Promise.all(Array.from({ length: 10 }, increment));
      assert.equal(await store.get('counters', 'n'), 10);
    },
  },
  {
    name: 'concurrent transactions that read then move a checkpoint are serialised (no event applied twice)',
    async run(factory) {
      const store = await factory();
      const advance = () =>
        store.transaction(async (tx) => {
          const from = await tx.checkpoint('p');
          await tx.put('applied', String(from + 1), { by: from });
          await tx.saveCheckpoint('p', from + 1);
        });
      await Promise.all(Array.from({ length: 10 }, advance));
      assert.equal(await store.checkpoint('p'), 10);
      assert.equal((await store.list('applied')).length, 10);
    },
  },
];
