/**
 * Suite 3: rebuilding every read model from the log, in events per second — from SQLite against a
 * raw read and parse of the same table, and from memory against an absolute floor.
 */
import { defaultRebuildBatchSize, storeReadModels } from '@misas/projections';
import { elapsedMs, medianOf, perSecond, sideBySide } from '../harness/measure.ts';
import { result, type BenchResult } from '../harness/result.ts';
import type { BenchContext, BenchSuite } from '../harness/suite.ts';
import { simulatedPopulation } from './rebuild/population.ts';
import { rawReadAndParse } from './rebuild/raw-read.ts';
import { rebuildEveryReadModel } from './rebuild/read-models.ts';
import { sqliteCopyOf } from './rebuild/sqlite-log.ts';

/** Events per page of a rebuild (the engine's default); the raw read uses the same page size. */
const batchSize = defaultRebuildBatchSize;

const startsFrom = 'existing read models: each run fills new generations while the previous ones serve, switches, and drops the previous ones';

/** What every figure of the suite shares in its details. */
type Common = Readonly<Record<string, number | string>>;

/**
 * Simulates the log, copies it into SQLite, and measures the in-memory rebuild. The in-memory
 * storage is not referenced once this returns, so that the SQLite figures are measured in a heap
 * holding what a rebuilding process holds, not a simulation's leftovers.
 */
async function measureInMemory(context: BenchContext) {
  const referrals = context.quick ? 20 : 2000;
  context.log(`simulating ${referrals} referrals over 2026…`);
  const population = await simulatedPopulation(referrals);
  const events = population.records.length;
  context.log(`copying ${events} events into SQLite…`);
  const sqlite = await sqliteCopyOf(population.records, context.workDir);
  const common: Common = { events, referrals, readModels: storeReadModels().map((p) => p.name).join(', '), batchSize, startsFrom };
  context.log('rebuilding from memory…');
  const ms = await medianOf(context.repetitions, async () => {
    let processed = 0;
    const elapsed = await elapsedMs(async () => {
      processed = await rebuildEveryReadModel(population.storage, batchSize);
    });
    if (processed !== events) throw new Error(`rebuild/memory: a read model went through ${processed} events of ${events}`);
    return elapsed;
  }).catch(async (error: unknown) => {
    await sqlite.storage.close();
    throw error;
  });
  const figure = result({
    id: 'rebuild/memory',
    title: 'Rebuild of every read model from the in-memory log into the in-memory projection store',
    unit: 'events/s',
    ours: perSecond(events, ms),
    limit: null,
    ratio: null,
    target: { kind: 'at-least', value: 1_000_000 },
    repetitions: context.repetitions,
    details: { ...common, oursMs: ms },
  });
  return { figure, sqlite, events, common };
}

async function run(context: BenchContext): Promise<readonly BenchResult[]> {
  const { figure: inMemory, sqlite, events, common } = await measureInMemory(context);
  try {
    context.log('rebuilding from SQLite, side by side with a raw read and parse…');
    const fromSqlite = await sideBySide({
      repetitions: context.repetitions,
      ours: async () => {
        let processed = 0;
        const ms = await elapsedMs(async () => {
          processed = await rebuildEveryReadModel(sqlite.storage, batchSize);
        });
        if (processed !== events) throw new Error(`rebuild/sqlite: a read model went through ${processed} events of ${events}`);
        return ms;
      },
      limit: async () => {
        let read = 0;
        const ms = await elapsedMs(() => {
          read = rawReadAndParse(sqlite.path, batchSize).events;
        });
        if (read !== events) throw new Error(`rebuild/sqlite: the raw read saw ${read} events of ${events}`);
        return ms;
      },
    });
    const onSqlite = result({
      id: 'rebuild/sqlite',
      title: 'Rebuild of every read model from a SQLite log, against a raw read and parse of it',
      unit: 'events/s',
      ours: perSecond(events, fromSqlite.oursMs),
      limit: perSecond(events, fromSqlite.limitMs),
      ratio: fromSqlite.ratio,
      target: { kind: 'ratio-at-least', value: 0.5 },
      repetitions: fromSqlite.pairs,
      details: { ...common, sqliteSynchronous: 'full (the default)', oursMs: fromSqlite.oursMs, limitMs: fromSqlite.limitMs },
    });
    return [onSqlite, inMemory];
  } finally {
    await sqlite.storage.close();
  }
}

export const rebuildSuite: BenchSuite = {
  id: 'rebuild',
  title: 'Rebuilding every read model, against a raw read and parse of the log',
  run,
};
