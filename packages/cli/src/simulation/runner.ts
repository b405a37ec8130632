/**
 * `simulateYear`: plays a year of referrals through the real command handler, store, scheduler and
 * projections, on one virtual clock.
 *
 * Shape: the cases are planned up front (`planCases`); each case's script is written when its
 * referral day comes; an event queue holds the next step of every case under way, earliest first.
 * The clock moves day by day: at 06:00 the scheduler fires what came due (reminders, unreachable
 * closures, erasures at retention), then the day's steps are played in time order, the clock set to
 * each one's instant. Commands go through `misas.handler` — the trusted handler, without sessions:
 * a session would add an authorisation and an audit-trail write to every command, which a
 * simulation (one trusted process) does not need and would pay for in time.
 */
import {
  addDays,
  CommandRejectedError,
  dayOf,
  defaultPolicies,
  MisasError,
  seededUlidGenerator,
  VirtualClock,
  type MisasStorage,
  type PolicyProvider,
} from '@misas/core';
import {
  caseRegisterName,
  computeIndicators,
  readModel,
  registerRowsForPeriod,
  Scheduler,
  type CaseStep,
  type IndicatorReport,
  type TickResult,
} from '@misas/projections';
import { createMisas } from '@misas/service';
import { defaultCalibration, type Calibration } from './calibration.ts';
import { planCases, simulationCaseIdPrefix, type CasePath, type PlannedCase } from './case-plan.ts';
import { compareWithCalibration, type ComparisonRow } from './comparison.ts';
import { caseScript } from './script/case-script.ts';
import type { Step } from './script/timeline.ts';
import { StepQueue } from './step-queue.ts';
import { claimStoreForSimulation } from './store-guard.ts';

/** What to simulate. */
export interface SimulationOptions {
  readonly storage: MisasStorage;
  /** Number of referrals. */
  readonly cases: number;
  /** First and last day (`YYYY-MM-DD`) of the referral dates. */
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  /** Defaults to {@link defaultCalibration}. */
  readonly calibration?: Calibration;
  /**
   * The last day the clock runs to. Defaults to the day after every case's last step, plus the
   * policy's unreachable delay (the scheduler's closures come after a case's last call): every case
   * has then reached its end. An earlier day leaves the year as it stands that day, cases open.
   * Erasures at retention (18 months after closure) happen only if this is far enough.
   */
  readonly until?: string;
  /** Defaults to the seeds' rules for every fund. */
  readonly policies?: PolicyProvider;
  /**
   * One write batch per simulated day, where the storage offers batches (SQLite): default true.
   * False commits every command on its own, as interactive case work does.
   */
  readonly groupCommit?: boolean;
}

/** Where a simulation is. `done` and `total` count steps in the `play` phase, projections in `project`. */
export interface SimulationProgress {
  readonly phase: 'plan' | 'play' | 'project';
  readonly done: number;
  readonly total: number;
  /** Units per second since the phase began (for a rate and an ETA), once measurable. */
  readonly rate?: number;
}

export interface SimulationHooks {
  /** Called often enough for a progress bar (about 500 times per phase at most), and once at `done === total`. */
  onProgress?(progress: SimulationProgress): void;
}

/** A command a case script sent that the library refused: the script and the library disagree. */
export interface RejectedStep {
  readonly caseId: string;
  readonly command: string;
  readonly rule: string;
  readonly state: string;
}

/** What a simulation did and what the year looks like. */
export interface SimulationResult {
  readonly period: { readonly from: string; readonly to: string };
  readonly until: string;
  readonly seed: number;
  readonly counts: {
    readonly referrals: number;
    readonly byPath: Readonly<Record<CasePath, number>>;
    /** Commands of the case scripts that were applied. */
    readonly commands: number;
    /** Commands the scheduler sent, by kind of deadline. */
    readonly scheduler: { readonly reminders: number; readonly unreachableClosures: number; readonly erasures: number; readonly dropped: number };
    /** Case-script commands refused by the library (0 unless a script and the rules disagree); the case's later steps are skipped. */
    readonly rejected: number;
  };
  /** The first refusals, to find what went wrong. */
  readonly rejections: readonly RejectedStep[];
  /** Cases of the period by their step at the end of the run. */
  readonly finalSteps: Readonly<Partial<Record<CaseStep, number>>>;
  readonly indicators: IndicatorReport;
  readonly comparison: readonly ComparisonRow[];
  readonly timing: {
    readonly elapsedMs: number;
    readonly playMs: number;
    readonly commandsPerSecond: number;
    /** The process's peak resident memory so far (MiB), for the benchmarks' memory check. */
    readonly peakMemoryMiB: number;
  };
}

const hour = 3_600_000;

class ProgressReporter {
  readonly #hooks: SimulationHooks;
  #phase: SimulationProgress['phase'] = 'plan';
  #total = 0;
  #every = 1;
  #next = 0;
  #started = 0;

  constructor(hooks: SimulationHooks) {
    this.#hooks = hooks;
  }

  start(phase: SimulationProgress['phase'], total: number): void {
    this.#phase = phase;
    this.#total = total;
    this.#every = Math.max(1, Math.ceil(total / 500));
    this.#next = 0;
    this.#started = performance.now();
    this.report(0);
  }

  report(done: number): void {
    if (done < this.#next && done !== this.#total) return;
    this.#next = done + this.#every;
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0.05 && done > 0 ? done / seconds : undefined;
    this.#hooks.onProgress?.({ phase: this.#phase, done, total: this.#total, ...(rate === undefined ? {} : { rate }) });
  }
}

/**
 * Simulates the referrals of a period and their whole paths, then brings the read models up to
 * date and computes the period's indicators. Reproducible: the same options (on an empty store)
 * give the same events, ids included. Its scheduler acts on its own cases only.
 * @throws SimulationStoreError when the store is not empty (a real case, an earlier simulation): nothing is written
 * @throws MisasError `invalid-period` when `from` is after `to`
 */
export async function simulateYear(options: SimulationOptions, hooks: SimulationHooks = {}): Promise<SimulationResult> {
  const started = performance.now();
  const calibration = options.calibration ?? defaultCalibration;
  const policies = options.policies ?? defaultPolicies;
  const { storage, from, to, seed } = options;
  if (!(from <= to)) throw new MisasError('invalid-period', `The period must run forwards: ${from} is after ${to}`);
  if (!Number.isInteger(options.cases) || options.cases < 1) throw new RangeError('cases must be a whole number, at least 1');

  const progress = new ProgressReporter(hooks);
  progress.start('plan', options.cases);
  const planned = planCases({ cases: options.cases, from, to, seed, calibration });
  const counsellors = Math.max(1, Math.ceil(options.cases / calibration.counsellorCasesPerYear));
  const counsellorOf = (c: PlannedCase) => `cas-${String((c.index % counsellors) + 1).padStart(3, '0')}`;
  const scriptOf = (c: PlannedCase): Step[] => caseScript(c, calibration, policies(c.fundId), counsellorOf(c));
  // Scripts are written twice — here to count the steps and find the last day, later when played —
  // so that a national year never holds every step in memory at once.
  let totalSteps = 0;
  let lastStep = 0;
  let longestUnreachable = 0;
  planned.forEach((c, i) => {
    const script = scriptOf(c);
    totalSteps += script.length;
    lastStep = Math.max(lastStep, script.at(-1)?.at ?? 0);
    longestUnreachable = Math.max(longestUnreachable, policies(c.fundId).unreachableAfterDays ?? 0);
    progress.report(i + 1);
  });
  const until = options.until ?? addDays(dayOf(new Date(lastStep)), longestUnreachable + 1);

  const clock = new VirtualClock(`${from}T00:00:00.000Z`);
  const misas = createMisas({ storage, clock, ids: seededUlidGenerator(seed, clock), policies });
  await claimStoreForSimulation(storage, { seed, cases: options.cases, from, to, caseIdPrefix: simulationCaseIdPrefix(seed) });
  // Even so, the scheduler acts on this run's cases only: a real case written into the store
  // meanwhile (by another process) never sees the simulated clock's deadlines.
  const ours = new Set(planned.map((c) => c.caseId));
  const scheduler = new Scheduler({ storage, handler: misas.handler, clock, policies, onlyCases: (caseId) => ours.has(caseId) });

  const queue = new StepQueue();
  const scripts = new Map<number, Step[]>();
  // Each case enters the queue at midnight of its referral day; its script is written then.
  for (const c of planned) queue.push({ at: Date.parse(`${c.referralDate}T00:00:00.000Z`), caseIndex: c.index, stepIndex: -1 });

  const counts = { commands: 0, rejected: 0, reminders: 0, unreachableClosures: 0, erasures: 0, dropped: 0 };
  const rejections: RejectedStep[] = [];
  const tally = (result: TickResult) => {
    for (const { deadline } of result.fired) {
      if (deadline.kind === 'unreachable-closure') counts.unreachableClosures++;
      else if (deadline.kind === 'retention-expiry') counts.erasures++;
      else counts.reminders++;
    }
    counts.dropped += result.dropped.length;
  };

  const playStarted = performance.now();
  progress.start('play', totalSteps);
  let played = 0;
  // A simulation is one process that owns its burst of writes: each simulated day is one write
  // batch where the storage offers it (one commit, one flush, instead of one per command).
  const oneDay = <T>(work: () => Promise<T>): Promise<T> =>
    options.groupCommit !== false && storage.writeBatch ? storage.writeBatch(work) : work();
  for (let day = from; day <= until; day = addDays(day, 1)) {
    const tickAt = Date.parse(`${day}T06:00:00.000Z`);
    await oneDay(async () => {
      for (let next = queue.peek(); next !== undefined && next.at < tickAt; next = queue.peek()) {
        queue.pop();
        const plannedCase = planned[next.caseIndex];
        if (plannedCase === undefined) continue;
        if (next.stepIndex === -1) {
          const script = scriptOf(plannedCase);
          scripts.set(next.caseIndex, script);
          const firstStep = script[0];
          if (firstStep) queue.push({ at: firstStep.at, caseIndex: next.caseIndex, stepIndex: 0 });
          continue;
        }
        const script = scripts.get(next.caseIndex) ?? [];
        const step = script[next.stepIndex];
        if (step === undefined) continue;
        clock.set(new Date(step.at));
        played++;
        try {
          await misas.handler.execute({ ...step.command, caseId: plannedCase.caseId, commandId: `${plannedCase.caseId}/${next.stepIndex + 1}` });
          counts.commands++;
        } catch (error) {
          if (!(error instanceof CommandRejectedError)) throw error;
          counts.rejected++;
          if (rejections.length < 20) rejections.push({ caseId: plannedCase.caseId, command: step.command.type, rule: error.rule, state: error.state });
          // The case is not where its script thinks: its later steps would be refused too.
          played += script.length - next.stepIndex - 1;
          scripts.delete(next.caseIndex);
          progress.report(played);
          continue;
        }
        progress.report(played);
        const following = script[next.stepIndex + 1];
        if (following) queue.push({ at: following.at, caseIndex: next.caseIndex, stepIndex: next.stepIndex + 1 });
        else scripts.delete(next.caseIndex);
      }
      clock.set(new Date(tickAt));
      tally(await scheduler.tick());
    });
  }
  // Steps after `until` are not played; the bar still ends full.
  progress.report(totalSteps);
  const playMs = performance.now() - playStarted;
  // The clock ends on the last day, after office hours, so the read models see the whole run.
  clock.set(new Date(Date.parse(`${until}T06:00:00.000Z`) + 12 * hour));

  progress.start('project', misas.projections.length);
  await misas.refresh();
  progress.report(misas.projections.length);

  const rows = await registerRowsForPeriod(readModel(storage.projections, caseRegisterName), { from, to });
  const indicators = computeIndicators(rows, { from, to });
  const finalSteps: Partial<Record<CaseStep, number>> = {};
  for (const row of rows) finalSteps[row.status] = (finalSteps[row.status] ?? 0) + 1;
  const byPath: Record<CasePath, number> = {
    'redirected-on-form': 0,
    'redirected-at-triage': 0,
    declined: 0,
    unreachable: 0,
    'consent-refused': 0,
    accompanied: 0,
  };
  for (const c of planned) byPath[c.path]++;

  return {
    period: { from, to },
    until,
    seed,
    counts: {
      referrals: planned.length,
      byPath,
      commands: counts.commands,
      scheduler: { reminders: counts.reminders, unreachableClosures: counts.unreachableClosures, erasures: counts.erasures, dropped: counts.dropped },
      rejected: counts.rejected,
    },
    rejections,
    finalSteps,
    indicators,
    comparison: compareWithCalibration(indicators, calibration),
    timing: {
      elapsedMs: performance.now() - started,
      playMs,
      commandsPerSecond: playMs > 0 ? (counts.commands / playMs) * 1000 : 0,
      // maxRSS is in kibibytes.
      peakMemoryMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
  };
}
