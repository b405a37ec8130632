/**
 * Append on PostgreSQL with 1 and 4 writer processes, against raw INSERTs.
 *
 * Ours: writer processes send the simulation's commands (a calibrated year's cases, each writer
 * its own share, each case's steps in order) through the real command handler on storage opened
 * from a URL — load, decide, vault, append checks, everything a command costs. The limit: the same
 * number of processes, one `pg.Client` each, insert the very rows ours wrote (read back from its
 * schema), one transaction per command with one `INSERT` per event, into a schema made by the same
 * migrations. Both sides start together on a signal once connected and loaded, and the time is
 * from the signal to the last writer done.
 */
import { perSecond, sideBySide, type TimedRun } from '../harness/measure.ts';
import { result, type BenchResult } from '../harness/result.ts';
import type { BenchContext, BenchSuite } from '../harness/suite.ts';
import { WriterFleet, type FleetRun } from './postgres/fleet.ts';
import type { LimitJob, OursJob } from './postgres/protocol.ts';
import { countEvents, createMigratedSchema, dropSchemas, scratchSchemaName, urlWithSchema } from './postgres/schemas.ts';
import type { WorkloadShape } from './postgres/workload.ts';

/** Cases of a run, all writers together: about 27 commands and 30 events each (8,246 and 8,908 for 300). */
const fullCases = 300;
const quickCases = 6;
const seed = 2026;

const target = { kind: 'ratio-at-least', value: 0.5 } as const;

function sum(run: FleetRun, field: 'transactions' | 'events' | 'rejected'): number {
  return run.reports.reduce((total, report) => total + report[field], 0);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** One figure: `writers` processes, ours against the limit, side by side. */
async function measure(context: BenchContext, serverUrl: string, writers: number): Promise<BenchResult> {
  const shape: WorkloadShape = { cases: context.quick ? quickCases : fullCases, writers, seed };
  const writerIds = Array.from({ length: writers }, (_, writer) => writer);
  const oursJobs = (schema: string): OursJob[] => writerIds.map((writer) => ({ side: 'ours', url: urlWithSchema(serverUrl, schema), shape, writer }));
  const limitJobs = (sourceSchema: string, targetSchema: string): LimitJob[] =>
    writerIds.map((writer) => ({ side: 'limit', serverUrl, sourceSchema, targetSchema, shape, writer }));
  const label = `${writers} writer${writers === 1 ? '' : 's'}`;

  const fleet = WriterFleet.start(writers);
  const source = scratchSchemaName('source');
  try {
    // The rows the limit inserts: a first, untimed run of ours (which also warms its processes).
    // The plan and the ids are seeded, so every later run of ours writes these very rows again.
    await createMigratedSchema(serverUrl, source);
    const reference = await fleet.run(oursJobs(source));
    const events = sum(reference, 'events');
    const commands = sum(reference, 'transactions');
    const rejected = sum(reference, 'rejected');
    if (events === 0 || (await countEvents(serverUrl, source)) !== events) throw new Error(`${label}: the reference run stored ${events} events, the schema disagrees`);
    context.log(`${label}: ${shape.cases} cases, ${commands} commands applied, ${events} events, ${rejected} refused`);

    let transactions = 0;
    /** A run in a fresh schema, dropped afterwards; checks that it stored the reference's events. */
    const timed = (side: 'ours' | 'limit'): TimedRun => async () => {
      const schema = scratchSchemaName(side);
      await createMigratedSchema(serverUrl, schema);
      try {
        const run = await fleet.run(side === 'ours' ? oursJobs(schema) : limitJobs(source, schema));
        const stored = sum(run, 'events');
        if (stored !== events) throw new Error(`${label}, ${side}: stored ${stored} events, expected ${events}`);
        if (side === 'limit') transactions = sum(run, 'transactions');
        context.log(`${label}, ${side}: ${seconds(run.ms)}, ${Math.round(perSecond(stored, run.ms)).toLocaleString('en')} events/s`);
        return run.ms;
      } finally {
        await dropSchemas(serverUrl, [schema]);
      }
    };

    // Ours is warm from the reference run; the limit gets one untimed run of its own.
    await timed('limit')();
    const measured = await sideBySide({ repetitions: context.repetitions, warmUp: false, ours: timed('ours'), limit: timed('limit') });
    return result({
      id: `append-postgres/${writers === 1 ? '1-writer' : `${writers}-writers`}`,
      title: `Append on PostgreSQL, ${label}: command handler against raw INSERTs of the same rows`,
      unit: 'events/s',
      ours: perSecond(events, measured.oursMs),
      limit: perSecond(events, measured.limitMs),
      ratio: measured.ratio,
      target,
      repetitions: measured.pairs,
      details: {
        processes: writers,
        cases: shape.cases,
        commands,
        events,
        transactions,
        refusedCommands: rejected,
        eventsPerCommand: Math.round((events / Math.max(1, commands)) * 100) / 100,
        oursMs: Math.round(measured.oursMs),
        limitMs: Math.round(measured.limitMs),
      },
    });
  } finally {
    await fleet.close();
    await dropSchemas(serverUrl, [source]);
  }
}

export const appendPostgresSuite: BenchSuite = {
  id: 'append-postgres',
  title: 'Append on PostgreSQL with 1 and 4 writer processes, against raw INSERTs',
  unavailable: (context) => (context.pgUrl === undefined ? 'no PostgreSQL server: set MISAS_PG_URL' : undefined),
  run: async (context) => {
    const serverUrl = context.pgUrl;
    if (serverUrl === undefined) throw new Error('append-postgres needs MISAS_PG_URL');
    const results: BenchResult[] = [];
    for (const writers of [1, 4]) results.push(await measure(context, serverUrl, writers));
    return results;
  },
};
