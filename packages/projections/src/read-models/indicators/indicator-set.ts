/**
 * The indicators of one population of register rows. Pure: the same rows give the same figures.
 * Each field is defined once, in words, in `indicatorDefinitions`; the tests hold the two together.
 */
import { CareType, ClosureReason, DeclineReason, Partner, RightOpened, WorkActivity, type Outcome, type PlanStrand } from '@misas/core';
import type { CaseRegisterRow } from '../register/register-row.ts';
import { StrandOrNone } from '../register/register-row.ts';
import { durationStats, type DurationStats } from './percentiles.ts';

/** A share that keeps what it is made of. `value` is numerator / denominator, `null` when the denominator is 0. */
export interface Share {
  readonly numerator: number;
  readonly denominator: number;
  readonly value: number | null;
}

/** The kinds of outcome, in the catalogue's order. */
export const outcomeKinds = ['right-opened', 'care-carried-out', 'out-of-pocket-saved'] as const satisfies readonly Outcome['kind'][];
/** A kind of outcome: a right opened, care carried out, out-of-pocket costs saved. */
export type OutcomeKind = (typeof outcomeKinds)[number];

/** Every indicator of a population. Field names are the ids of `indicatorDefinitions`. */
export interface IndicatorSet {
  readonly referred: number;
  readonly accepted: number;
  readonly redirected: number;
  readonly declined: number;
  readonly awaitingTriage: number;
  readonly accompaniedAndClosed: number;
  readonly rightsShare: Share;
  readonly careShare: Share;
  readonly referralToFirstContact: DurationStats;
  readonly firstContactToPlan: DurationStats;
  readonly planToClosure: DurationStats;
  readonly referralToClosure: DurationStats;
  readonly outcomesByType: Readonly<Record<OutcomeKind, number>>;
  readonly rightsOpened: Readonly<Record<RightOpened, number>>;
  readonly careCarriedOut: Readonly<Record<CareType, number>>;
  readonly outOfPocketSaved: { readonly totalCents: number; readonly cases: number };
  readonly closureReasons: Readonly<Record<ClosureReason, number>>;
  readonly declineReasons: Readonly<Record<DeclineReason, number>>;
  readonly partnerReferrals: Readonly<Record<Partner, { readonly referrals: number; readonly cases: number }>>;
  readonly orientedTo: Readonly<Record<Partner, number>>;
  readonly minutesPerCase: Share;
  readonly minutesByStrand: Readonly<Record<PlanStrand | 'none', number>>;
  readonly minutesByActivity: Readonly<Record<WorkActivity, number>>;
}

/** The id of an indicator: a field of {@link IndicatorSet}. */
export type IndicatorId = keyof IndicatorSet;

/** A share of `numerator` in `denominator`. */
export function shareOf(numerator: number, denominator: number): Share {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

function tally<K extends string>(keys: readonly K[], values: Iterable<K>): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const value of values) counts[value] += 1;
  return counts;
}

function sum<K extends string>(keys: readonly K[], records: Iterable<Readonly<Record<K, number>>>): Record<K, number> {
  const totals = tally(keys, []);
  for (const record of records) for (const key of keys) totals[key] += record[key];
  return totals;
}

const durations = (rows: readonly CaseRegisterRow[], pick: (row: CaseRegisterRow) => number | null): DurationStats =>
  durationStats(rows.map(pick).filter((days): days is number => days !== null));

/** Accepted, plan agreed, closed now: the denominator of the headline shares. */
export function isCompletedAccompaniment(row: CaseRegisterRow): boolean {
  return row.triageDecision === 'accepted' && row.dates.planAgreedAt !== null && row.status === 'closed';
}

function partnerReferralsOf(rows: readonly CaseRegisterRow[]): IndicatorSet['partnerReferrals'] {
  const result = Object.fromEntries(Partner.options.map((partner) => [partner, { referrals: 0, cases: 0 }])) as Record<Partner, { referrals: number; cases: number }>;
  for (const row of rows) {
    for (const referral of row.partnerReferrals) result[referral.partner].referrals += 1;
    for (const partner of new Set(row.partnerReferrals.map((referral) => referral.partner))) result[partner].cases += 1;
  }
  return result;
}

/** Computes every indicator over `rows`, taken as they are (no period filter here). */
export function indicatorSetOf(rows: readonly CaseRegisterRow[]): IndicatorSet {
  const completed = rows.filter(isCompletedAccompaniment);
  const closed = rows.filter((row) => row.status === 'closed');
  const triage = tally(['accepted', 'redirected', 'declined', 'none'], rows.map((row) => row.triageDecision ?? 'none'));
  const minutes = rows.reduce((total, row) => total + row.minutes.total, 0);
  return {
    referred: rows.length,
    accepted: triage.accepted,
    redirected: triage.redirected,
    declined: triage.declined,
    awaitingTriage: triage.none,
    accompaniedAndClosed: completed.length,
    rightsShare: shareOf(completed.filter((row) => row.outcomes.rightsOpened.length > 0).length, completed.length),
    careShare: shareOf(completed.filter((row) => row.outcomes.careCarriedOut.length > 0).length, completed.length),
    referralToFirstContact: durations(rows, (row) => row.durations.referralToFirstContact),
    firstContactToPlan: durations(rows, (row) => row.durations.firstContactToPlan),
    planToClosure: durations(rows, (row) => row.durations.planToClosure),
    referralToClosure: durations(rows, (row) => row.durations.referralToClosure),
    outcomesByType: {
      'right-opened': rows.reduce((n, row) => n + row.outcomes.rightsOpened.length, 0),
      'care-carried-out': rows.reduce((n, row) => n + row.outcomes.careCarriedOut.length, 0),
      'out-of-pocket-saved': rows.reduce((n, row) => n + row.outcomes.savingsRecorded, 0),
    },
    rightsOpened: tally(RightOpened.options, rows.flatMap((row) => row.outcomes.rightsOpened)),
    careCarriedOut: tally(CareType.options, rows.flatMap((row) => row.outcomes.careCarriedOut)),
    outOfPocketSaved: {
      totalCents: rows.reduce((total, row) => total + row.outcomes.outOfPocketSavedCents, 0),
      cases: rows.filter((row) => row.outcomes.savingsRecorded > 0).length,
    },
    closureReasons: tally(ClosureReason.options, closed.flatMap((row) => (row.closureReason === null ? [] : [row.closureReason]))),
    declineReasons: tally(DeclineReason.options, rows.flatMap((row) => (row.triageDecision === 'declined' && row.declineReason !== null ? [row.declineReason] : []))),
    partnerReferrals: partnerReferralsOf(rows),
    orientedTo: tally(Partner.options, closed.flatMap((row) => [...new Set(row.orientedTo)])),
    minutesPerCase: shareOf(minutes, rows.length),
    minutesByStrand: sum(StrandOrNone.options, rows.map((row) => row.minutes.byStrand)),
    minutesByActivity: sum(WorkActivity.options, rows.map((row) => row.minutes.byActivity)),
  };
}
