import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInMemoryStorage, type CaseEvent, type JsonValue, type MisasStorage, type ProjectionTransaction } from '@misas/core';
import { conformanceEvents } from '@misas/core/testing';
import { caseProjection } from './case-projection.ts';
import { catchUp, catchUpAll } from './catch-up.ts';
import { readModel } from './generations.ts';
import type { Projection } from './projection.ts';
import { rebuild, rebuildAll } from './rebuild.ts';

/**
 * Minutes per case, indexed by parity; a case whose total reaches a multiple of 7 is dropped (its
 * documents deleted), so that creation, change, index moves and deletion all happen.
 */
function minutesByCase(options: { readonly cachedCases?: number } = {}): Projection {
  return caseProjection<{ readonly minutes: number }>(
    {
      name: 'minutes-by-case',
      handles: ['TimeSpentLogged'],
      collections: ['minutes', 'by-parity'],
      async load(source, caseId) {
        const stored = await source.get('minutes', caseId);
        return typeof stored === 'number' ? { minutes: stored } : undefined;
      },
      evolve(state, event) {
        if (event.type !== 'TimeSpentLogged') return state;
        const minutes = (state?.minutes ?? 0) + event.data.minutes;
        return minutes % 7 === 0 ? undefined : { minutes };
      },
      documents: (caseId, { minutes }) => [
        { collection: 'minutes', key: caseId, value: minutes },
        { collection: 'by-parity', key: `${minutes % 2 === 0 ? 'even' : 'odd'}/${caseId}`, value: { caseId } },
      ],
    },
    options,
  );
}

/** Minutes per case kept in a state changed in place by batches: `{ minutes: { total } }`, nested on purpose. */
function minutesInPlace(): Projection {
  type State = { minutes: { total: number } };
  const own = (state: State): State => ({ minutes: { ...state.minutes } });
  const evolveInPlace = (working: State | undefined, event: CaseEvent): State | undefined => {
    if (event.type !== 'TimeSpentLogged') return working;
    const state = working ?? { minutes: { total: 0 } };
    state.minutes.total += event.data.minutes;
    return state;
  };
  return caseProjection<State>({
    name: 'minutes-in-place',
    handles: ['TimeSpentLogged'],
    collections: ['minutes'],
    async load(source, caseId) {
      const stored = await source.get('minutes', caseId);
      return typeof stored === 'number' ? { minutes: { total: stored } } : undefined;
    },
    evolve: (state, event) => evolveInPlace(state === undefined ? undefined : own(state), event),
    inPlace: { own, evolve: evolveInPlace },
    // The document is the state's own nested object: a batch changing it after the write would show.
    documents: (caseId, state) => [{ collection: 'minutes', key: caseId, value: state.minutes.total }, { collection: 'totals', key: caseId, value: state.minutes }],
  });
}

/** The same projection, applied event by event: what the batch form must agree with. */
function eventByEvent(projection: Projection): Projection {
  return { name: projection.name, handles: projection.handles, collections: projection.collections, apply: projection.apply };
}

async function seed(storage: MisasStorage, minutes: readonly number[], streams = 4): Promise<void> {
  const versions = new Map<string, number>();
  for (const [i, spent] of minutes.entries()) {
    const streamId = `case-${i % streams}`;
    const version = versions.get(streamId) ?? 0;
    const [event] = conformanceEvents(streamId, `cmd-${i}`, version, 1, () => ({ minutes: spent, activity: 'follow-up' }));
    if (event === undefined) throw new Error('no event');
    await storage.events.append({ streamId, expectedVersion: version, commandId: `cmd-${i}`, events: [{ ...event, type: 'TimeSpentLogged', meta: { ...event.meta, schemaVersion: 2 } }] });
    versions.set(streamId, version + 1);
  }
}

async function documents(storage: MisasStorage) {
  const reader = readModel(storage.projections, 'minutes-by-case');
  return { minutes: await reader.list('minutes'), byParity: await reader.list('by-parity') };
}

describe('case projections', () => {
  it('property: in batches, incrementally or rebuilt, they store what event-by-event application stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), async (minutes, batchSize, pendingCases) => {
        const reference = createInMemoryStorage();
        await seed(reference, minutes);
        await catchUp(reference.events, reference.projections, eventByEvent(minutesByCase()), { batchSize: 1 });

        const batched = createInMemoryStorage();
        await seed(batched, minutes);
        await catchUp(batched.events, batched.projections, minutesByCase(), { batchSize });
        expect(await documents(batched)).toEqual(await documents(reference));

        await rebuild(batched.events, batched.projections, minutesByCase({ cachedCases: 2 }), { batchSize, pendingCases });
        expect(await documents(batched)).toEqual(await documents(reference));
      }),
      { numRuns: 80 },
    );
  });

  it('property: a projection that evolves in place never changes a document once written, and stores what event-by-event application stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 9 }), async (minutes, batchSize) => {
        const reference = createInMemoryStorage();
        await seed(reference, minutes);
        await catchUp(reference.events, reference.projections, eventByEvent(minutesInPlace()), { batchSize: 1 });

        const storage = createInMemoryStorage();
        await seed(storage, minutes);
        // Every value written, as written: the store is handed a copy (which it freezes), so a
        // batch that changed a written state later would change these, unseen by the store.
        const written: { readonly value: JsonValue; readonly json: string }[] = [];
        const store = storage.projections;
        const watching = {
          transaction: <T>(work: (tx: ProjectionTransaction) => Promise<T>) =>
            store.transaction((tx) =>
              work({
                ...tx,
                put: (collection, key, value) => {
                  written.push({ value, json: JSON.stringify(value) });
                  return tx.put(collection, key, structuredClone(value));
                },
              }),
            ),
          get: store.get.bind(store),
          list: store.list.bind(store),
          checkpoint: store.checkpoint.bind(store),
        };
        await catchUp(storage.events, watching, minutesInPlace(), { batchSize });
        await rebuild(storage.events, watching, minutesInPlace(), { batchSize, pendingCases: 1 });
        for (const { value, json } of written) expect(JSON.stringify(value)).toBe(json);
        const reader = (s: MisasStorage) => readModel(s.projections, 'minutes-in-place');
        expect(await reader(storage).list('minutes')).toEqual(await reader(reference).list('minutes'));
        expect(await reader(storage).list('totals')).toEqual(await reader(reference).list('totals'));
      }),
      { numRuns: 60 },
    );
  });

  it('given a batch, when flushed, then each document that changed is written once and the others not at all', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [1, 1, 1, 1, 1, 1, 1, 1]);
    await catchUp(storage.events, storage.projections, minutesByCase(), { batchSize: 4 });
    const writes: string[] = [];
    const store = storage.projections;
    const spy = {
      ...store,
      transaction: <T>(work: (tx: ProjectionTransaction) => Promise<T>) =>
        store.transaction((tx) =>
          work({
            ...tx,
            put: (collection, key, value) => {
              writes.push(`put ${collection}/${key}`);
              return tx.put(collection, key, value);
            },
            delete: (collection, key) => {
              writes.push(`delete ${collection}/${key}`);
              return tx.delete(collection, key);
            },
          }),
        ),
      get: store.get.bind(store),
      list: store.list.bind(store),
      checkpoint: store.checkpoint.bind(store),
    };
    // Case 0 gets 2 + 2 minutes (2 → 4: stays even), case 1 gets 1 (2 → 3: moves to odd).
    await storage.events.append({
      streamId: 'case-0',
      expectedVersion: 2,
      commandId: 'more-0',
      events: conformanceEvents('case-0', 'more-0', 2, 2, () => ({ minutes: 1, activity: 'follow-up' })).map((event) => ({ ...event, type: 'TimeSpentLogged', meta: { ...event.meta, schemaVersion: 2 } })),
    });
    await storage.events.append({
      streamId: 'case-1',
      expectedVersion: 2,
      commandId: 'more-1',
      events: conformanceEvents('case-1', 'more-1', 2, 1, () => ({ minutes: 1, activity: 'follow-up' })).map((event) => ({ ...event, type: 'TimeSpentLogged', meta: { ...event.meta, schemaVersion: 2 } })),
    });
    await catchUp(storage.events, spy, minutesByCase(), { batchSize: 10 });
    expect(writes.sort()).toEqual([
      'delete minutes-by-case@1/by-parity/even/case-1',
      'put minutes-by-case@1/by-parity/odd/case-1',
      'put minutes-by-case@1/minutes/case-0',
      'put minutes-by-case@1/minutes/case-1',
    ]);
  });

  it('given an inline projection, a batch skips the versions the inline path applied and records the new ones', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [2, 2, 2], 1);
    const inline: Projection = { ...minutesByCase(), inline: true };
    // The inline path applied version 1 already (as an append with inline projections would have).
    await storage.projections.transaction(async (tx) => {
      await tx.put('minutes-by-case@1/minutes', 'case-0', 2);
      await tx.put('minutes-by-case@1/by-parity', 'even/case-0', { caseId: 'case-0' });
      await tx.put('minutes-by-case@1/misas:case-versions', 'case-0', 1);
    });
    await catchUp(storage.events, storage.projections, inline);
    expect(await storage.projections.get('minutes-by-case@1/minutes', 'case-0')).toBe(6);
    expect(await storage.projections.get('minutes-by-case@1/misas:case-versions', 'case-0')).toBe(3);
  });

  it('given several projections at different checkpoints, catchUpAll brings each to the head once', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [1, 2, 3, 4, 5, 6]);
    const other: Projection = { ...eventByEvent(minutesByCase()), name: 'other' };
    await catchUp(storage.events, storage.projections, minutesByCase(), { batchSize: 2, maxBatches: 2 });
    const results = await catchUpAll(storage.events, storage.projections, [minutesByCase(), other], { batchSize: 4 });
    expect(results.map(({ projection, processed, checkpoint }) => ({ projection, processed, checkpoint }))).toEqual([
      { projection: 'minutes-by-case', processed: 2, checkpoint: 6 },
      { projection: 'other', processed: 6, checkpoint: 6 },
    ]);
    const reader = (name: string) => readModel(storage.projections, name).list('minutes');
    expect(await reader('other')).toEqual(await reader('minutes-by-case'));
  });

  it('given one failing projection, catchUpAll rolls the batch back for all of them', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [1, 2, 3]);
    const failing: Projection = { name: 'failing', handles: ['TimeSpentLogged'], collections: [], apply: async () => Promise.reject(new Error('broken')) };
    await expect(catchUpAll(storage.events, storage.projections, [minutesByCase(), failing])).rejects.toThrow('broken');
    expect(await storage.projections.checkpoint('minutes-by-case@1')).toBe(0);
    expect(await readModel(storage.projections, 'minutes-by-case').list('minutes')).toEqual([]);
  });

  it('rebuildAll switches every projection to its new generation together and drops the old ones', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [1, 2, 3, 4]);
    const other = (): Projection => ({ ...minutesByCase(), name: 'other' });
    await catchUpAll(storage.events, storage.projections, [minutesByCase(), other()]);
    const before = await documents(storage);
    const results = await rebuildAll(storage.events, storage.projections, [minutesByCase(), other()]);
    expect(results.map(({ projection, generation, processed }) => ({ projection, generation, processed }))).toEqual([
      { projection: 'minutes-by-case', generation: 2, processed: 4 },
      { projection: 'other', generation: 2, processed: 4 },
    ]);
    expect(await documents(storage)).toEqual(before);
    expect(await storage.projections.list('minutes-by-case@1/minutes')).toEqual([]);
    expect(await storage.projections.list('other@1/minutes')).toEqual([]);
  });

  it('a rebuild refuses to go on when something else wrote its new generation', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [1, 2, 3, 4, 5, 6]);
    const projections = storage.projections;
    let meddled = false;
    await expect(
      rebuild(storage.events, projections, minutesByCase(), {
        batchSize: 2,
        pendingCases: 1,
        onProgress: () => {
          if (meddled) return;
          meddled = true;
          void projections.transaction((tx) => tx.saveCheckpoint('minutes-by-case@2', 99));
        },
      }),
    ).rejects.toThrow('minutes-by-case@2 was written by something else');
    expect(await readModel(projections, 'minutes-by-case').list('minutes')).toEqual([]);
  });

  it('given the same projection twice, catchUpAll and rebuildAll refuse before touching anything', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, [1, 2]);
    await expect(catchUpAll(storage.events, storage.projections, [minutesByCase(), minutesByCase()])).rejects.toThrow("projection 'minutes-by-case' is given twice");
    await expect(rebuildAll(storage.events, storage.projections, [minutesByCase(), minutesByCase()])).rejects.toThrow('given twice');
    expect(await storage.projections.get('misas:projections', 'minutes-by-case')).toBeUndefined();
  });
});
