/**
 * Suite 2 — rehydrating one case (read its stream, validate and upcast every event, replay it
 * through the lifecycle machine) from SQLite, against reading the same rows raw and parsing their
 * JSON. Cases of 25, 100 and 1,000 events, in microseconds per case.
 *
 * Also measured, for information: the same load from a persisted snapshot (`persistCaseState`
 * kept in a read-model document, given to `loadCase` as `snapshot`), which reads one document and
 * the events after it instead of the whole stream.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStorage, type SqliteStorage } from '@misas/adapters/sqlite';
import { caseFileOf, CommandRejectedError, loadCase, persistCaseState, type CaseCommandInput, type PlanStrand } from '@misas/core';
import { median, sideBySide } from '../harness/measure.ts';
import { result, type BenchResult } from '../harness/result.ts';
import type { BenchContext, BenchSuite } from '../harness/suite.ts';
import { benchHandler, yearOfCommands } from '../workload.ts';

const seed = 11;
const snapshotCollection = 'bench:case-snapshots';
const counsellor = { role: 'counsellor', id: 'cas-001' } as const;

/**
 * A case of exactly `events` events (or a few more, when its last command appends two): the
 * script of an accompanied case from the simulation up to its closure, then the everyday work of
 * a long accompaniment — time logged, actions planned and moved on — until it is long enough.
 */
async function longCase(storage: SqliteStorage, events: number, index: number): Promise<string> {
  // A clock of its own: each case runs through its year from the start.
  const { handler, clock } = benchHandler(storage, seed + index);
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

async function measureSize(context: BenchContext, storage: SqliteStorage, raw: DatabaseSync, events: number, caseIds: readonly string[]): Promise<BenchResult> {
  const rowsOf = raw.prepare('SELECT position, type, data, meta FROM events WHERE stream_id = ? AND version >= 1 ORDER BY version');
  const rawLoad = async (caseId: string) => {
    const rows = rowsOf.all(caseId);
    for (const row of rows) {
      JSON.parse(String(row['data']));
      JSON.parse(String(row['meta']));
    }
    return rows.length;
  };
  const oursLoad = (caseId: string) => loadCase(storage.events, caseId);
  const withSnapshot = async (caseId: string) => loadCase(storage.events, caseId, { snapshot: await storage.projections.get(snapshotCollection, caseId) });

  const rounds = Math.max(2, Math.round((context.quick ? 200 : 40_000) / events / caseIds.length));
  const loads = rounds * caseIds.length;
  const outcome = await sideBySide({ repetitions: context.repetitions, ours: () => timed(rounds, caseIds, oursLoad), limit: () => timed(rounds, caseIds, rawLoad) });
  const snapshotRuns: number[] = [];
  for (let i = 0; i < context.repetitions; i++) snapshotRuns.push(await timed(rounds, caseIds, withSnapshot));
  const perCase = (ms: number) => (ms * 1000) / loads;
  const snapshotMicros = perCase(median(snapshotRuns));
  context.log(`${events} events: ours ${perCase(outcome.oursMs).toFixed(0)} µs, raw ${perCase(outcome.limitMs).toFixed(0)} µs, from a snapshot ${snapshotMicros.toFixed(0)} µs`);
  return result({
    id: `rehydrate/${events}-events`,
    title: `Rehydrating a case of ${events} events from SQLite (no snapshot), against a raw read and parse`,
    unit: 'µs per case',
    ours: perCase(outcome.oursMs),
    limit: perCase(outcome.limitMs),
    ratio: outcome.ratio,
    target: { kind: 'ratio-at-least', value: 0.7 },
    repetitions: outcome.pairs,
    details: {
      cases: caseIds.length,
      loadsPerSample: loads,
      fromSnapshotMicros: Math.round(snapshotMicros),
      fromSnapshotRatio: Math.round((perCase(outcome.limitMs) / snapshotMicros) * 100) / 100,
    },
  });
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
        // The snapshot a snapshot store would hold: the case as it stands.
        for (const caseId of caseIds) {
          const { state } = await loadCase(storage.events, caseId);
          await storage.projections.transaction((tx) => tx.put(snapshotCollection, caseId, persistCaseState(state)));
        }
      }
      const results: BenchResult[] = [];
      for (const events of sizes) results.push(await measureSize(context, storage, raw, events, casesOf.get(events) ?? []));
      return results;
    } finally {
      raw.close();
      await storage.close();
    }
  },
};
