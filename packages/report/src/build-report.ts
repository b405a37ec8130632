/**
 * The report from register rows: figures, charts, page. Reads no store: give it rows.
 */
import { lifecycleMermaid } from '@misas/core';
import { computeIndicators, type CaseRegisterRow } from '@misas/projections';
import { barChartSvg } from './charts.ts';
import { reportPage, type RenderedChart } from './page.ts';
import { reportFigures, type ReportFigures } from './report-figures.ts';

/** What to report on. */
export interface ReportOptions {
  /** First and last referral date of the period (inclusive). */
  readonly from: string;
  /** Last referral date of the period (inclusive). */
  readonly to: string;
  /** The fund the rows were read for; `null` for every fund. */
  readonly fundId: string | null;
  /** Mermaid's browser bundle (see `readMermaidBundle`); `null` leaves the diagram as text. */
  readonly mermaidBundle: string | null;
}

/** The charts of the page, in the order shown. */
export async function reportCharts(figures: ReportFigures): Promise<RenderedChart[]> {
  const chart = async (id: string, heading: string, caption: string, svg: Promise<string>): Promise<RenderedChart> => ({ id, heading, caption, svg: await svg });
  return Promise.all([
    chart('funnel', 'Lifecycle funnel', 'Cases at each step, each among the cases of the step before.', barChartSvg(figures.funnel, { title: 'Cases by step', unit: 'cases', keepOrder: true })),
    chart('outcomes', 'Outcomes', 'Rights opened, care carried out and out-of-pocket savings recorded, by type.', barChartSvg(figures.outcomes, { title: 'Outcomes recorded', unit: 'outcomes' })),
    chart('durations', 'Durations', 'Median and 90th percentile, in calendar days, of the cases that reached both ends.', barChartSvg(figures.durations, { title: 'Days', unit: 'days', keepOrder: true })),
    chart('renunciation-causes', 'Why care is given up', 'Cases whose referral form ticks each cause.', barChartSvg(figures.renunciationCauses, { title: 'Renunciation causes', unit: 'cases', keepOrder: true })),
    chart('care-types', 'Care types', 'Cases giving up each type of care (form), and care carried out afterwards.', barChartSvg(figures.careTypes, { title: 'Care types', unit: 'cases or outcomes', keepOrder: true })),
    chart('minutes-by-activity', 'Workload by activity', 'Counsellor minutes logged on the cases, by activity.', barChartSvg(figures.minutesByActivity, { title: 'Minutes by activity', unit: 'minutes', keepOrder: true })),
    chart('minutes-by-counsellor', 'Workload by counsellor', 'Minutes logged on the cases, by pseudonymous counsellor id.', barChartSvg(figures.minutesByCounsellor, { title: 'Minutes by counsellor', unit: 'minutes', keepOrder: true })),
  ]);
}

/**
 * The report page of `rows` over the period: the same rows and options give the same HTML.
 * @throws RangeError when the period is not two days in order
 */
export async function buildReport(rows: readonly CaseRegisterRow[], options: ReportOptions): Promise<string> {
  const indicators = computeIndicators(rows, { from: options.from, to: options.to });
  const figures = reportFigures(rows.filter((row) => row.dates.referralDate >= options.from && row.dates.referralDate <= options.to), indicators, options.fundId);
  return reportPage({ figures, charts: await reportCharts(figures), lifecycleMermaid: lifecycleMermaid(), mermaidBundle: options.mermaidBundle });
}
