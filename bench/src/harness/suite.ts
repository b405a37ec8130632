/**
 * A benchmark suite: one of the measurements, possibly several figures.
 */
import type { BenchResult } from './result.ts';

/** What every suite is given. */
export interface BenchContext {
  /** A seconds-long run with tiny sizes: the smoke test's, to keep the suites from rotting. */
  readonly quick: boolean;
  /** Side-by-side pairs per figure (the median is reported). */
  readonly repetitions: number;
  /** A scratch directory of this run, removed at the end. */
  readonly workDir: string;
  /** The PostgreSQL server (`MISAS_PG_URL`), when there is one. */
  readonly pgUrl: string | undefined;
  /** Progress for the person watching (stderr). */
  log(message: string): void;
}

export interface BenchSuite {
  /** Short id, used by `--only`. */
  readonly id: string;
  readonly title: string;
  /** Why a suite cannot run here (e.g. no PostgreSQL), or undefined when it can. */
  unavailable?(context: BenchContext): string | undefined;
  run(context: BenchContext): Promise<readonly BenchResult[]>;
}
