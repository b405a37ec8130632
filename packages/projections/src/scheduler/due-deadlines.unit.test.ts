import type { ListOptions, ReadModelDocument } from '@misas/core';
import { describe, expect, it } from 'vitest';
import { deadlineKey, dueDeadlines, type Deadline } from './deadlines.ts';

/** The `due` collection as a store lists it: keys in order, `after` exclusive; counts the documents read. */
function dueCollection(deadlines: readonly Deadline[]) {
  const documents = deadlines.map((deadline) => ({ key: deadlineKey(deadline), value: deadline })).sort((a, b) => (a.key < b.key ? -1 : 1));
  const reader = {
    read: 0,
    async list(_collection: string, options: ListOptions = {}): Promise<readonly ReadModelDocument[]> {
      const from = options.after === undefined ? documents : documents.filter((document) => document.key > (options.after ?? ''));
      const page = from.slice(0, options.limit ?? from.length);
      reader.read += page.length;
      return page;
    },
  };
  return reader;
}

const deadline = (day: number, caseNumber: number): Deadline => ({ caseId: `case-${String(caseNumber).padStart(3, '0')}`, kind: 'first-contact', dueOn: `2026-03-${String(day).padStart(2, '0')}` });

describe('dueDeadlines', () => {
  it('given 120 deadlines due and 300 not yet, when listed, then every due one comes back, across pages, and few of the others are read', async () => {
    const due = Array.from({ length: 120 }, (_, i) => deadline(1 + (i % 10), i));
    const later = Array.from({ length: 300 }, (_, i) => deadline(11 + (i % 15), 500 + i));
    const reader = dueCollection([...later, ...due]);

    const found = await dueDeadlines(reader, new Date('2026-03-10T06:00:00Z'));

    expect(found).toHaveLength(120);
    expect(found.every((d) => d.dueOn <= '2026-03-10')).toBe(true);
    expect(found.map(deadlineKey)).toEqual([...found.map(deadlineKey)].sort());
    // Stopped at the first page past the due ones, not the 420 documents.
    expect(reader.read).toBeLessThanOrEqual(120 + 64);
  });

  it('given none due and 300 later, when listed, then nothing comes back and only the first small page is read', async () => {
    const reader = dueCollection(Array.from({ length: 300 }, (_, i) => deadline(11 + (i % 15), i)));
    const found = await dueDeadlines(reader, new Date('2026-03-10T06:00:00Z'));
    expect(found).toEqual([]);
    expect(reader.read).toBeLessThanOrEqual(4);
  });

  it('given 3 due among 300, when listed, then the 3 come back and fewer than 10 documents are read', async () => {
    const due = [deadline(1, 1), deadline(2, 2), deadline(3, 3)];
    const reader = dueCollection([...due, ...Array.from({ length: 300 }, (_, i) => deadline(11 + (i % 15), 100 + i))]);
    const found = await dueDeadlines(reader, new Date('2026-03-10T06:00:00Z'));
    expect(found).toEqual(due);
    expect(reader.read).toBeLessThan(10);
  });

  it('given a limit, then at most that many come back, the oldest first', async () => {
    const reader = dueCollection(Array.from({ length: 80 }, (_, i) => deadline(1 + (i % 5), i)));
    const found = await dueDeadlines(reader, new Date('2026-03-31T06:00:00Z'), 60);
    expect(found).toHaveLength(60);
    expect(found.map(deadlineKey)).toEqual([...new Set(found.map(deadlineKey))].sort());
    expect(found[0]?.dueOn).toBe('2026-03-01');
  });
});
