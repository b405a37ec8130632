import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryProjectionStore, type JsonValue, type ProjectionTransaction } from '@misas/core';
import { cachedTransaction } from './document-cache.ts';

/** A transaction that counts what reaches the store. */
function counting(tx: ProjectionTransaction) {
  const counts = { get: 0, put: 0, delete: 0 };
  const counted: ProjectionTransaction = {
    ...tx,
    get: (collection, key) => {
      counts.get++;
      return tx.get(collection, key);
    },
    put: (collection, key, value) => {
      counts.put++;
      return tx.put(collection, key, value);
    },
    delete: (collection, key) => {
      counts.delete++;
      return tx.delete(collection, key);
    },
  };
  return { counted, counts };
}

async function everything(store: InMemoryProjectionStore, collections: readonly string[]) {
  const result: Record<string, unknown> = {};
  for (const collection of collections) result[collection] = await store.list(collection);
  return result;
}

describe('the write-back document cache', () => {
  it('given reads and writes of the same documents, when flushed, then the store was read once and written once per document', async () => {
    const store = new InMemoryProjectionStore();
    await store.transaction(async (tx) => tx.put('counts', 'a', 1));
    await store.transaction(async (tx) => {
      const { counted, counts } = counting(tx);
      const cache = cachedTransaction(counted);
      for (let i = 0; i < 10; i++) {
        const current = (await cache.tx.get('counts', 'a')) as number;
        await cache.tx.put('counts', 'a', current + 1);
      }
      await cache.tx.put('counts', 'b', 1);
      await cache.tx.delete('counts', 'b');
      expect(counts).toEqual({ get: 1, put: 0, delete: 0 });
      await cache.flush();
      expect(counts).toEqual({ get: 1, put: 1, delete: 1 });
      await cache.flush();
      expect(counts).toEqual({ get: 1, put: 1, delete: 1 });
    });
    expect(await store.get('counts', 'a')).toBe(11);
    expect(await store.get('counts', 'b')).toBeUndefined();
  });

  it('given unflushed writes, when listing, then the list sees them', async () => {
    const store = new InMemoryProjectionStore();
    await store.transaction(async (tx) => {
      const cache = cachedTransaction(tx);
      await cache.tx.put('docs', 'b', 2);
      await cache.tx.put('docs', 'a', 1);
      expect(await cache.tx.list('docs')).toEqual([
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ]);
    });
  });

  it('given writes before a clear, when flushed, then only what came after the clear is stored', async () => {
    const store = new InMemoryProjectionStore();
    await store.transaction(async (tx) => tx.put('docs', 'old', 0));
    await store.transaction(async (tx) => {
      const cache = cachedTransaction(tx);
      await cache.tx.put('docs', 'before', 1);
      await cache.tx.clear('docs');
      expect(await cache.tx.get('docs', 'old')).toBeUndefined();
      await cache.tx.put('docs', 'after', 2);
      await cache.flush();
    });
    expect(await store.list('docs')).toEqual([{ key: 'after', value: 2 }]);
  });

  it('property: any sequence of operations stores what it stores without the cache', async () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const collection = fc.constantFrom('x', 'y');
    const operation = fc.oneof(
      fc.record({ op: fc.constant('put' as const), collection, key, value: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ op: fc.constant('delete' as const), collection, key }),
      fc.record({ op: fc.constant('get' as const), collection, key }),
      fc.record({ op: fc.constant('list' as const), collection }),
      fc.record({ op: fc.constant('clear' as const), collection }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 30 }), async (operations) => {
        const run = async (withCache: boolean) => {
          const store = new InMemoryProjectionStore();
          await store.transaction(async (tx) => {
            await tx.put('x', 'a', 100);
            await tx.put('y', 'c', 200);
          });
          const seen: unknown[] = [];
          await store.transaction(async (tx) => {
            const cache = cachedTransaction(tx);
            const target = withCache ? cache.tx : tx;
            for (const step of operations) {
              if (step.op === 'put') await target.put(step.collection, step.key, step.value);
              else if (step.op === 'delete') await target.delete(step.collection, step.key);
              else if (step.op === 'get') seen.push(await target.get(step.collection, step.key));
              else if (step.op === 'list') seen.push(await target.list(step.collection));
              else await target.clear(step.collection);
            }
            await cache.flush();
          });
          return { seen, stored: await everything(store, ['x', 'y']) };
        };
        expect(await run(true)).toEqual(await run(false));
      }),
      { numRuns: 200 },
    );
  });

  it('hands back the document it was given, not a copy: projections treat documents as values', async () => {
    const store = new InMemoryProjectionStore();
    await store.transaction(async (tx) => {
      const cache = cachedTransaction(tx);
      const document: JsonValue = { n: 1 };
      await cache.tx.put('docs', 'a', document);
      expect(await cache.tx.get('docs', 'a')).toBe(document);
    });
  });
});
