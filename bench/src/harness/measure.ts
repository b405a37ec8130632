/**
 * Timing, side by side. The machines here are shared and noisy, so a figure is never one run: ours
 * and the limit run alternately, pair after pair, and each pair gives one ratio; the median of those
 * ratios is the result. Alternating puts both sides under the same noise.
 */

/** The median (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Milliseconds spent in `work`. */
export async function elapsedMs(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * One side of a comparison: prepares its fixture (untimed) and returns the milliseconds the timed
 * part took. Each call must do the same amount of work.
 */
export type TimedRun = () => Promise<number>;

/** Medians of a side-by-side measurement. */
export interface SideBySide {
  readonly oursMs: number;
  readonly limitMs: number;
  /** Median over the pairs of limit time / our time: the share of the limit's speed we reach. */
  readonly ratio: number;
  readonly pairs: number;
}

/**
 * Runs `ours` and `limit` alternately `repetitions` times, after one untimed warm-up of each (the
 * JIT and the file cache then favour neither side).
 */
export async function sideBySide(options: { readonly repetitions: number; readonly warmUp?: boolean; readonly ours: TimedRun; readonly limit: TimedRun }): Promise<SideBySide> {
  if (options.warmUp !== false) {
    await options.limit();
    await options.ours();
  }
  const ours: number[] = [];
  const limit: number[] = [];
  const ratios: number[] = [];
  for (let pair = 0; pair < options.repetitions; pair++) {
    // Alternate which side goes first, so that neither always runs on a warmer cache.
    const [first, second] = pair % 2 === 0 ? [options.limit, options.ours] : [options.ours, options.limit];
    const a = await first();
    const b = await second();
    const [limitMs, oursMs] = pair % 2 === 0 ? [a, b] : [b, a];
    ours.push(oursMs);
    limit.push(limitMs);
    ratios.push(limitMs / oursMs);
  }
  return { oursMs: median(ours), limitMs: median(limit), ratio: median(ratios), pairs: options.repetitions };
}

/** Runs `run` `repetitions` times (after one warm-up unless told not to) and returns the median. */
export async function medianOf(repetitions: number, run: TimedRun, warmUp = true): Promise<number> {
  if (warmUp) await run();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) samples.push(await run());
  return median(samples);
}

/** Events (or any unit of work) per second. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}
