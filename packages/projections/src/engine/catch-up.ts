/**
 * Catching a projection up with the log, batch by batch. Each batch — the read-model writes and
 * the new checkpoint — is one transaction: a crash between batches loses nothing and repeats
 * nothing (exactly-once on every store that implements `ProjectionStore`).
 */
import { decodeEvent, type EventStore, type ProjectionStore, type UpcasterRegistry } from '@misas/core';
import { activeGeneration, checkpointOf, scopedTransaction, type Generation } from './generations.ts';
import { applyOnce } from './inline.ts';
import type { Projection } from './projection.ts';

export interface CatchUpOptions {
  /** Events read per transaction (default 500). */
  readonly batchSize?: number;
  /** Stop after this many batches (default: until the head of the log). */
  readonly maxBatches?: number;
  readonly upcasters?: UpcasterRegistry;
  /** The generation to build (default: the active one). A rebuild builds the next one. */
  readonly generation?: Generation;
  /**
   * Called before each batch; returning false stops the catch-up (a worker that lost its lease).
   * Stopping is an optimisation, not what keeps events from being applied twice: each batch
   * reads the checkpoint inside its own transaction, which stores serialise.
   */
  readonly beforeBatch?: () => Promise<boolean>;
}

/** What a catch-up did. */
export interface CatchUpResult {
  readonly projection: string;
  readonly processed: number;
  readonly applied: number;
  readonly checkpoint: number;
}

/** Runs one projection from its checkpoint towards the head of the log. */
export async function catchUp(
  events: EventStore,
  store: ProjectionStore,
  projection: Projection,
  options: CatchUpOptions = {},
): Promise<CatchUpResult> {
  const batchSize = options.batchSize ?? 500;
  const handled = new Set<string>(projection.handles);
  const generation = options.generation ?? (await activeGeneration(store, projection.name));
  let processed = 0;
  let applied = 0;
  let checkpoint = await store.checkpoint(checkpointOf(generation));
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
    if (options.beforeBatch && !(await options.beforeBatch())) break;
    const result = await store.transaction(async (outer) => {
      const tx = scopedTransaction(outer, generation);
      const from = await tx.checkpoint(projection.name);
      const records = await events.readAll({ after: from, limit: batchSize });
      let appliedHere = 0;
      for (const record of records) {
        if (!handled.has(record.type) && !projection.inline) continue;
        const event = decodeEvent(record, options.upcasters);
        if (projection.inline) await applyOnce(projection, tx, event, record.position);
        else await projection.apply(event, tx, record.position);
        if (handled.has(record.type)) appliedHere++;
      }
      const last = records.at(-1)?.position ?? from;
      if (records.length > 0) await tx.saveCheckpoint(projection.name, last);
      return { read: records.length, applied: appliedHere, checkpoint: last };
    });
    processed += result.read;
    applied += result.applied;
    checkpoint = result.checkpoint;
    if (result.read < batchSize) break;
  }
  return { projection: projection.name, processed, applied, checkpoint };
}

/** How far behind the head of the log the active generation of a projection is, in positions. */
export async function lagOf(events: EventStore, store: ProjectionStore, projectionName: string): Promise<number> {
  const generation = await activeGeneration(store, projectionName);
  const [head, checkpoint] = await Promise.all([events.headPosition(), store.checkpoint(checkpointOf(generation))]);
  return Math.max(0, head - checkpoint);
}

/** The position up to which the active generation of a projection has processed the log. */
export async function checkpointOfProjection(store: ProjectionStore, projectionName: string): Promise<number> {
  return store.checkpoint(checkpointOf(await activeGeneration(store, projectionName)));
}
