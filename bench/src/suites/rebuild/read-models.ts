/**
 * Rebuilding every read model a misas store keeps (`storeReadModels`, with the default policies the
 * simulation used) through the engine's public API.
 */
import type { MisasStorage } from '@misas/core';
import { rebuildAll, storeReadModels } from '@misas/projections';

/**
 * Rebuilds every read model in one pass over the log, into new generations while the current ones
 * serve, then switches them together. Returns the fewest events any read model went through.
 */
export async function rebuildEveryReadModel(storage: MisasStorage, batchSize: number): Promise<number> {
  const results = await rebuildAll(storage.events, storage.projections, storeReadModels(), { batchSize });
  return Math.min(...results.map((result) => result.processed));
}
