/**
 * The catch-up loop shared by `catchUp`, `catchUpAll` and the end of a rebuild: page after page,
 * one transaction per page in which every projection's checkpoint is read, its events applied and
 * its new checkpoint saved. Projections at different checkpoints share the read: the page starts
 * after the lowest one and each projection skips what it has seen.
 */
import { eventCheckOf, type EventStore, type ProjectionStore, type ProjectionTransaction, type UpcasterRegistry } from '@misas/core';
import { checkpointOf, scopedTransaction, type Generation } from './generations.ts';
import { applyEventByEvent, applyToBatches, Page, type BatchLane } from './page.ts';
import type { Projection } from './projection.ts';

/** A projection, and the generation it writes. */
export interface Target {
  readonly projection: Projection;
  readonly generation: Generation;
}

/** What a catch-up did to one projection. */
export interface CatchUpResult {
  readonly projection: string;
  /** Events after its checkpoint that it went through. */
  readonly processed: number;
  /** Of those, the events it handles. */
  readonly applied: number;
  readonly checkpoint: number;
}

/** How {@link runBatches} runs (see `CatchUpOptions`). */
export interface RunOptions {
  readonly batchSize: number;
  readonly maxBatches?: number;
  readonly upcasters?: UpcasterRegistry;
  readonly beforeBatch?: () => Promise<boolean>;
}

/** What the loop keeps about one target between batches. */
interface Lane {
  readonly target: Target;
  readonly handled: ReadonlySet<string>;
  readonly total: { readonly projection: string; processed: number; applied: number; checkpoint: number };
}

/** One target within one batch's transaction. */
interface Scoped {
  readonly lane: Lane;
  readonly tx: ProjectionTransaction;
  readonly checkpoint: number;
}

/**
 * Applies one page to every target through its scoped transaction and saves the new checkpoints:
 * the projections with a batch form in one pass over the page, the others event by event.
 */
async function applyPage(scoped: readonly Scoped[], page: Page): Promise<void> {
  const batches: { readonly entry: Scoped; readonly lane: BatchLane }[] = [];
  for (const entry of scoped) {
    const { projection } = entry.lane.target;
    const inline = projection.inline === true;
    const batch = projection.openBatch?.({ inline, fresh: false });
    if (batch === undefined) continue;
    batches.push({ entry, lane: { batch, handled: entry.lane.handled, inline, source: entry.tx, after: entry.checkpoint, tally: { processed: 0, applied: 0 } } });
  }
  await applyToBatches(page, batches.map(({ lane }) => lane));
  for (const { entry, lane } of batches) {
    await lane.batch.flush(entry.tx);
    entry.lane.total.processed += lane.tally.processed;
    entry.lane.total.applied += lane.tally.applied;
  }
  for (const entry of scoped) {
    const { lane, tx, checkpoint } = entry;
    const { projection } = lane.target;
    if (projection.openBatch === undefined) {
      const selection = page.select(projection, lane.handled, checkpoint);
      await applyEventByEvent(projection, tx, selection);
      lane.total.processed += selection.processed;
      lane.total.applied += selection.applied;
    }
    const last = page.last(checkpoint);
    if (last > checkpoint) await tx.saveCheckpoint(projection.name, last);
    lane.total.checkpoint = Math.max(checkpoint, last);
  }
}

/**
 * Refuses two projections of the same name in one run: they would share checkpoints and documents.
 * @throws Error naming the projection
 */
export function assertDistinctNames(projections: readonly Projection[]): void {
  const seen = new Set<string>();
  for (const { name } of projections) {
    if (seen.has(name)) throw new Error(`projection '${name}' is given twice`);
    seen.add(name);
  }
}

/** Runs `targets` from their checkpoints towards the head of the log; results in the same order. */
export async function runBatches(events: EventStore, store: ProjectionStore, targets: readonly Target[], options: RunOptions): Promise<CatchUpResult[]> {
  const lanes: Lane[] = [];
  for (const target of targets) {
    const checkpoint = await store.checkpoint(checkpointOf(target.generation));
    lanes.push({ target, handled: new Set(target.projection.handles), total: { projection: target.projection.name, processed: 0, applied: 0, checkpoint } });
  }
  const totals = () => lanes.map((lane) => ({ ...lane.total }));
  if (lanes.length === 0) return [];
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
    if (options.beforeBatch && !(await options.beforeBatch())) break;
    const read = await store.transaction(async (outer) => {
      // Checkpoints are read inside the transaction, which stores serialise: two workers never
      // apply the same page.
      const scoped: Scoped[] = [];
      for (const lane of lanes) {
        const tx = scopedTransaction(outer, lane.target.generation);
        scoped.push({ lane, tx, checkpoint: await tx.checkpoint(lane.target.projection.name) });
      }
      const from = Math.min(...scoped.map((entry) => entry.checkpoint));
      const page = new Page(await events.readAll({ after: from, limit: options.batchSize }), options.upcasters, eventCheckOf(events));
      await applyPage(scoped, page);
      return page.records.length;
    });
    if (read < options.batchSize) break;
  }
  return totals();
}
