/**
 * A simulation plays the scheduler on its own clock, months or years ahead of the real one: on a
 * store holding a real case it would close it and shred the person's key at the simulated date,
 * for good. So a simulation runs only on a store of its own. Before its first command it checks
 * that the store is empty and marks it as a simulation's (a document in the projection store);
 * a store holding any case it did not create, or an earlier simulation, is refused.
 */
import { z } from 'zod';
import { MisasError, type MisasStorage } from '@misas/core';

/** Where the mark lives: a plain collection of the projection store, outside every read model. */
export const simulationMarkCollection = 'misas-simulation';
const markKey = 'run';

/** The mark a simulation leaves on its store. */
export const SimulationMark = z.object({
  seed: z.number().int(),
  cases: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** Every case id of the run starts with it (`sim-SEED-`). */
  caseIdPrefix: z.string().min(1),
  /** The fund of a store that holds one fund of a simulation over several. */
  fundId: z.string().optional(),
  /** Of the store named by `--store` in a simulation over several funds: the funds, each in a store of its own beside it. */
  funds: z.array(z.string()).optional(),
});
export type SimulationMark = z.infer<typeof SimulationMark>;

/** What a store holds, seen by a simulation. */
export type StoreForSimulation =
  | { readonly kind: 'empty' }
  | { readonly kind: 'simulation'; readonly mark: SimulationMark }
  | { readonly kind: 'foreign'; readonly examples: readonly string[]; readonly mark: SimulationMark | null };

/** A store a simulation may not use. Nothing was written. */
export class SimulationStoreError extends MisasError {
  readonly rule: 'foreign-cases' | 'previous-simulation';
  constructor(rule: 'foreign-cases' | 'previous-simulation', message: string) {
    super('simulation-store-refused', message);
    this.rule = rule;
  }
}

const CaseOfEvent = z.object({ caseId: z.string().min(1) });
const examplesShown = 3;
const page = 5_000;

/** The mark of a simulation's store, or null (a store no simulation marked). */
export async function readSimulationMark(storage: MisasStorage): Promise<SimulationMark | null> {
  const parsed = SimulationMark.safeParse(await storage.projections.get(simulationMarkCollection, markKey));
  return parsed.success ? parsed.data : null;
}

/** Reads the mark, then the log's case ids, stopping at the first few cases the mark does not cover. */
export async function inspectStoreForSimulation(storage: MisasStorage): Promise<StoreForSimulation> {
  const mark = await readSimulationMark(storage);
  const examples = new Set<string>();
  for (let after = 0; examples.size < examplesShown; ) {
    const events = await storage.events.readAll({ after, limit: page });
    for (const event of events) {
      const caseId = CaseOfEvent.safeParse(event.meta).data?.caseId ?? '(unreadable event)';
      if (mark === null || !caseId.startsWith(mark.caseIdPrefix)) examples.add(caseId);
      if (examples.size >= examplesShown) break;
    }
    if (events.length < page) break;
    after = events.at(-1)?.position ?? after;
  }
  if (examples.size > 0) return { kind: 'foreign', examples: [...examples], mark };
  return mark === null ? { kind: 'empty' } : { kind: 'simulation', mark };
}

/** The refusal of a store holding cases no simulation of this store created. */
export function foreignCasesError(state: { readonly examples: readonly string[] }): SimulationStoreError {
  return new SimulationStoreError(
    'foreign-cases',
    `the store holds cases misas simulate did not create (${state.examples.join(', ')}${state.examples.length >= examplesShown ? ', …' : ''}): ` +
      "a simulation runs deadlines on its own clock and would close cases and erase people at its simulated dates; it was not started. " +
      'Simulate into a store of its own: leave out --store (a file of its own, misas-simulation.db) or name a new file',
  );
}

/**
 * Checks that the store is empty and marks it as this simulation's, before its first command.
 * @throws SimulationStoreError when it holds cases the simulation did not create, or an earlier simulation
 */
export async function claimStoreForSimulation(storage: MisasStorage, run: SimulationMark): Promise<void> {
  const state = await inspectStoreForSimulation(storage);
  if (state.kind === 'foreign') throw foreignCasesError(state);
  if (state.kind === 'simulation') {
    const { mark } = state;
    throw new SimulationStoreError(
      'previous-simulation',
      `the store already holds a simulation (seed ${mark.seed}, ${mark.cases} cases referred ${mark.from} to ${mark.to})${mark.seed === run.seed ? ' of the same seed' : ''}: ` +
        'a simulation needs an empty store; rerun with --replace to start the file afresh, or name another store',
    );
  }
  await storage.projections.transaction((tx) => tx.put(simulationMarkCollection, markKey, { ...run }));
}
