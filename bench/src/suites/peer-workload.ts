/**
 * The workload of the best-known peer library's benchmark (Emmett's): streams of 20 events, one
 * append per command with its expected version, then every stream rehydrated, then the whole log
 * read in order — on SQLite and on PostgreSQL, each phase against its raw limit in the same run.
 *
 * Ours goes through the public API: `EventStore.append` with the command's `expectedVersion`
 * (one event per command, each append its own transaction: the command id checked, the version
 * checked, the event stored), then `readStream` per stream, then `readAll` page after page. We use
 * the event store rather than the command handler because the workload's commands are appends
 * with a known expected version, as the peer's `appendToStream(stream, events, { expectedStreamVersion })`:
 * the handler's load and decide are measured by the rehydrate and append suites.
 *
 * The limits, with bare drivers and prepared statements on a schema (a file) made by the library:
 * - append: one single-statement `INSERT` per event of the same columns, in autocommit, with the
 *   same durability (SQLite `synchronous = FULL`; PostgreSQL `fsync` and `synchronous_commit` as
 *   the server has them, the same for both sides);
 * - first global read after writing: a keyset read (`position > $1 ORDER BY position LIMIT $2`) of
 *   the very table ours just wrote and read, in pages of the same size. Ours is timed first, right
 *   after its last append returned: on PostgreSQL it pays whatever positions are still to give;
 * - rehydrate: one `SELECT … WHERE stream_id = $1 ORDER BY version` per stream, of the same table.
 *
 * Targets (issue 13), on PostgreSQL: per-event append ≥ 0.5 of the raw insert, first global read
 * ≥ 0.7 of the raw keyset read. SQLite's figures and both rehydrates are for information.
 */
import { join } from 'node:path';
import { openPostgresStorage } from '@misas/adapters';
import { openSqliteStorage } from '@misas/adapters/sqlite';
import type { AppendRequest, EventStore } from '@misas/core';
import { median, perSecond } from '../harness/measure.ts';
import { result, type BenchResult, type Target } from '../harness/result.ts';
import type { BenchContext, BenchSuite } from '../harness/suite.ts';
import { createMigratedSchema, dropSchemas, scratchSchemaName } from './postgres/schemas.ts';
import * as postgresRaw from './peer/postgres-raw.ts';
import * as sqliteRaw from './peer/sqlite-raw.ts';
import { appendsOf, eventsPerStream, streamIds } from './peer/streams.ts';
import { emptyStoreFile } from '../sqlite/raw-log.ts';

/** 1,000 streams of 20: the 20,000 events of the comparison. */
const fullStreams = 1000;
const quickStreams = 5;
/** Rows per page of the global read, both sides. */
const page = 1000;

/** Milliseconds of one run's phases. */
interface Phases {
  readonly append: number;
  readonly read: number;
  readonly rehydrate: number;
}

type Phase = keyof Phases;

/** One store's runs: ours on a fresh store, then the limit's phases (which read the table ours wrote). */
interface Backend {
  readonly id: 'sqlite' | 'postgres';
  readonly label: string;
  readonly targets: Readonly<Record<Phase, Target | null>>;
  /** One repetition: ours and the limit's phases, with the append order alternated by `limitFirst`. */
  run(appends: readonly AppendRequest[], streams: readonly string[], run: number, limitFirst: boolean): Promise<{ ours: Phases; limit: Phases }>;
}

/** Ours on an open event store: every append, then the first global read, then every stream. */
async function oursOn(events: EventStore, appends: readonly AppendRequest[], streams: readonly string[]): Promise<Phases> {
  let started = performance.now();
  for (const request of appends) {
    const appended = await events.append(request);
    if (appended.status !== 'appended') throw new Error(`peer workload: ${request.commandId} was not appended (${appended.status})`);
  }
  const append = performance.now() - started;

  started = performance.now();
  let after = 0;
  let read = 0;
  for (;;) {
    const records = await events.readAll({ after, limit: page });
    read += records.length;
    const last = records.at(-1);
    if (records.length < page || last === undefined) break;
    after = last.position;
  }
  const readMs = performance.now() - started;
  if (read !== appends.length) throw new Error(`peer workload: read ${read} events of ${appends.length}`);

  started = performance.now();
  let rehydrated = 0;
  for (const streamId of streams) rehydrated += (await events.readStream(streamId)).length;
  const rehydrate = performance.now() - started;
  if (rehydrated !== appends.length) throw new Error(`peer workload: rehydrated ${rehydrated} events of ${appends.length}`);
  return { append, read: readMs, rehydrate };
}

function checked(what: string, measured: { ms: number; rows: number }, expected: number): number {
  if (measured.rows !== expected) throw new Error(`peer workload, limit ${what}: ${measured.rows} rows, expected ${expected}`);
  return measured.ms;
}

function sqliteBackend(context: BenchContext): Backend {
  return {
    id: 'sqlite',
    label: 'SQLite (synchronous = FULL)',
    targets: { append: null, read: null, rehydrate: null },
    async run(appends, streams, run, limitFirst) {
      const oursPath = join(context.workDir, `peer-ours-${run}.db`);
      const limitPath = join(context.workDir, `peer-limit-${run}.db`);
      await emptyStoreFile(limitPath);
      const insert = () => sqliteRaw.insertEach(limitPath, appends);
      const limitAppend = limitFirst ? insert() : undefined;
      const storage = await openSqliteStorage({ path: oursPath });
      let ours: Phases;
      try {
        ours = await oursOn(storage.events, appends, streams);
      } finally {
        await storage.close();
      }
      const append = limitAppend ?? insert();
      const read = checked('read', sqliteRaw.keysetRead(oursPath, page), appends.length);
      const rehydrate = checked('rehydrate', sqliteRaw.streamReads(oursPath, streams), appends.length);
      return { ours, limit: { append, read, rehydrate } };
    },
  };
}

function postgresBackend(serverUrl: string): Backend {
  return {
    id: 'postgres',
    label: 'PostgreSQL',
    targets: { append: { kind: 'ratio-at-least', value: 0.5 }, read: { kind: 'ratio-at-least', value: 0.7 }, rehydrate: null },
    async run(appends, streams, run, limitFirst) {
      const oursSchema = scratchSchemaName(`peer_ours_${run}`);
      const limitSchema = scratchSchemaName(`peer_limit_${run}`);
      await createMigratedSchema(serverUrl, limitSchema);
      const client = await postgresRaw.rawClient(serverUrl);
      try {
        const insert = () => postgresRaw.insertEach(client, limitSchema, appends);
        const limitAppend = limitFirst ? await insert() : undefined;
        const storage = await openPostgresStorage({ connectionString: serverUrl, schema: oursSchema });
        let ours: Phases;
        try {
          ours = await oursOn(storage.events, appends, streams);
        } finally {
          await storage.close();
        }
        const append = limitAppend ?? (await insert());
        const read = checked('read', await postgresRaw.keysetRead(client, oursSchema, page), appends.length);
        const rehydrate = checked('rehydrate', await postgresRaw.streamReads(client, oursSchema, streams), appends.length);
        return { ours, limit: { append, read, rehydrate } };
      } finally {
        await client.end();
        await dropSchemas(serverUrl, [oursSchema, limitSchema]);
      }
    },
  };
}

const phases: readonly { readonly phase: Phase; readonly id: string; readonly title: string; readonly unit: string }[] = [
  { phase: 'append', id: 'append', title: 'per-event append with its expected version, against a raw single-statement INSERT', unit: 'events/s' },
  { phase: 'read', id: 'first-read', title: 'first global read after writing (readAll pages), against a raw keyset read', unit: 'events/s' },
  { phase: 'rehydrate', id: 'rehydrate', title: 'rehydrate every stream (readStream), against a raw per-stream read', unit: 'streams/s' },
];

/** The repetitions of one backend, ours and the limit side by side in each, and one figure per phase. */
async function measure(context: BenchContext, backend: Backend, streamCount: number): Promise<BenchResult[]> {
  const runs: { ours: Phases; limit: Phases }[] = [];
  // A small untimed run first: the JIT, the connections and the caches then favour neither side.
  if (!context.quick) {
    const warm = streamIds(Math.max(1, Math.floor(streamCount / 20)), `warm-${backend.id}`);
    await backend.run(appendsOf(warm), warm, 0, false);
  }
  for (let repetition = 1; repetition <= context.repetitions; repetition++) {
    const streams = streamIds(streamCount, `r${repetition}`);
    const appends = appendsOf(streams);
    const measured = await backend.run(appends, streams, repetition, repetition % 2 === 1);
    context.log(
      `peer-workload ${backend.id} #${repetition}: ` +
        phases.map(({ phase }) => `${phase} ours ${Math.round(measured.ours[phase])} ms, limit ${Math.round(measured.limit[phase])} ms`).join('; '),
    );
    runs.push(measured);
  }
  const events = streamCount * eventsPerStream;
  return phases.map(({ phase, id, title, unit }) => {
    const oursMs = median(runs.map((run) => run.ours[phase]));
    const limitMs = median(runs.map((run) => run.limit[phase]));
    const count = unit === 'streams/s' ? streamCount : events;
    const target = backend.targets[phase];
    return result({
      id: `peer-workload/${backend.id}-${id}`,
      title: `${backend.label}: ${title}${target === null ? ' (information)' : ''}`,
      unit,
      ours: perSecond(count, oursMs),
      limit: perSecond(count, limitMs),
      ratio: median(runs.map((run) => run.limit[phase] / run.ours[phase])),
      target,
      repetitions: runs.length,
      details: { streams: streamCount, eventsPerStream, events, pageSize: page, oursMs: Math.round(oursMs), limitMs: Math.round(limitMs) },
    });
  });
}

export const peerWorkloadSuite: BenchSuite = {
  id: 'peer-workload',
  title: "The peer library's workload (streams of 20 events, one append each with its expected version), on SQLite and PostgreSQL",
  run: async (context) => {
    const streamCount = context.quick ? quickStreams : fullStreams;
    const backends = [sqliteBackend(context), ...(context.pgUrl === undefined ? [] : [postgresBackend(context.pgUrl)])];
    const results: BenchResult[] = [];
    for (const backend of backends) results.push(...(await measure(context, backend, streamCount)));
    return results;
  },
};
