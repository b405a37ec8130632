/**
 * Suite 2 — rehydrating one case (read its stream, validate and upcast every event, replay it
 * through the lifecycle machine) from SQLite, against reading the same rows raw and parsing their
 * JSON. Cases of 25, 100 and 1,000 events, in microseconds per case.
 *
 * Beside each, the same load with the snapshots the handler kept in the store while it wrote the
 * case (`loadCase` with `snapshots`: the latest snapshot, checked against the stream, and the events
 * after it), against the same raw read of all the case's rows: figures `rehydrate/N-events-snapshots`.
 * Their details give the worst case too: a snapshot `defaultSnapshotEvery - 1` events behind.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStorage, type SqliteStorage } from '@misas/adapters/sqlite';
import {
  caseFileOf,
  caseSnapshotOf,
  CommandRejectedError,
  defaultSnapshotEvery,
  loadCase,
  replay,
  type CaseCommandInput,
  type CaseSnapshotStore,
  type PlanStrand,
  type StoredCaseSnapshot,
} from '@misas/core';
import { sideBySide } from '../harness/measure.ts';
import { result, type BenchResult } from '../harness/result.ts';
import type { BenchContext, BenchSuite } from '../harness/suite.ts';
import { benchHandler, yearOfCommands } from '../workload.ts';

const seed = 11;
const counsellor = { role: 'counsellor', id: 'cas-001' } as const;

/**
 * A case of exactly `events` events (or a few more, when its last command appends two): the
 * script of an accompanied case from the simulation up to its closure, then the everyday work of
 * a long accompaniment — time logged, actions planned and moved on — until it is long enough.
 */
async function longCase(storage: SqliteStorage, events: number, index: number): Promise<string> {
  // A clock of its own: each case runs through its year from the start.
  // Keeping the storage's snapshots as a deployment does (every `defaultSnapshotEvery` events).
  const { handler, clock } = benchHandler(storage, seed + index, { snapshots: true });
  const script = yearOfCommands(40, seed + index).filter((planned) => planned.command.type !== 'CloseCase');
  const caseId = script.find((planned) => planned.command.type === 'AgreePlan')?.caseId;
  if (caseId === undefined) throw new Error('no accompanied case in the plan');
  let version = 0;
  let at = 0;
  let strand: PlanStrand = 'care';
  for (const planned of script.filter((p) => p.caseId === caseId)) {
    if (version >= events) break;
    at = planned.at;
    clock.set(new Date(at));
    try {
      const { state } = await handler.execute(planned.command);
      version = state.version;
      strand = caseFileOf(state).strands[0] ?? strand;
    } catch (error) {
      // A step the scheduler would have made possible (no scheduler here): the case goes on without it.
      if (!(error instanceof CommandRejectedError)) throw error;
    }
  }
  for (let step = 0; version < events; step++) {
    at += 3_600_000;
    clock.set(new Date(at));
    const command = everydayWork(caseId, step, strand);
    version = (await handler.execute(command)).state.version;
  }
  return caseId;
}

function everydayWork(caseId: string, step: number, strand: PlanStrand): CaseCommandInput {
  const base = { caseId, commandId: `${caseId}/work-${step}`, actor: counsellor };
  const actionId = `act-${Math.floor(step / 3)}`;
  switch (step % 3) {
    case 0:
      return { ...base, type: 'PlanAction', data: { actionId, strand, kind: 'book-appointment', owner: { kind: 'counsellor', counsellorId: counsellor.id }, dueDate: '2027-06-30' } };
    case 1:
      return { ...base, type: 'UpdateActionStatus', data: { actionId, status: 'in-progress' } };
    default:
      return { ...base, type: 'LogTime', data: { minutes: 15, activity: 'follow-up' } };
  }
}

/** Loads `caseIds` one after the other, `rounds` times; returns the milliseconds. */
async function timed(rounds: number, caseIds: readonly string[], load: (caseId: string) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) for (const caseId of caseIds) await load(caseId);
  return performance.now() - started;
}

/**
 * Replaces each case's snapshot with the worst one the handler can leave: taken `defaultSnapshotEvery - 1`
 * events before the end, just short of the next one. Returns the handler's snapshots, to put back.
 */
async function worstCaseSnapshots(storage: SqliteStorage, snapshots: CaseSnapshotStore, caseIds: readonly string[]): Promise<StoredCaseSnapshot[]> {
  const kept: StoredCaseSnapshot[] = [];
  for (const caseId of caseIds) {
    const current = await snapshots.read(caseId);
    if (current) kept.push(current);
    const { events } = await loadCase(storage.events, caseId);
    const at = events.length - (defaultSnapshotEvery - 1);
    const last = events[at - 1];
    if (last === undefined) continue;
    const upTo = events.slice(0, at);
    await snapshots.delete(caseId);
    await snapshots.write(caseSnapshotOf(caseId, replay(upTo), last.meta.eventId, upTo.map((event) => event.meta.commandId)));
  }
  return kept;
}

async function measureSize(context: BenchContext, storage: SqliteStorage, raw: DatabaseSync, events: number, caseIds: readonly string[]): Promise<BenchResult[]> {
  const snapshots = storage.snapshots;
  if (snapshots === undefined) throw new Error('the SQLite storage has no snapshot store');
  const rowsOf = raw.prepare('SELECT position, type, data, meta FROM events WHERE stream_id = ? AND version >= 1 ORDER BY version');
  const rawLoad = async (caseId: string) => {
    const rows = rowsOf.all(caseId);
    for (const row of rows) {
      JSON.parse(String(row['data']));
      JSON.parse(String(row['meta']));
    }
    return rows.length;
  };
  const replayLoad = (caseId: string) => loadCase(storage.events, caseId);
  const snapshotLoad = (caseId: string) => loadCase(storage.events, caseId, { snapshots });

  const rounds = Math.max(2, Math.round((context.quick ? 200 : 40_000) / events / caseIds.length));
  const loads = rounds * caseIds.length;
  const perCase = (ms: number) => (ms * 1000) / loads;
  const fromEvents = await sideBySide({ repetitions: context.repetitions, ours: () => timed(rounds, caseIds, replayLoad), limit: () => timed(rounds, caseIds, rawLoad) });
  // The snapshots as the handler kept them while the cases were written (every `defaultSnapshotEvery` events).
  let after = 0;
  for (const caseId of caseIds) after += (await snapshotLoad(caseId)).events.length;
  const fromSnapshots = await sideBySide({ repetitions: context.repetitions, ours: () => timed(rounds, caseIds, snapshotLoad), limit: () => timed(rounds, caseIds, rawLoad) });
  // For information, the worst a handler leaves: a snapshot 99 events before the end.
  let worst: { readonly micros: number; readonly ratio: number } | undefined;
  if (events >= defaultSnapshotEvery) {
    const kept = await worstCaseSnapshots(storage, snapshots, caseIds);
    const outcome = await sideBySide({ repetitions: context.repetitions, ours: () => timed(rounds, caseIds, snapshotLoad), limit: () => timed(rounds, caseIds, rawLoad) });
    worst = { micros: perCase(outcome.oursMs), ratio: outcome.ratio };
    for (const snapshot of kept) await snapshots.write(snapshot);
  }
  context.log(
    `${events} events: replay ${perCase(fromEvents.oursMs).toFixed(0)} µs, with snapshots ${perCase(fromSnapshots.oursMs).toFixed(0)} µs` +
      `${worst ? ` (worst case ${worst.micros.toFixed(0)} µs, ratio ${worst.ratio.toFixed(2)})` : ''}, raw ${perCase(fromEvents.limitMs).toFixed(0)} µs`,
  );
  const common = { cases: caseIds.length, loadsPerSample: loads };
  return [
    result({
      id: `rehydrate/${events}-events`,
      title: `Rehydrating a case of ${events} events from SQLite (no snapshot), against a raw read and parse`,
      unit: 'µs per case',
      ours: perCase(fromEvents.oursMs),
      limit: perCase(fromEvents.limitMs),
      ratio: fromEvents.ratio,
      target: { kind: 'ratio-at-least', value: 0.7 },
      repetitions: fromEvents.pairs,
      details: common,
    }),
    result({
      id: `rehydrate/${events}-events-snapshots`,
      title: `Rehydrating a case of ${events} events from SQLite with the snapshots the handler keeps, against a raw read and parse of all its rows`,
      unit: 'µs per case',
      ours: perCase(fromSnapshots.oursMs),
      limit: perCase(fromSnapshots.limitMs),
      ratio: fromSnapshots.ratio,
      target: { kind: 'ratio-at-least', value: 0.7 },
      repetitions: fromSnapshots.pairs,
      details: {
        ...common,
        snapshotEvery: defaultSnapshotEvery,
        eventsAfterSnapshot: Math.round(after / caseIds.length),
        ...(worst ? { worstCaseEventsAfter: defaultSnapshotEvery - 1, worstCaseMicros: Math.round(worst.micros), worstCaseRatio: Math.round(worst.ratio * 100) / 100 } : {}),
      },
    }),
  ];
}

export const rehydrateSuite: BenchSuite = {
  id: 'rehydrate',
  title: 'Rehydrating a case, against reading and parsing its rows raw',
  async run(context) {
    const sizes = context.quick ? [25] : [25, 100, 1000];
    const path = join(context.workDir, 'rehydrate.db');
    const storage = await openSqliteStorage({ path });
    const raw = new DatabaseSync(path, { readOnly: true });
    try {
      const casesOf = new Map<number, string[]>();
      for (const [index, events] of sizes.entries()) {
        const caseIds: string[] = [];
        // A few cases per size, so that one case's cache lines do not flatter either side.
        for (let n = 0; n < (context.quick ? 1 : 4); n++) caseIds.push(await longCase(storage, events, index * 10 + n));
        casesOf.set(events, caseIds);
      }
      const results: BenchResult[] = [];
      for (const events of sizes) results.push(...(await measureSize(context, storage, raw, events, casesOf.get(events) ?? [])));
      return results;
    } finally {
      raw.close();
      await storage.close();
    }
  },
};
