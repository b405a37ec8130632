/**
 * Percentiles by the nearest-rank method: every result is a value that actually occurred (a
 * duration some person really waited), never an interpolation between two people.
 */

/** The percentile method, in words, for the documentation. */
export const percentileMethod =
  'Nearest rank: sort the n values in ascending order; the p-th percentile is the value at rank ⌈p × n / 100⌉ (counting from 1). ' +
  'The median is the 50th percentile by the same rule, so for an even n it is the lower of the two middle values, never their average. ' +
  'With no value, the median and the percentile are null.';

/**
 * The p-th percentile (0 < p ≤ 100) of `values` by nearest rank, or `null` when there is none.
 * @throws RangeError when p is out of range.
 */
export function nearestRankPercentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError('the percentile must be above 0 and at most 100');
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[rank - 1] ?? null;
}

/** How long something took over a set of cases, in whole days. */
export interface DurationStats {
  /** Cases measured. */
  readonly count: number;
  /** Nearest-rank median. */
  readonly median: number | null;
  /** Nearest-rank 90th percentile. */
  readonly p90: number | null;
}

/** Count, median and 90th percentile of `values`. */
export function durationStats(values: readonly number[]): DurationStats {
  return { count: values.length, median: nearestRankPercentile(values, 50), p90: nearestRankPercentile(values, 90) };
}
