import { describe, expect, it } from 'vitest';
import { InMemoryProjectionStore } from './memory-projection-store.ts';

describe('the in-memory projection store', () => {
  it('given a document put, when it is changed afterwards, then the change throws and the store keeps what was put', async () => {
    const store = new InMemoryProjectionStore();
    const document = { status: 'triage', reasons: ['rights-access'], dates: { closedAt: null } };
    await store.transaction(async (tx) => tx.put('cases', 'c1', document));
    expect(() => {
      document.reasons.push('care-access');
    }).toThrow(TypeError);
    expect(() => {
      document.status = 'closed';
    }).toThrow(TypeError);
    expect(await store.get('cases', 'c1')).toEqual({ status: 'triage', reasons: ['rights-access'], dates: { closedAt: null } });
  });

  it('hands back the document it holds, frozen, rather than a copy', async () => {
    const store = new InMemoryProjectionStore();
    await store.transaction(async (tx) => tx.put('cases', 'c1', { nested: { n: 1 } }));
    const first = await store.get('cases', 'c1');
    expect(first).toBe(await store.get('cases', 'c1'));
    expect(Object.isFrozen(first)).toBe(true);
    expect((await store.list('cases'))[0]?.value).toBe(first);
  });

  it('given a transaction that reads its own writes over committed documents, then it sees staged puts, deletes and clears', async () => {
    const store = new InMemoryProjectionStore();
    await store.transaction(async (tx) => {
      await tx.put('docs', 'a', 1);
      await tx.put('docs', 'b', 2);
    });
    await store.transaction(async (tx) => {
      await tx.delete('docs', 'a');
      await tx.put('docs', 'c', 3);
      expect(await tx.get('docs', 'a')).toBeUndefined();
      expect(await tx.get('docs', 'b')).toBe(2);
      expect((await tx.list('docs')).map((d) => d.key)).toEqual(['b', 'c']);
      expect((await tx.list('docs', { after: 'b', limit: 1 })).map((d) => d.key)).toEqual(['c']);
      await tx.clear('docs');
      expect(await tx.get('docs', 'b')).toBeUndefined();
      await tx.put('docs', 'd', 4);
      expect(await tx.list('docs')).toEqual([{ key: 'd', value: 4 }]);
      // Committed documents stay as they were until the commit.
      expect(await store.list('docs')).toEqual([
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ]);
    });
    expect(await store.list('docs')).toEqual([{ key: 'd', value: 4 }]);
  });
});
