/**
 * What a benchmark reports. Every figure that has a limit is a ratio measured in the same run;
 * absolute values are there for information only.
 */

import { z } from 'zod';

/** What a result must reach. */
export const Target = z.discriminatedUnion('kind', [
  /** ours / limit, in throughput terms (higher is better). */
  z.strictObject({ kind: z.literal('ratio-at-least'), value: z.number() }),
  /** An absolute floor on `ours` (e.g. events per second in memory). */
  z.strictObject({ kind: z.literal('at-least'), value: z.number() }),
  /** An absolute ceiling on `ours` (e.g. seconds for a national year). */
  z.strictObject({ kind: z.literal('at-most'), value: z.number() }),
]);
export type Target = z.infer<typeof Target>;

/** One measured figure. */
export const BenchResult = z.strictObject({
  /** Stable id, `suite/case`, e.g. `append-sqlite/single-writer`. */
  id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/),
  title: z.string(),
  /** Unit of `ours` and `limit`, e.g. `events/s`, `µs per case`, `s`. */
  unit: z.string(),
  /** Our median, in `unit`. */
  ours: z.number(),
  /** The limit's median in `unit`, when there is one. */
  limit: z.number().nullable(),
  /** ours / limit in throughput terms (above 1 is faster than the limit), when there is a limit. */
  ratio: z.number().nullable(),
  target: Target.nullable(),
  /** Whether the target was reached (null without a target). */
  met: z.boolean().nullable(),
  repetitions: z.number().int().min(1),
  /** Anything else worth printing: sizes, counts, settings. */
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
});
export type BenchResult = z.infer<typeof BenchResult>;

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
