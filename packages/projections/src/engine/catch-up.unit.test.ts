import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInMemoryStorage, VirtualClock, type CaseEvent, type MisasStorage } from '@misas/core';
import { conformanceEvents } from '@misas/core/testing';
import { catchUp, checkpointOfProjection, lagOf } from './catch-up.ts';
import { readModel } from './generations.ts';
import { rebuild } from './rebuild.ts';
import type { Projection } from './projection.ts';
import { ProjectionWorker } from './projection-worker.ts';

/** Counts time-log events per case; optionally crashes on one position. */
function timeCounter(crashAt?: { position: number; once: boolean }): Projection {
  let crashed = false;
  return {
    name: 'time-counter',
    handles: ['TimeSpentLogged'],
    collections: ['time'],
    async apply(event: CaseEvent, tx, position) {
      if (crashAt && position === crashAt.position && !(crashAt.once && crashed)) {
        crashed = true;
        throw new Error(`crash at ${position}`);
      }
      const key = event.meta.caseId;
      const current = ((await tx.get('time', key)) as number | undefined) ?? 0;
      await tx.put('time', key, current + 1);
    },
  };
}

/** Appends `count` TimeSpentLogged events spread over a few cases. */
async function seed(storage: MisasStorage, count: number, streams = 3): Promise<void> {
  const versions = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const streamId = `case-${i % streams}`;
    const version = versions.get(streamId) ?? 0;
    const [event] = conformanceEvents(streamId, `cmd-${i}`, version, 1, () => ({ minutes: 5, activity: 'follow-up' }));
    await storage.events.append({ streamId, expectedVersion: version, commandId: `cmd-${i}`, events: [{ ...event!, type: 'TimeSpentLogged', meta: { ...event!.meta, schemaVersion: 2 } }] });
    versions.set(streamId, version + 1);
  }
}

async function counts(storage: MisasStorage) {
  return Object.fromEntries((await readModel(storage.projections, 'time-counter').list('time')).map((d) => [d.key, d.value]));
}

describe('catching a projection up', () => {
  it('given a log, when caught up in small batches, then it applies every event once and checkpoints at the head', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 25);
    const result = await catchUp(storage.events, storage.projections, timeCounter(), { batchSize: 4 });
    expect(result).toEqual({ projection: 'time-counter', processed: 25, applied: 25, checkpoint: 25 });
    expect(await counts(storage)).toEqual({ 'case-0': 9, 'case-1': 8, 'case-2': 8 });
    expect(await lagOf(storage.events, storage.projections, 'time-counter')).toBe(0);
  });

  it('lag says how far behind the head a projection is', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 10);
    expect(await lagOf(storage.events, storage.projections, 'time-counter')).toBe(10);
    await catchUp(storage.events, storage.projections, timeCounter(), { batchSize: 3, maxBatches: 2 });
    expect(await lagOf(storage.events, storage.projections, 'time-counter')).toBe(4);
  });

  it('a crash mid-batch rolls the batch back; the restart applies each event exactly once', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 20);
    await expect(catchUp(storage.events, storage.projections, timeCounter({ position: 11, once: true }), { batchSize: 4 })).rejects.toThrow('crash at 11');
    expect(await checkpointOfProjection(storage.projections, 'time-counter')).toBe(8);
    const resumed = await catchUp(storage.events, storage.projections, timeCounter(), { batchSize: 4 });
    expect(resumed.processed).toBe(12);
    expect(await counts(storage)).toEqual({ 'case-0': 7, 'case-1': 7, 'case-2': 6 });
  });

  it('property: for any log, batch size and crash point, crash-and-restart equals a build from zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 45 }), async (events, batchSize, crashPosition) => {
        const reference = createInMemoryStorage();
        await seed(reference, events);
        await catchUp(reference.events, reference.projections, timeCounter());

        const storage = createInMemoryStorage();
        await seed(storage, events);
        await catchUp(storage.events, storage.projections, timeCounter({ position: crashPosition, once: true }), { batchSize }).catch(() => undefined);
        await catchUp(storage.events, storage.projections, timeCounter(), { batchSize });
        expect(await counts(storage)).toEqual(await counts(reference));
        expect(await checkpointOfProjection(storage.projections, 'time-counter')).toBe(events);
      }),
      { numRuns: 60 },
    );
  });
});

describe('projection workers', () => {
  it('two workers never both run the same projection; the standby takes over when the lease expires', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 10);
    const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
    const first = new ProjectionWorker(storage, [timeCounter()], { owner: 'worker-a', clock, leaseMs: 10_000 });
    const second = new ProjectionWorker(storage, [timeCounter()], { owner: 'worker-b', clock, leaseMs: 10_000 });
    expect((await first.runOnce()).map((r) => r.processed)).toEqual([10]);
    await seed(storage, 0);
    expect(await second.runOnce()).toEqual([]);
    clock.advance({ seconds: 11 });
    expect(await second.runOnce()).toHaveLength(1);
    await second.stop();
    expect(await first.runOnce()).toHaveLength(1);
    expect(await counts(storage)).toEqual({ 'case-0': 4, 'case-1': 3, 'case-2': 3 });
  });
});

describe('rebuilding', () => {
  it('given a live projection, a rebuild fills a new generation while the old one serves, then switches and drops the old', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 12);
    await catchUp(storage.events, storage.projections, timeCounter());
    const reader = readModel(storage.projections, 'time-counter');
    const before = await counts(storage);

    const seenDuringRebuild: unknown[] = [];
    const result = await rebuild(storage.events, storage.projections, timeCounter(), {
      batchSize: 5,
      onProgress: () => {
        seenDuringRebuild.push(undefined);
      },
    });
    expect(seenDuringRebuild.length).toBeGreaterThan(1);
    expect(result).toMatchObject({ generation: 2, processed: 12, checkpoint: 12 });
    expect(await counts(storage)).toEqual(before);
    expect(await storage.projections.list('time-counter@1/time')).toEqual([]);
    expect((await reader.list('time')).length).toBe(3);
  });

  it('the old generation answers queries until the switch', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 6);
    await catchUp(storage.events, storage.projections, timeCounter());
    // A rebuild that crashes half-way never becomes active.
    await expect(rebuild(storage.events, storage.projections, timeCounter({ position: 4, once: false }), { batchSize: 2 })).rejects.toThrow('crash at 4');
    expect(await counts(storage)).toEqual({ 'case-0': 2, 'case-1': 2, 'case-2': 2 });
    const second = await rebuild(storage.events, storage.projections, timeCounter());
    expect(second.generation).toBe(3);
    expect(await counts(storage)).toEqual({ 'case-0': 2, 'case-1': 2, 'case-2': 2 });
  });
});

describe('following the log', () => {
  it('a worker that follows the log picks up events appended after it started, then stops when told', async () => {
    const storage = createInMemoryStorage();
    await seed(storage, 4);
    const worker = new ProjectionWorker(storage, [timeCounter()], { owner: 'follower', clock: new VirtualClock('2026-01-05T09:00:00.000Z') });
    const controller = new AbortController();
    let passes = 0;
    const following = worker.follow({
      signal: controller.signal,
      idleMs: 1,
      onPass: () => {
        passes++;
      },
    });
    while ((await lagOf(storage.events, storage.projections, 'time-counter')) > 0) await new Promise((r) => setTimeout(r, 2));
    // New events arrive while it follows.
    const versions = new Map([['case-0', 2], ['case-1', 1], ['case-2', 1]]);
    for (const [streamId, version] of versions) {
      const [event] = conformanceEvents(streamId, `late-${streamId}`, version, 1, () => ({ minutes: 1, activity: 'follow-up' }));
      await storage.events.append({ streamId, expectedVersion: version, commandId: `late-${streamId}`, events: [{ ...event!, type: 'TimeSpentLogged', meta: { ...event!.meta, schemaVersion: 2 } }] });
    }
    while ((await lagOf(storage.events, storage.projections, 'time-counter')) > 0) await new Promise((r) => setTimeout(r, 2));
    controller.abort();
    await following;
    expect(passes).toBeGreaterThan(1);
    expect(await counts(storage)).toEqual({ 'case-0': 3, 'case-1': 2, 'case-2': 2 });
    expect(await storage.leases.holder('projection:time-counter', new Date('2026-01-05T09:00:00.000Z'))).toBeUndefined();
  });
});
