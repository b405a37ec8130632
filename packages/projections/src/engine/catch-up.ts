/**
 * Catching projections up with the log, batch by batch. Each batch — the read-model writes and
 * the new checkpoints — is one transaction: a crash between batches loses nothing and repeats
 * nothing (exactly-once on every store that implements `ProjectionStore`).
 */
import { namingBadEvents, type EventStore, type ProjectionStore, type UpcasterRegistry } from '@misas/core';
import { activeGeneration, checkpointOf, type Generation } from './generations.ts';
import type { Projection } from './projection.ts';
import { assertDistinctNames, runBatches, type CatchUpResult } from './run-batches.ts';

export type { CatchUpResult } from './run-batches.ts';

/** How a catch-up reads the log. */
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

/** Events per transaction of a catch-up, unless told otherwise. */
export const defaultCatchUpBatchSize = 500;

/** Runs one projection from its checkpoint towards the head of the log. */
export async function catchUp(
  events: EventStore,
  store: ProjectionStore,
  projection: Projection,
  options: CatchUpOptions = {},
): Promise<CatchUpResult> {
  const generation = options.generation ?? (await activeGeneration(store, projection.name));
  const batchSize = options.batchSize ?? defaultCatchUpBatchSize;
  // A read model fed a payload changed in the database since it was validated fails with the event named.
  const [result] = await namingBadEvents(events, options.upcasters, () => runBatches(events, store, [{ projection, generation }], { ...options, batchSize }));
  if (result === undefined) throw new Error(`catch-up of ${projection.name} returned no result`);
  return result;
}

/**
 * Runs several projections towards the head of the log in one pass: each page of the log is read
 * and decoded once for all of them, and each batch commits every projection's writes and
 * checkpoint in one transaction (a projection that fails rolls the batch back for all). Each keeps
 * its own checkpoint: one that is behind is caught up while the others skip what they have seen.
 * Results come in the order of `projections`.
 * @throws Error when two projections have the same name
 */
export async function catchUpAll(
  events: EventStore,
  store: ProjectionStore,
  projections: readonly Projection[],
  options: Omit<CatchUpOptions, 'generation'> = {},
): Promise<CatchUpResult[]> {
  assertDistinctNames(projections);
  const targets: { projection: Projection; generation: Generation }[] = [];
  for (const projection of projections) targets.push({ projection, generation: await activeGeneration(store, projection.name) });
  return namingBadEvents(events, options.upcasters, () => runBatches(events, store, targets, { ...options, batchSize: options.batchSize ?? defaultCatchUpBatchSize }));
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
