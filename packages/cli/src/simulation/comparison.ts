/**
 * The simulated year against the calibration: the two published headline shares, and the shares
 * of the paths the calibration assumes.
 */
import type { IndicatorReport } from '@misas/projections';
import type { Calibration } from './calibration.ts';

/** One figure of the simulated year next to its target. */
export interface ComparisonRow {
  readonly indicator: 'rightsShare' | 'careShare' | 'redirectedShare' | 'declinedShare' | 'unreachableShare' | 'consentRefusedShare';
  readonly label: string;
  /** What the calibration aims at, between 0 and 1. */
  readonly target: number;
  /** What the simulation gave, or `null` when its denominator is 0. */
  readonly actual: number | null;
  readonly numerator: number;
  readonly denominator: number;
  /** `actual - target`, in points of percentage (null when `actual` is). */
  readonly differencePoints: number | null;
  /** Where the target comes from. */
  readonly source: 'published' | 'assumption';
}

function row(
  indicator: ComparisonRow['indicator'],
  label: string,
  target: number,
  numerator: number,
  denominator: number,
  source: ComparisonRow['source'],
): ComparisonRow {
  const actual = denominator === 0 ? null : numerator / denominator;
  return { indicator, label, target, actual, numerator, denominator, differencePoints: actual === null ? null : (actual - target) * 100, source };
}

/** Compares the overall indicators of the period with the calibration's targets and path shares. */
export function compareWithCalibration(report: IndicatorReport, calibration: Calibration): ComparisonRow[] {
  const overall = report.overall;
  const { paths, targets } = calibration;
  const referred = overall.referred;
  return [
    row('rightsShare', 'Accompanied people helped with their rights', targets.rightsShare, overall.rightsShare.numerator, overall.rightsShare.denominator, 'published'),
    row('careShare', 'Accompanied people who carried out their care', targets.careShare, overall.careShare.numerator, overall.careShare.denominator, 'published'),
    row('redirectedShare', 'Referrals redirected to the social service', paths.redirectedOnForm + paths.redirectedAtTriage, overall.redirected, referred, 'assumption'),
    row('declinedShare', 'Referrals declined at triage', paths.declined, overall.declined, referred, 'assumption'),
    row('unreachableShare', 'Referrals closed as unreachable', paths.unreachable, overall.closureReasons.unreachable, referred, 'assumption'),
    row('consentRefusedShare', 'Referrals closed on a refusal of consent', paths.consentRefused, overall.closureReasons['consent-refused'], referred, 'assumption'),
  ];
}
