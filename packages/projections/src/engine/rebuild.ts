/**
 * Rebuilding projections from zero — after their code changed, say — while the current copies keep
 * answering queries. Each gets a new, empty generation, filled from the log in the background; the
 * switch is one transaction for all of them; the old generations' documents are dropped afterwards.
 */
import { namingBadEvents, type EventStore, type ProjectionStore, type UpcasterRegistry } from '@misas/core';
import { activate, scopedTransaction, startGeneration, type Generation } from './generations.ts';
import { fillGenerations } from './fill.ts';
import { caseVersionsCollection } from './inline.ts';
import type { Projection } from './projection.ts';
import { assertDistinctNames, runBatches, type CatchUpResult } from './run-batches.ts';

/** How a rebuild reads the log and reports its progress. */
export interface RebuildOptions {
  /** Events read per page (default {@link defaultRebuildBatchSize}). */
  readonly batchSize?: number;
  /**
   * Cases with unwritten changes, in any one projection, that make the fill write what it holds
   * (default {@link defaultPendingCases}): the bound on what a rebuild keeps in memory between writes.
   */
  readonly pendingCases?: number;
  readonly upcasters?: UpcasterRegistry;
  /** Called after each page of the new generation, e.g. to print progress. */
  readonly onProgress?: (result: CatchUpResult) => void;
}

/** Events per page of a rebuild, unless told otherwise. */
export const defaultRebuildBatchSize = 2000;
/** See {@link RebuildOptions.pendingCases}. */
export const defaultPendingCases = 10_000;

/** What a rebuild did to one projection, and the generation queries now read. */
export type RebuildResult = CatchUpResult & { readonly generation: number };

/** Rebuilds `projection` into a new generation and switches queries to it. */
export async function rebuild(events: EventStore, store: ProjectionStore, projection: Projection, options: RebuildOptions = {}): Promise<RebuildResult> {
  const [result] = await rebuildAll(events, store, [projection], options);
  if (result === undefined) throw new Error(`rebuild of ${projection.name} returned no result`);
  return result;
}

/**
 * Rebuilds several projections in one pass over the log: each event is read and decoded once for
 * all of them. Queries switch to every new generation in one transaction, so the read models they
 * see were built from the same log. Results come in the order of `projections`.
 * @throws Error when two projections have the same name
 */
export async function rebuildAll(events: EventStore, store: ProjectionStore, projections: readonly Projection[], options: RebuildOptions = {}): Promise<RebuildResult[]> {
  assertDistinctNames(projections);
  if (projections.length === 0) return [];
  const batchSize = options.batchSize ?? defaultRebuildBatchSize;
  const upcasters = options.upcasters === undefined ? {} : { upcasters: options.upcasters };
  const targets = await store.transaction(async (tx) => {
    const started: { projection: Projection; generation: Generation }[] = [];
    for (const projection of projections) started.push({ projection, generation: await startGeneration(tx, projection.name) });
    return started;
  });
  // A read model fed a payload changed in the database since it was validated fails with the event named.
  const filled = await namingBadEvents(events, options.upcasters, () => fillGenerations(events, store, targets, {
    batchSize,
    pendingCases: options.pendingCases ?? defaultPendingCases,
    ...upcasters,
    afterPage: (totals) => {
      if (options.onProgress) for (const total of totals) options.onProgress(total);
    },
  }));
  // The switch, and the old generations dropped with it, in one transaction: queries resolve the
  // generation at each call, so none reads an old one after this commit, and inline writes resolve
  // it inside their own transaction. (A catch-up resolves it when it starts: one that started
  // before the switch may still write a batch to the old generation, which is then left behind.)
  await store.transaction(async (tx) => {
    for (const { projection, generation } of targets) {
      const old = await activate(tx, generation);
      if (old.number === generation.number) continue;
      const scoped = scopedTransaction(tx, old);
      for (const collection of [...projection.collections, caseVersionsCollection]) await scoped.clear(collection);
    }
  });
  // Events appended between the last page and the switch went to the old generations: take them now.
  const tail = await namingBadEvents(events, options.upcasters, () => runBatches(events, store, targets, { batchSize, ...upcasters }));
  return targets.map(({ projection, generation }, index) => {
    const fill = filled[index];
    const end = tail[index];
    return {
      projection: projection.name,
      processed: (fill?.processed ?? 0) + (end?.processed ?? 0),
      applied: (fill?.applied ?? 0) + (end?.applied ?? 0),
      checkpoint: end?.checkpoint ?? fill?.checkpoint ?? 0,
      generation: generation.number,
    };
  });
}
