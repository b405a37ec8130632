/**
 * Filling the new generations of a rebuild. No query reads them before the switch and nothing else
 * writes them (a generation number is never reused, and neither catch-ups nor inline writes touch
 * a generation that is not active), so a projection with a batch form needs no transaction per
 * page: it applies page after page in memory, without reading the store, and writes what it holds —
 * with its checkpoint, in one transaction — when it holds too much, and at the end. Projections
 * without a batch form apply each page in a transaction of its own, as a catch-up does.
 */
import { eventCheckOf, type EventStore, type ProjectionStore, type UpcasterRegistry } from '@misas/core';
import { checkpointOf, generationReader, scopedTransaction, type ReadModelReader } from './generations.ts';
import { applyEventByEvent, applyToBatches, Page, type BatchLane } from './page.ts';
import type { ProjectionBatch } from './projection.ts';
import type { CatchUpResult, Target } from './run-batches.ts';

/** How {@link fillGenerations} runs. */
export interface FillOptions {
  readonly batchSize: number;
  /** Unwritten cases in one projection that trigger a write. */
  readonly pendingCases: number;
  readonly upcasters?: UpcasterRegistry;
  /** Called after each page with the totals so far, one per target. */
  readonly afterPage?: (totals: readonly CatchUpResult[]) => void;
}

/** What the fill keeps about one target. */
interface Lane {
  readonly target: Target;
  readonly handled: ReadonlySet<string>;
  /** The batch that holds the projection's documents across pages, when it has a batch form. */
  readonly batch: ProjectionBatch | undefined;
  /** Where the batch reads back documents it had to forget. */
  readonly reader: ReadModelReader;
  readonly total: { readonly projection: string; processed: number; applied: number; checkpoint: number };
  /** The checkpoint last committed. */
  written: number;
}

/** Fills `targets`' generations (new and empty) from the start of the log to its head. */
export async function fillGenerations(events: EventStore, store: ProjectionStore, targets: readonly Target[], options: FillOptions): Promise<CatchUpResult[]> {
  const lanes: Lane[] = targets.map((target) => ({
    target,
    handled: new Set(target.projection.handles),
    batch: target.projection.openBatch?.({ inline: target.projection.inline === true, fresh: true }),
    reader: generationReader(store, target.generation),
    total: { projection: target.projection.name, processed: 0, applied: 0, checkpoint: 0 },
    written: 0,
  }));
  const eventByEvent = lanes.filter((lane) => lane.batch === undefined);
  let position = 0;
  for (;;) {
    const page = new Page(await events.readAll({ after: position, limit: options.batchSize }), options.upcasters, eventCheckOf(events));
    const last = page.last(position);
    const done = page.records.length < options.batchSize;
    const batchLanes: BatchLane[] = [];
    for (const lane of lanes) {
      if (lane.batch === undefined) continue;
      const inline = lane.target.projection.inline === true;
      batchLanes.push({ batch: lane.batch, handled: lane.handled, inline, source: lane.reader, after: position, tally: lane.total });
    }
    await applyToBatches(page, batchLanes);
    const full = lanes.some((lane) => lane.batch !== undefined && lane.batch.pending >= options.pendingCases);
    const writing = done || full ? lanes : eventByEvent;
    if (writing.length > 0) await writePage(store, writing, page, position, last);
    position = last;
    for (const lane of lanes) lane.total.checkpoint = position;
    options.afterPage?.(lanes.map((lane) => ({ ...lane.total })));
    if (done) return lanes.map((lane) => ({ ...lane.total }));
  }
}

/**
 * One transaction: the page applied to the projections without a batch form, what the batches of
 * the others hold, and every new checkpoint `last`.
 * @throws Error when a generation's checkpoint is not the one this fill last wrote (someone else wrote it)
 */
async function writePage(store: ProjectionStore, lanes: readonly Lane[], page: Page, from: number, last: number): Promise<void> {
  // Relaxed: these generations serve no query before the switch, whose durable commit makes them
  // durable with it; lost to a power failure before that, they are rebuilt, not half-read.
  await store.transaction(async (outer) => {
    for (const lane of lanes) {
      const { projection, generation } = lane.target;
      const tx = scopedTransaction(outer, generation);
      const stored = await tx.checkpoint(projection.name);
      if (stored !== lane.written) throw new Error(`${checkpointOf(generation)} was written by something else while it was being rebuilt`);
      if (lane.batch) {
        await lane.batch.flush(tx);
      } else {
        const selection = page.select(projection, lane.handled, from);
        await applyEventByEvent(projection, tx, selection);
        lane.total.processed += selection.processed;
        lane.total.applied += selection.applied;
      }
      if (last > stored) await tx.saveCheckpoint(projection.name, last);
    }
  }, { durability: 'relaxed' });
  for (const lane of lanes) lane.written = last;
}
