/**
 * What a benchmark reports. Every figure that has a limit is a ratio measured in the same run;
 * absolute values are there for information only.
 */

/** What a result must reach. */
export type Target =
  /** ours / limit, in throughput terms (higher is better). */
  | { readonly kind: 'ratio-at-least'; readonly value: number }
  /** An absolute floor on `ours` (e.g. events per second in memory). */
  | { readonly kind: 'at-least'; readonly value: number }
  /** An absolute ceiling on `ours` (e.g. seconds for a national year). */
  | { readonly kind: 'at-most'; readonly value: number };

/** One measured figure. */
export interface BenchResult {
  /** Stable id, `suite/case`, e.g. `append-sqlite/single-writer`. */
  readonly id: string;
  readonly title: string;
  /** Unit of `ours` and `limit`, e.g. `events/s`, `µs per case`, `s`. */
  readonly unit: string;
  /** Our median, in `unit`. */
  readonly ours: number;
  /** The limit's median in `unit`, when there is one. */
  readonly limit: number | null;
  /** ours / limit in throughput terms (above 1 is faster than the limit), when there is a limit. */
  readonly ratio: number | null;
  readonly target: Target | null;
  /** Whether the target was reached (null without a target). */
  readonly met: boolean | null;
  readonly repetitions: number;
  /** Anything else worth printing: sizes, counts, settings. */
  readonly details?: Readonly<Record<string, number | string | boolean>>;
}

/** Whether a figure reaches its target. */
export function reaches(target: Target | null, ours: number, ratio: number | null): boolean | null {
  if (target === null) return null;
  switch (target.kind) {
    case 'ratio-at-least':
      return ratio !== null && ratio >= target.value;
    case 'at-least':
      return ours >= target.value;
    case 'at-most':
      return ours <= target.value;
  }
}

/** Builds a result, deciding `met` from the target. */
export function result(fields: Omit<BenchResult, 'met'>): BenchResult {
  return { ...fields, met: reaches(fields.target, fields.ours, fields.ratio) };
}

/** How a target reads in a table. */
export function describeTarget(target: Target | null, unit: string): string {
  if (target === null) return '—';
  switch (target.kind) {
    case 'ratio-at-least':
      return `≥ ${target.value} of limit`;
    case 'at-least':
      return `≥ ${target.value.toLocaleString('en')} ${unit}`;
    case 'at-most':
      return `≤ ${target.value.toLocaleString('en')} ${unit}`;
  }
}
