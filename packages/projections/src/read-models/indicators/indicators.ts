/**
 * Indicators of the Mission accompagnement santé over any period, overall and broken down by a
 * dimension. A pure module over case-register rows: give it rows (from
 * {@link registerRowsForPeriod}, a file, a test) and it computes; it reads no store and no clock.
 * The meaning of every figure is in `indicatorDefinitions`.
 */
import { dayWithin, requirePeriod } from '../shared/days.ts';
import { compareKeys } from '../shared/documents.ts';
import type { CaseRegisterRow } from '../register/register-row.ts';
import { breakdownDefinition, type BreakdownDimension } from './breakdowns.ts';
import { indicatorSetOf, type IndicatorSet } from './indicator-set.ts';

/** What to compute. */
export interface IndicatorOptions {
  /** First referral date of the period (inclusive, `YYYY-MM-DD`). */
  readonly from: string;
  /** Last referral date of the period (inclusive). */
  readonly to: string;
  /** Also compute the indicators of each group of this dimension. */
  readonly groupBy?: BreakdownDimension;
  /**
   * Leave out the people who object to their data being passed on for evaluation. Off by
   * default: the figures are aggregates for the fund's own steering; turn it on for a report
   * that leaves the fund.
   */
  readonly excludeObjectingToEvaluation?: boolean;
}

/** The indicators of one group of a breakdown. */
export interface IndicatorGroup {
  readonly key: string;
  readonly indicators: IndicatorSet;
}

/** An indicator report. */
export interface IndicatorReport {
  readonly period: { readonly from: string; readonly to: string };
  readonly groupBy: BreakdownDimension | null;
  /** Rows left out because the person objects to evaluation (0 unless asked to exclude them). */
  readonly excludedObjectingToEvaluation: number;
  readonly overall: IndicatorSet;
  /** One entry per group present in the period, by key in code-point order; empty without `groupBy`. */
  readonly groups: readonly IndicatorGroup[];
}

/**
 * Computes the indicators of the cases referred in [from, to] among `rows` (rows outside the
 * period are ignored, so a caller may pass the whole register).
 *
 * @throws RangeError when the period is not two days in order, or the dimension is unknown.
 */
export function computeIndicators(rows: readonly CaseRegisterRow[], options: IndicatorOptions): IndicatorReport {
  const period = requirePeriod(options.from, options.to);
  const inPeriod = rows.filter((row) => dayWithin(row.dates.referralDate, period.from, period.to));
  const population = options.excludeObjectingToEvaluation ? inPeriod.filter((row) => !row.objectsToEvaluation) : inPeriod;
  const groups: IndicatorGroup[] = [];
  if (options.groupBy !== undefined) {
    const dimension = breakdownDefinition(options.groupBy);
    const members = new Map<string, CaseRegisterRow[]>();
    for (const row of population) {
      // A multi-valued field listing a value twice still puts the case once in its group.
      for (const key of new Set(dimension.groupsOf(row))) {
        const group = members.get(key);
        if (group) group.push(row);
        else members.set(key, [row]);
      }
    }
    for (const key of [...members.keys()].sort(compareKeys)) groups.push({ key, indicators: indicatorSetOf(members.get(key) ?? []) });
  }
  return {
    period,
    groupBy: options.groupBy ?? null,
    excludedObjectingToEvaluation: inPeriod.length - population.length,
    overall: indicatorSetOf(population),
    groups,
  };
}
