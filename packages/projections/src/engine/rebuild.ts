/**
 * Rebuilding a projection from zero — after its code changed, say — while the current copy keeps
 * answering queries. The new generation catches up in the background; the switch is one
 * transaction; the old generation's documents are dropped afterwards.
 */
import type { EventStore, ProjectionStore, UpcasterRegistry } from '@misas/core';
import { catchUp, type CatchUpResult } from './catch-up.ts';
import { activate, scopedTransaction, startGeneration } from './generations.ts';
import { caseVersionsCollection } from './inline.ts';
import type { Projection } from './projection.ts';

export interface RebuildOptions {
  readonly batchSize?: number;
  readonly upcasters?: UpcasterRegistry;
  /** Called after each batch of the new generation, e.g. to print progress. */
  readonly onProgress?: (result: CatchUpResult) => void;
}

/** Rebuilds `projection` into a new generation and switches queries to it. */
export async function rebuild(events: EventStore, store: ProjectionStore, projection: Projection, options: RebuildOptions = {}): Promise<CatchUpResult & { readonly generation: number }> {
  const generation = await store.transaction((tx) => startGeneration(tx, projection.name));
  let total: CatchUpResult = { projection: projection.name, processed: 0, applied: 0, checkpoint: 0 };
  for (;;) {
    const step = await catchUp(events, store, projection, {
      generation,
      maxBatches: 1,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
    });
    total = { projection: projection.name, processed: total.processed + step.processed, applied: total.applied + step.applied, checkpoint: step.checkpoint };
    options.onProgress?.(total);
    if (step.processed === 0) break;
  }
  const replaced = await store.transaction((tx) => activate(tx, generation));
  // Events appended between the last batch and the switch went to the old generation: take them now.
  const tail = await catchUp(events, store, projection, {
    generation,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
  });
  total = { ...total, processed: total.processed + tail.processed, applied: total.applied + tail.applied, checkpoint: tail.checkpoint };
  if (replaced.number !== generation.number) {
    await store.transaction(async (tx) => {
      const old = scopedTransaction(tx, replaced);
      for (const collection of [...projection.collections, caseVersionsCollection]) await old.clear(collection);
    });
  }
  return { ...total, generation: generation.number };
}
