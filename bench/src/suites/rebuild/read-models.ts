/**
 * Every read model a misas store keeps, and rebuilding them all through the engine's public API.
 */
import type { MisasStorage } from '@misas/core';
import { rebuildAll, storeReadModels, type Projection } from '@misas/projections';

/**
 * The service's read models (register, caseload and agenda, detector view — the indicators are
 * computed from the register) plus those of `misas rebuild` and the scheduler (retention schedule,
 * deadlines): every projection that exists, with the default policies the simulation used.
 */
export function everyReadModel(): readonly Projection[] {
  return storeReadModels();
}

/**
 * Rebuilds every read model in one pass over the log, into new generations while the current ones
 * serve, then switches them together. Returns the fewest events any read model went through.
 */
export async function rebuildEveryReadModel(storage: MisasStorage, batchSize: number): Promise<number> {
  const results = await rebuildAll(storage.events, storage.projections, everyReadModel(), { batchSize });
  return Math.min(...results.map((result) => result.processed));
}
