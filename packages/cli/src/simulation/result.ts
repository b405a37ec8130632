/**
 * The options and the result of a simulation.
 */
import type { MisasStorage, PolicyProvider } from '@misas/core';
import type { IndicatorReport, CaseStep } from '@misas/projections';
import type { Calibration } from './calibration.ts';
import type { CasePath } from './case-plan.ts';
import type { ComparisonRow } from './comparison.ts';
import type { RejectedStep } from './play.ts';

/** Commands a write batch holds before it ends at the end of its day (see {@link SimulationOptions.groupCommit}). */
export const commandsPerBatch = 1_000;

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
   * Write batches of simulated days, where the storage offers batches (SQLite): default true. A
   * batch ends at the end of a day once it holds {@link commandsPerBatch} commands (a busy fund
   * commits every day, a quiet one every few weeks). False commits every command on its own, as
   * interactive case work does.
   */
  readonly groupCommit?: boolean;
}

/** One fund of a simulation over several funds. */
export interface FundSummary {
  readonly fundId: string;
  readonly referrals: number;
  readonly commands: number;
  readonly until: string;
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
    /** The play phase; with several funds on worker threads, the wall time of the parallel part (planning, play and fill of every fund). */
    readonly playMs: number;
    readonly commandsPerSecond: number;
    /** Time spent filling the read models at the end, summed over the stores. */
    readonly fillMs: number;
    /** The process's peak resident memory so far (MiB), worker threads included, for the benchmarks' memory check. */
    readonly peakMemoryMiB: number;
  };
  /** What the simulator held at most in one store: steps queued and cases in flight (flat memory: not a year of scripts). */
  readonly held: { readonly peakQueuedSteps: number; readonly peakCasesInFlight: number };
  /** With several funds: each fund's store and figures, in the order of the funds. */
  readonly funds?: readonly FundSummary[];
}

