/**
 * The figures the report draws, taken from the register rows and their indicators. Pure: the
 * same rows give the same figures. Everything here is an aggregate: counts, minutes, days.
 */
import { CareType, RenunciationCause, RightOpened, WorkActivity } from '@misas/core';
import type { CaseRegisterRow, IndicatorReport, Share } from '@misas/projections';

/** One bar: a label and a value. `series` tells two bars of the same label apart. */
export interface Bar {
  /** What the bar stands for, as the chart's axis shows it. */
  readonly label: string;
  /** Its height: a count, a share in percent or a number of days, as the chart says. */
  readonly value: number;
  /** The series the bar belongs to, when a chart shows two side by side. */
  readonly series?: string;
}

/** A headline figure, already worded. */
export interface Headline {
  /** What the figure measures, e.g. `Accompanied on their rights`. */
  readonly label: string;
  /** The figure, formatted for the page (a percent, a count). */
  readonly value: string;
  /** What the figure is made of, e.g. `41 / 52`. */
  readonly detail: string;
}

/** Everything the page shows, chart by chart. */
export interface ReportFigures {
  /** First and last referral date of the period (inclusive). */
  readonly period: { readonly from: string; readonly to: string };
  /** The fund reported on; `null` for every fund together. */
  readonly fundId: string | null;
  /** The headline figures at the top of the page (the service's two rates first). */
  readonly headlines: readonly Headline[];
  /** Referred → accepted → reached → consent → plan agreed → closed, each step among the previous one. */
  readonly funnel: readonly Bar[];
  /** Rights opened, care carried out and savings recorded, by kind (series) and type (label); types never recorded are left out. */
  readonly outcomes: readonly Bar[];
  /** Median and 90th percentile (series) of each duration, in days. */
  readonly durations: readonly Bar[];
  /** Why care was given up, as ticked on the referral form, by cause. */
  readonly renunciationCauses: readonly Bar[];
  /** Care given up on the form and care carried out (series), by type. */
  readonly careTypes: readonly Bar[];
  /** Minutes logged by counsellors, per kind of work. */
  readonly minutesByActivity: readonly Bar[];
  /** Minutes logged per counsellor (pseudonymous staff ids), most first. */
  readonly minutesByCounsellor: readonly Bar[];
}

const percent = (share: Share): string => (share.value === null ? '—' : `${(share.value * 100).toFixed(1)} %`);

/** Counts how many rows list each value (a value listed twice on one row counts once). */
function tallyLists<K extends string>(keys: readonly K[], lists: Iterable<readonly K[]>): Bar[] {
  const counts = new Map<K, number>(keys.map((key) => [key, 0]));
  for (const list of lists) for (const key of new Set(list)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return keys.map((key) => ({ label: key, value: counts.get(key) ?? 0 }));
}

/**
 * The lifecycle funnel. The first two and the last steps are the indicators' own figures; the
 * steps between are read from the same rows, each among the cases of the step before, so that
 * the bars only ever shrink. Consent counts consent given, even if withdrawn since.
 */
function funnelOf(rows: readonly CaseRegisterRow[], indicators: IndicatorReport): Bar[] {
  const accepted = rows.filter((row) => row.triageDecision === 'accepted');
  const reached = accepted.filter((row) => row.dates.firstContactAt !== null);
  const consented = reached.filter((row) => row.consent === 'given' || row.consent === 'withdrawn');
  const planned = consented.filter((row) => row.dates.planAgreedAt !== null);
  const { overall } = indicators;
  return [
    { label: '1 referred', value: overall.referred },
    { label: '2 accepted', value: overall.accepted },
    { label: '3 reached', value: reached.length },
    { label: '4 consent given', value: consented.length },
    { label: '5 plan agreed', value: planned.length },
    { label: '6 closed after a plan', value: overall.accompaniedAndClosed },
  ];
}

/** Minutes per counsellor; time logged before assignment goes under `unassigned`. */
function minutesByCounsellorOf(rows: readonly CaseRegisterRow[]): Bar[] {
  const minutes = new Map<string, number>();
  for (const row of rows) {
    const key = row.counsellorId ?? 'unassigned';
    minutes.set(key, (minutes.get(key) ?? 0) + row.minutes.total);
  }
  // Most minutes first, then by id, so that the same rows always give the same chart.
  return [...minutes]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/**
 * The figures of the report.
 * @param rows the register rows of the period (and fund), as `registerRowsForPeriod` returns them
 * @param indicators `computeIndicators` over the same rows and period
 */
export function reportFigures(rows: readonly CaseRegisterRow[], indicators: IndicatorReport, fundId: string | null): ReportFigures {
  const { overall } = indicators;
  const euros = (cents: number) => `${(cents / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
  const days = (value: number | null) => (value === null ? '—' : `${value} d`);
  return {
    period: indicators.period,
    fundId,
    headlines: [
      { label: 'Cases referred', value: String(overall.referred), detail: `${overall.accepted} accepted, ${overall.redirected} redirected, ${overall.declined} declined` },
      { label: 'Accompanied and closed', value: String(overall.accompaniedAndClosed), detail: 'accepted, plan agreed, closed' },
      { label: 'Rights opened', value: percent(overall.rightsShare), detail: `${overall.rightsShare.numerator} / ${overall.rightsShare.denominator} closed accompaniments` },
      { label: 'Care carried out', value: percent(overall.careShare), detail: `${overall.careShare.numerator} / ${overall.careShare.denominator} closed accompaniments` },
      { label: 'Out-of-pocket saved', value: euros(overall.outOfPocketSaved.totalCents), detail: `${overall.outOfPocketSaved.cases} cases` },
      {
        label: 'Counsellor time per case',
        value: overall.minutesPerCase.value === null ? '—' : `${overall.minutesPerCase.value.toFixed(0)} min`,
        detail: `${overall.minutesPerCase.numerator} min over ${overall.minutesPerCase.denominator} cases`,
      },
      { label: 'Referral to closure (median)', value: days(overall.referralToClosure.median), detail: `90th percentile ${days(overall.referralToClosure.p90)}` },
    ],
    funnel: funnelOf(rows, indicators),
    outcomes: [
      ...RightOpened.options.map((label) => ({ label, value: overall.rightsOpened[label], series: 'right opened' })),
      // Prefixed so that care types read apart from the rights on the same axis.
      ...CareType.options.map((label) => ({ label: `care: ${label}`, value: overall.careCarriedOut[label], series: 'care carried out' })),
      { label: 'out-of-pocket saving', value: overall.outcomesByType['out-of-pocket-saved'], series: 'saving recorded' },
    ].filter((bar) => bar.value > 0),
    durations: (
      [
        ['referral → first contact', overall.referralToFirstContact],
        ['first contact → plan', overall.firstContactToPlan],
        ['plan → closure', overall.planToClosure],
        ['referral → closure', overall.referralToClosure],
      ] as const
    ).flatMap(([label, stats]) => [
      { label, value: stats.median ?? 0, series: 'median' },
      { label, value: stats.p90 ?? 0, series: '90th percentile' },
    ]),
    renunciationCauses: tallyLists(RenunciationCause.options, rows.map((row) => row.renunciationCauses)),
    careTypes: [
      ...tallyLists(CareType.options, rows.map((row) => row.careTypes)).map((bar) => ({ ...bar, series: 'given up (form)' })),
      ...CareType.options.map((label) => ({ label, value: overall.careCarriedOut[label], series: 'carried out' })),
    ],
    minutesByActivity: WorkActivity.options.map((label) => ({ label, value: overall.minutesByActivity[label] })),
    minutesByCounsellor: minutesByCounsellorOf(rows),
  };
}
