/**
 * Suite 1 — appending through the command handler on SQLite (load → decide → append, the vault
 * included), against raw `node:sqlite` inserts of the very rows it wrote, in the same
 * transaction sizes, with the same durability (`synchronous = FULL`).
 *
 * - single writer: one transaction per command, as interactive case work commits;
 * - batch per day: a simulation's group commit (`storage.writeBatch`), one transaction per
 *   simulated day, against the same rows inserted one transaction per day.
 */
import { join } from 'node:path';
import { openSqliteStorage } from '@misas/adapters/sqlite';
import { perSecond, sideBySide } from '../harness/measure.ts';
import { result, type BenchResult } from '../harness/result.ts';
import type { BenchContext, BenchSuite } from '../harness/suite.ts';
import { consecutiveGroups, emptyStoreFile, insertRaw, readEventRows, type EventRow } from '../sqlite/raw-log.ts';
import { benchHandler, play, yearOfCommands, type PlannedCommand } from '../workload.ts';

const seed = 7;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

interface Mode {
  readonly id: 'single-writer' | 'batch-per-day';
  readonly title: string;
  /** Which rows share a transaction (consecutive rows with the same key). */
  readonly transactionKey: (row: EventRow) => string;
}

const modes: readonly Mode[] = [
  { id: 'single-writer', title: 'one transaction per command', transactionKey: (row) => `${row.streamId}\u0000${row.commandId}` },
  { id: 'batch-per-day', title: 'one write batch per simulated day', transactionKey: (row) => recordedDay(row) },
];

function recordedDay(row: EventRow): string {
  const meta: unknown = JSON.parse(row.meta);
  if (typeof meta !== 'object' || meta === null || !('recordedAt' in meta) || typeof meta.recordedAt !== 'string') throw new Error('event meta without recordedAt');
  return meta.recordedAt.slice(0, 10);
}

/** Plays the commands on a fresh file; returns the time, the events and the file. */
async function runOurs(context: BenchContext, mode: Mode, commands: readonly PlannedCommand[], run: number) {
  const path = join(context.workDir, `append-${mode.id}-${run}.db`);
  const storage = await openSqliteStorage({ path });
  try {
    const { handler, clock } = benchHandler(storage, seed);
    const started = performance.now();
    let events = 0;
    if (mode.id === 'single-writer') {
      events = await play(handler, clock, commands);
    } else {
      for (const day of consecutiveGroups(commands, (command) => dayOf(command.at))) {
        events += await storage.writeBatch(() => play(handler, clock, day));
      }
    }
    return { ms: performance.now() - started, events, path };
  } finally {
    await storage.close();
  }
}

async function measure(context: BenchContext, mode: Mode, commands: readonly PlannedCommand[]): Promise<BenchResult> {
  let run = 0;
  let rows: EventRow[] = [];
  let transactions = 0;
  const outcome = await sideBySide({
    repetitions: context.repetitions,
    ours: async () => {
      const ours = await runOurs(context, mode, commands, run++);
      rows = readEventRows(ours.path);
      return ours.ms;
    },
    limit: async () => {
      // The rows come from the latest run of ours (the warm-up runs ours first).
      if (rows.length === 0) rows = readEventRows((await runOurs(context, mode, commands, run++)).path);
      const groups = consecutiveGroups(rows, mode.transactionKey);
      transactions = groups.length;
      const path = join(context.workDir, `append-${mode.id}-raw-${run++}.db`);
      await emptyStoreFile(path);
      return insertRaw(path, groups);
    },
  });
  context.log(`${mode.id}: ${rows.length} events, ${commands.length} commands, ratio ${outcome.ratio.toFixed(2)}`);
  return result({
    id: `append-sqlite/${mode.id}`,
    title: `Append through the command handler on SQLite, ${mode.title}`,
    unit: 'events/s',
    ours: perSecond(rows.length, outcome.oursMs),
    limit: perSecond(rows.length, outcome.limitMs),
    ratio: outcome.ratio,
    target: { kind: 'ratio-at-least', value: 0.5 },
    repetitions: outcome.pairs,
    details: { commands: commands.length, events: rows.length, transactions, synchronous: 'full' },
  });
}

export const appendSqliteSuite: BenchSuite = {
  id: 'append-sqlite',
  title: 'Append through the command handler on SQLite, against raw node:sqlite inserts',
  async run(context) {
    const commands = yearOfCommands(context.quick ? 4 : 300, seed);
    const results: BenchResult[] = [];
    for (const mode of modes) results.push(await measure(context, mode, commands));
    return results;
  },
};
