/**
 * `simulateYear`: plays a year of referrals through the real command handler, store, scheduler and
 * projections, on one virtual clock, into one store.
 *
 * Shape: the cases are planned up front (`planCases`: a few facts each); each case's script is
 * written segment by segment as the case comes to it, and played by `playCases`; the read models
 * are filled at the end in one pass (`rebuildAll`, at rebuild speed, not page by page as a live
 * catch-up). Commands go through `misas.handler` — the trusted handler, without sessions: a session
 * would add an authorisation and an audit-trail write to every command, which a simulation (one
 * trusted process) does not need and would pay for in time.
 */
import { defaultPolicies, MisasError, seededUlidGenerator, VirtualClock, type PolicyProvider } from '@misas/core';
import { caseRegisterName, computeIndicators, readModel, rebuildAll, registerRowsForPeriod, Scheduler, type CaseRegisterRow, type CaseStep } from '@misas/projections';
import { createMisas } from '@misas/service';
import { defaultCalibration, type Calibration } from './calibration.ts';
import { planCases, simulationCaseIdPrefix, type CasePath, type PlannedCase } from './case-plan.ts';
import { compareWithCalibration } from './comparison.ts';
import { playCases, type PlayCounts, type RejectedStep } from './play.ts';
import { ProgressReporter, type SimulationHooks } from './progress.ts';
import { commandsPerBatch, type SimulationOptions, type SimulationResult } from './result.ts';
import { caseSegments } from './script/case-script.ts';
import { claimStoreForSimulation } from './store-guard.ts';

export type { RejectedStep } from './play.ts';
export type { SimulationHooks, SimulationProgress } from './progress.ts';
export * from './result.ts';

const hour = 3_600_000;

/** One fund of a simulation over several funds, each in a store of its own. */
export interface FundPart {
  readonly fundId: string;
  /** The seed of the fund's plan and ids, derived from the run's seed and the fund (see `national.ts`). */
  readonly seed: number;
}

/** What one store's simulation gives back (plain data: a worker thread posts it to the main thread). */
export interface StoreOutcome {
  readonly referrals: number;
  readonly byPath: Readonly<Record<CasePath, number>>;
  readonly counts: PlayCounts;
  readonly rejections: readonly RejectedStep[];
  readonly until: string;
  readonly playMs: number;
  readonly fillMs: number;
  readonly peakQueuedSteps: number;
  readonly peakCasesInFlight: number;
  /** The register rows of the cases referred in the period, for the indicators. */
  readonly rows: readonly CaseRegisterRow[];
}

/** What {@link simulateStore} needs: a simulation's options, and the fund when the store holds one fund of several. */
export type StoreSimulationOptions = Omit<SimulationOptions, 'policies'> & { readonly policies?: PolicyProvider; readonly fund?: FundPart };

/** Checks what every simulation checks before it starts. */
export function checkSimulationOptions(options: { readonly from: string; readonly to: string; readonly cases: number }): void {
  if (!(options.from <= options.to)) throw new MisasError('invalid-period', `The period must run forwards: ${options.from} is after ${options.to}`);
  if (!Number.isInteger(options.cases) || options.cases < 1) throw new RangeError('cases must be a whole number, at least 1');
}

/**
 * Simulates the cases of one store: plans them, claims the store, plays them, fills the read
 * models and reads the register rows back. With `fund`, the store holds that fund's cases only,
 * planned from the fund's own seed, their ids `sim-SEED-FUND-N`.
 * @throws SimulationStoreError when the store is not empty (a real case, an earlier simulation): nothing is written
 */
export async function simulateStore(options: StoreSimulationOptions, hooks: SimulationHooks = {}): Promise<StoreOutcome> {
  const { storage, from, to, seed, fund } = options;
  const calibration = fund ? { ...(options.calibration ?? defaultCalibration), fundIds: [fund.fundId] } : (options.calibration ?? defaultCalibration);
  const policies = options.policies ?? defaultPolicies;
  const progress = new ProgressReporter(hooks);
  progress.start('plan', options.cases);
  const planSeed = fund?.seed ?? seed;
  const planned = planCases({ cases: options.cases, from, to, seed: planSeed, calibration, caseIdPrefix: `${simulationCaseIdPrefix(seed)}${fund ? `${fund.fundId}-` : ''}` });
  progress.report(options.cases);
  const counsellors = Math.max(1, Math.ceil(options.cases / calibration.counsellorCasesPerYear));
  const counsellorOf = (c: PlannedCase) => `${fund ? `${fund.fundId}-` : ''}cas-${String((c.index % counsellors) + 1).padStart(3, '0')}`;
  const trailingDays = Math.max(0, ...calibration.fundIds.map((id) => policies(id).unreachableAfterDays ?? 0)) + 1;

  const clock = new VirtualClock(`${from}T00:00:00.000Z`);
  const misas = createMisas({ storage, clock, ids: seededUlidGenerator(planSeed, clock), policies });
  await claimStoreForSimulation(storage, { seed, cases: options.cases, from, to, caseIdPrefix: simulationCaseIdPrefix(seed), ...(fund ? { fundId: fund.fundId } : {}) });
  // Even so, the scheduler acts on this run's cases only: a real case written into the store
  // meanwhile (by another process) never sees the simulated clock's deadlines.
  const ours = new Set(planned.map((c) => c.caseId));
  const scheduler = new Scheduler({ storage, handler: misas.handler, clock, policies, onlyCases: (caseId) => ours.has(caseId) });

  const playStarted = performance.now();
  progress.start('play', planned.length);
  const played = await playCases({
    storage,
    handler: misas.handler,
    scheduler,
    clock,
    planned,
    firstSegment: (c) => caseSegments(c, calibration, policies(c.fundId), counsellorOf(c)),
    from,
    ...(options.until === undefined ? {} : { until: options.until }),
    trailingDays,
    groupCommit: options.groupCommit !== false,
    commandsPerBatch,
    onCaseEnded: (ended) => progress.report(ended),
  });
  // Cases cut short by `until` never end; the bar still ends full.
  progress.report(planned.length);
  const playMs = performance.now() - playStarted;
  // The clock ends on the last day, after office hours, so the read models see the whole run.
  clock.set(new Date(Date.parse(`${played.until}T06:00:00.000Z`) + 12 * hour));

  // The read models have seen nothing yet: fill them in one pass over the log, as a rebuild does.
  const fillStarted = performance.now();
  progress.start('project', misas.projections.length);
  await rebuildAll(storage.events, storage.projections, misas.projections);
  progress.report(misas.projections.length);
  const fillMs = performance.now() - fillStarted;

  const rows = await registerRowsForPeriod(readModel(storage.projections, caseRegisterName), { from, to });
  const byPath: Record<CasePath, number> = { 'redirected-on-form': 0, 'redirected-at-triage': 0, declined: 0, unreachable: 0, 'consent-refused': 0, accompanied: 0 };
  for (const c of planned) byPath[c.path]++;
  return { referrals: planned.length, byPath, counts: played.counts, rejections: played.rejections, until: played.until, playMs, fillMs, peakQueuedSteps: played.peakQueuedSteps, peakCasesInFlight: played.peakCasesInFlight, rows };
}

/** What {@link summariseSimulation} adds to the stores' outcomes. */
export interface SummaryContext {
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly calibration: Calibration;
  readonly started: number;
  /** The play phase's wall time (default: the outcomes' own, summed). */
  readonly playMs?: number;
  /** With several funds: the fund of each outcome, in the same order. */
  readonly fundIds?: readonly string[];
}

/** Adds up the outcomes of one or more stores into the result of the whole simulation. */
export function summariseSimulation(outcomes: readonly StoreOutcome[], context: SummaryContext): SimulationResult {
  const { from, to, seed } = context;
  const sum = (pick: (outcome: StoreOutcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  const rows = outcomes.flatMap((outcome) => outcome.rows);
  const indicators = computeIndicators(rows, { from, to });
  const finalSteps: Partial<Record<CaseStep, number>> = {};
  for (const row of rows) finalSteps[row.status] = (finalSteps[row.status] ?? 0) + 1;
  const byPath: Record<CasePath, number> = { 'redirected-on-form': 0, 'redirected-at-triage': 0, declined: 0, unreachable: 0, 'consent-refused': 0, accompanied: 0 };
  for (const outcome of outcomes) for (const path of Object.keys(byPath) as CasePath[]) byPath[path] += outcome.byPath[path];
  const commands = sum((o) => o.counts.commands);
  const playMs = context.playMs ?? sum((o) => o.playMs);
  const until = outcomes.reduce((latest, outcome) => (outcome.until > latest ? outcome.until : latest), from);
  return {
    period: { from, to },
    until,
    seed,
    counts: {
      referrals: sum((o) => o.referrals),
      byPath,
      commands,
      scheduler: { reminders: sum((o) => o.counts.reminders), unreachableClosures: sum((o) => o.counts.unreachableClosures), erasures: sum((o) => o.counts.erasures), dropped: sum((o) => o.counts.dropped) },
      rejected: sum((o) => o.counts.rejected),
    },
    rejections: outcomes.flatMap((outcome) => outcome.rejections).slice(0, 20),
    finalSteps,
    indicators,
    comparison: compareWithCalibration(indicators, context.calibration),
    timing: {
      elapsedMs: performance.now() - context.started,
      playMs,
      commandsPerSecond: playMs > 0 ? (commands / playMs) * 1000 : 0,
      fillMs: sum((o) => o.fillMs),
      // maxRSS is in kibibytes, and covers every thread of the process.
      peakMemoryMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    held: { peakQueuedSteps: Math.max(0, ...outcomes.map((o) => o.peakQueuedSteps)), peakCasesInFlight: Math.max(0, ...outcomes.map((o) => o.peakCasesInFlight)) },
    ...(context.fundIds
      ? { funds: outcomes.map((outcome, i) => ({ fundId: context.fundIds?.[i] ?? '', referrals: outcome.referrals, commands: outcome.counts.commands, until: outcome.until })) }
      : {}),
  };
}

/**
 * Simulates the referrals of a period and their whole paths in one store, then fills the read
 * models and computes the period's indicators. Reproducible: the same options (on an empty store)
 * give the same events, ids included. Its scheduler acts on its own cases only. The cases are
 * spread over the calibration's funds, all in this store; `simulateNational` gives each fund a
 * store of its own.
 * @throws SimulationStoreError when the store is not empty (a real case, an earlier simulation): nothing is written
 * @throws MisasError `invalid-period` when `from` is after `to`
 */
export async function simulateYear(options: SimulationOptions, hooks: SimulationHooks = {}): Promise<SimulationResult> {
  const started = performance.now();
  checkSimulationOptions(options);
  const outcome = await simulateStore(options, hooks);
  return summariseSimulation([outcome], { from: options.from, to: options.to, seed: options.seed, calibration: options.calibration ?? defaultCalibration, started });
}
