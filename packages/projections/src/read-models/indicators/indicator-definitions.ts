/**
 * What each indicator means, written once, as data: the TSDoc of the code points here, and
 * `docs/indicators.md` carries these texts verbatim (a test checks it). Change a definition here,
 * and regenerate the doc.
 */
import type { IndicatorId } from './indicator-set.ts';

/** The kind of figure an indicator is. */
export type IndicatorUnit = 'count' | 'share' | 'ratio' | 'days' | 'counts-by-value' | 'cents';

/** One indicator: its id (a field of `IndicatorSet`), its label, its unit and its definition. */
export interface IndicatorDefinition {
  readonly id: IndicatorId;
  readonly label: string;
  readonly unit: IndicatorUnit;
  readonly definition: string;
}

/** Who is counted: the population every indicator is computed over. */
export const populationDefinition =
  'Every indicator is computed over the referred cases: the cases of the register whose referral date (the date written on the referral form) ' +
  'falls within the period [from, to], both days included, whatever became of them since. Figures are as of the moment the register was read: ' +
  'a case still open may add outcomes, a closure or a reopening later.';

/** How durations are measured. */
export const durationDefinition =
  'Durations are whole calendar days (UTC) between two moments of a case, counted over the referred cases for which both moments exist; ' +
  'each gives the number of cases measured, the median and the 90th percentile.';

/** Every indicator, in the order of a report. */
export const indicatorDefinitions = [
  { id: 'referred', label: 'Cases referred', unit: 'count', definition: 'Cases whose referral date falls within the period, whatever became of them.' },
  { id: 'accepted', label: 'Referrals accepted', unit: 'count', definition: 'Referred cases that triage took on (ReferralAccepted), whatever happened next.' },
  {
    id: 'redirected',
    label: 'Referrals redirected',
    unit: 'count',
    definition: 'Referred cases sent to the health-insurance social service instead of an accompaniment (ReferralRedirected), automatically for a complex social situation or at triage.',
  },
  {
    id: 'declined',
    label: 'Referrals declined',
    unit: 'count',
    definition: "Referred cases that triage declined (ReferralDeclined), including those ended by the person's erasure request before triage (see declineReasons).",
  },
  {
    id: 'awaitingTriage',
    label: 'Referrals awaiting triage',
    unit: 'count',
    definition: 'Referred cases with no triage decision yet. Accepted, redirected, declined and awaiting triage add up to the cases referred.',
  },
  {
    id: 'accompaniedAndClosed',
    label: 'Accompaniments completed',
    unit: 'count',
    definition: 'Accepted cases whose plan was agreed with the person (PlanAgreed, which needs valid consent) and that are closed: the denominator of the two headline shares.',
  },
  {
    id: 'rightsShare',
    label: 'Share of accompanied people helped with their rights',
    unit: 'share',
    definition: "Numerator: accompaniments completed with at least one 'right-opened' outcome. Denominator: accompaniments completed. National headline: 58 % in 2019.",
  },
  {
    id: 'careShare',
    label: 'Share of accompanied people who carried out their care',
    unit: 'share',
    definition: "Numerator: accompaniments completed with at least one 'care-carried-out' outcome. Denominator: accompaniments completed. National headline: 45 % in 2019.",
  },
  {
    id: 'referralToFirstContact',
    label: 'Referral to first contact',
    unit: 'days',
    definition: 'Days from the referral date to the first contact attempt that reached the person, over the referred cases reached at least once.',
  },
  {
    id: 'firstContactToPlan',
    label: 'First contact to plan',
    unit: 'days',
    definition: 'Days from the first contact attempt that reached the person to the first agreement of the plan, over the referred cases with both.',
  },
  {
    id: 'planToClosure',
    label: 'Plan to closure',
    unit: 'days',
    definition: 'Days from the first agreement of the plan to the latest closure, over the referred cases closed now after a plan was agreed.',
  },
  {
    id: 'referralToClosure',
    label: 'Referral to closure',
    unit: 'days',
    definition: 'Days from the referral date to the latest closure, over the referred cases closed now, with or without a plan.',
  },
  {
    id: 'outcomesByType',
    label: 'Outcomes by type',
    unit: 'counts-by-value',
    definition: 'Outcomes recorded on the referred cases, one per OutcomeRecorded, by kind: right opened, care carried out, out-of-pocket cost saved.',
  },
  { id: 'rightsOpened', label: 'Rights opened', unit: 'counts-by-value', definition: "Rights opened on the referred cases, one per 'right-opened' outcome, by right." },
  {
    id: 'careCarriedOut',
    label: 'Care carried out',
    unit: 'counts-by-value',
    definition: "Care carried out on the referred cases, one per 'care-carried-out' outcome, by type of care.",
  },
  {
    id: 'outOfPocketSaved',
    label: 'Out-of-pocket cost saved',
    unit: 'cents',
    definition: "The sum in euro cents of the 'out-of-pocket-saved' outcomes of the referred cases, and the number of cases with at least one.",
  },
  {
    id: 'closureReasons',
    label: 'Closure reasons',
    unit: 'counts-by-value',
    definition:
      "Referred cases closed now, by the reason of their latest closure, including the closures that follow the person's own request: a withdrawal of consent ('consent-withdrawn') or an erasure request ('erasure-requested').",
  },
  {
    id: 'declineReasons',
    label: 'Decline reasons',
    unit: 'counts-by-value',
    definition: "Referred cases declined at triage, by reason; a referral ended by the person's erasure request before triage is under 'erasure-requested'.",
  },
  {
    id: 'partnerReferrals',
    label: 'Partner referrals by partner',
    unit: 'counts-by-value',
    definition: 'Partner referrals made on the referred cases, by partner: the referrals (a case referred twice to a partner counts twice) and the distinct cases referred.',
  },
  {
    id: 'orientedTo',
    label: 'Orientation at closure',
    unit: 'counts-by-value',
    definition: 'Referred cases closed now, by partner they were oriented to at their latest closure (a case oriented to several partners counts for each).',
  },
  {
    id: 'minutesPerCase',
    label: 'Counsellor minutes per case',
    unit: 'ratio',
    definition: 'Counsellor minutes logged on the referred cases (numerator) divided by the number of referred cases (denominator), triage and declined referrals included.',
  },
  {
    id: 'minutesByStrand',
    label: 'Counsellor minutes by strand',
    unit: 'counts-by-value',
    definition: "Counsellor minutes logged on the referred cases, by plan strand; time logged without a strand is under 'none'.",
  },
  {
    id: 'minutesByActivity',
    label: 'Counsellor minutes by activity',
    unit: 'counts-by-value',
    definition: 'Counsellor minutes logged on the referred cases, by activity (triage, administrative review, contact, planning, follow-up…).',
  },
] as const satisfies readonly IndicatorDefinition[];

/** The definition of one indicator. */
export function indicatorDefinition(id: IndicatorId): IndicatorDefinition {
  const found = indicatorDefinitions.find((definition) => definition.id === id);
  // Unreachable while a test checks that every field of IndicatorSet has a definition.
  if (found === undefined) throw new Error(`no definition for indicator ${id}`);
  return found;
}
