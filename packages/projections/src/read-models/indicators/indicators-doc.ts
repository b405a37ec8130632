/**
 * The generated part of `docs/indicators.md`: population, durations, percentile method, the
 * definition of every indicator and every breakdown dimension, rendered from the same data the
 * code uses. The rest of the page is written by hand around the markers.
 */
import { breakdownDefinitions } from './breakdowns.ts';
import { durationDefinition, indicatorDefinitions, populationDefinition } from './indicator-definitions.ts';
import { percentileMethod } from './percentiles.ts';

/** The markers that delimit the generated section in `docs/indicators.md`. */
export const generatedSectionMarkers = {
  start: '<!-- indicator-definitions:start (generated from packages/projections/src/read-models/indicators; do not edit) -->',
  end: '<!-- indicator-definitions:end -->',
} as const;

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The generated section, markers included. */
export function indicatorDefinitionsMarkdown(): string {
  const lines = [
    generatedSectionMarkers.start,
    '',
    '### Population',
    '',
    populationDefinition,
    '',
    '### Durations and percentiles',
    '',
    durationDefinition,
    '',
    percentileMethod,
    '',
    '### Definitions',
    '',
    '| Id | Indicator | Unit | Definition |',
    '| --- | --- | --- | --- |',
    ...indicatorDefinitions.map((d) => `| \`${d.id}\` | ${cell(d.label)} | ${d.unit} | ${cell(d.definition)} |`),
    '',
    '### Breakdown dimensions',
    '',
    '| Id | Dimension | A case may be in several groups | Groups |',
    '| --- | --- | --- | --- |',
    ...breakdownDefinitions.map((d) => `| \`${d.id}\` | ${cell(d.label)} | ${d.multiValued ? 'yes' : 'no'} | ${cell(d.definition)} |`),
    '',
    generatedSectionMarkers.end,
  ];
  return lines.join('\n');
}

/**
 * `document` with its generated section replaced by the current one.
 * @throws Error when the markers are missing or out of order.
 */
export function withGeneratedSection(document: string): string {
  const start = document.indexOf(generatedSectionMarkers.start);
  const end = document.indexOf(generatedSectionMarkers.end);
  if (start < 0 || end < start) throw new Error('docs/indicators.md has lost the markers of its generated section');
  return document.slice(0, start) + indicatorDefinitionsMarkdown() + document.slice(end + generatedSectionMarkers.end.length);
}
