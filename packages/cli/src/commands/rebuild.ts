/**
 * `misas rebuild [--store URL] [--projection NAME]`: rebuilds read models from the event log
 * (after an upgrade changed a projection, say) while the current copies keep answering.
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import type { MisasStorage } from '@misas/core';
import { rebuildAll, storeReadModels } from '@misas/projections';
import type { CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { announceStore, teamStoreOption, withStorage } from '../storage.ts';

// The fund-dependent read models use the default rules.
const projectionNames = storeReadModels().map((projection) => projection.name);

const RebuildOptions = z.object({ store: z.string().min(1), projection: z.enum(projectionNames).optional() });

/** What one rebuild did. */
export interface RebuiltProjection {
  readonly projection: string;
  readonly processed: number;
  readonly applied: number;
  readonly generation: number;
}

/** Rebuilds the named projection, or all of them in one pass over the log, switched together. */
export async function rebuildProjections(storage: MisasStorage, only?: string): Promise<RebuiltProjection[]> {
  const chosen = storeReadModels().filter((candidate) => only === undefined || candidate.name === only);
  const results = await rebuildAll(storage.events, storage.projections, chosen);
  return results.map((result) => ({
    projection: result.projection,
    processed: result.processed,
    applied: result.applied,
    generation: result.generation,
  }));
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('rebuild')
    .description('rebuild read models from the event log; the current copies keep answering until the switch')
    .addOption(teamStoreOption())
    .addOption(new Option('--projection <name>', 'rebuild only this one (default: all)').choices(projectionNames))
    .action(async (options: unknown, command: Command) => {
      const { store, projection } = readOptions(RebuildOptions, options);
      announceStore(output, command, store);
      const rebuilt = await withStorage(store, (storage) => rebuildProjections(storage, projection));
      for (const entry of rebuilt) {
        output.out(`${entry.projection.padEnd(16)} rebuilt as generation ${entry.generation}: ${entry.processed} events read, ${entry.applied} applied`);
      }
    });
}
