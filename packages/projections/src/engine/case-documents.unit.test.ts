import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryProjectionStore, type ProjectionTransaction } from '@misas/core';
import { writeSorted, type DocumentChange } from './case-documents.ts';

/** A transaction that records the order of the writes reaching it, and passes them on. */
function recording(tx: ProjectionTransaction) {
  const writes: string[] = [];
  const recorded: ProjectionTransaction = {
    ...tx,
    put: (collection, key, value) => {
      writes.push(`put ${collection} ${key}`);
      return tx.put(collection, key, value);
    },
    delete: (collection, key) => {
      writes.push(`delete ${collection} ${key}`);
      return tx.delete(collection, key);
    },
  };
  return { recorded, writes };
}

/** Changes to distinct documents (a flush never changes one document twice), in any order. */
const changes = fc
  .uniqueArray(
    fc.record({
      collection: fc.constantFrom('cases', 'cases-by-fund', 'due', 'a/b', 'A'),
      key: fc.string({ maxLength: 6 }),
      value: fc.option(fc.integer(), { nil: undefined }),
    }),
    { selector: (change) => `${change.collection}\u0000${change.key}`, maxLength: 40 },
  )
  .map((list): DocumentChange[] => list);

function inCollectionThenKeyOrder(a: DocumentChange, b: DocumentChange): number {
  if (a.collection !== b.collection) return a.collection < b.collection ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

describe('writing the changes of a flush', () => {
  it('property: every change is written once, in collection then key order, and the store holds what they say', async () => {
    await fc.assert(
      fc.asyncProperty(changes, async (list) => {
        const store = new InMemoryProjectionStore();
        const seen = await store.transaction(async (tx) => {
          const { recorded, writes } = recording(tx);
          await writeSorted(recorded, list);
          return writes;
        });
        const expected = [...list].sort(inCollectionThenKeyOrder).map((c) => `${c.value === undefined ? 'delete' : 'put'} ${c.collection} ${c.key}`);
        expect(seen).toEqual(expected);
        for (const change of list) expect(await store.get(change.collection, change.key)).toEqual(change.value);
      }),
    );
  });
});
