import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { breakdownDefinitions } from './breakdowns.ts';
import { indicatorDefinitions, populationDefinition } from './indicator-definitions.ts';
import { indicatorSetOf } from './indicator-set.ts';
import { indicatorDefinitionsMarkdown, withGeneratedSection } from './indicators-doc.ts';
import { indicatorsExample } from './indicators-example.ts';
import { percentileMethod } from './percentiles.ts';

const docUrl = new URL('../../../../../docs/indicators.md', import.meta.url);
const doc = () => readFileSync(docUrl, 'utf8');

describe('indicator definitions and docs/indicators.md', () => {
  it('every indicator computed has exactly one definition, and every definition names an indicator', () => {
    const computed = Object.keys(indicatorSetOf([])).sort();
    const defined = indicatorDefinitions.map((d) => d.id);
    expect([...defined].sort()).toEqual(computed);
    expect(new Set(defined).size).toBe(defined.length);
  });

  it('the page lists each definition, dimension and the percentile method verbatim', () => {
    const page = doc();
    for (const { id, label, definition } of indicatorDefinitions) {
      expect(page, id).toContain(`| \`${id}\` | ${label} |`);
      expect(page, id).toContain(definition);
    }
    for (const { id, definition } of breakdownDefinitions) expect(page, id).toContain(definition);
    expect(page).toContain(percentileMethod);
    expect(page).toContain(populationDefinition);
  });

  it('the generated section is what the code renders now (regenerate with write-indicators-doc.ts)', () => {
    expect(doc()).toContain(indicatorDefinitionsMarkdown());
    expect(withGeneratedSection(doc())).toBe(doc());
    expect(() => withGeneratedSection('# no markers')).toThrow('markers');
  });

  it('definitions hold no character that would break the table', () => {
    for (const { definition, label } of [...indicatorDefinitions, ...breakdownDefinitions]) expect(`${label}${definition}`).not.toMatch(/[|\n]/);
  });

  it('the example runs as the page shows, and is quoted verbatim with the package import', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const report = await indicatorsExample();
    expect(log.mock.calls).toEqual([[2, 1, 1], [{ numerator: 1, denominator: 1, value: 1 }], [{ count: 1, median: 44, p90: 44 }]]);
    expect(report.groups.map((g) => g.key)).toEqual(['external-partner']);
    log.mockRestore();
    const source = readFileSync(new URL('./indicators-example.ts', import.meta.url), 'utf8')
      .trim()
      .replace("'../../index.ts'", "'@misas/projections'");
    expect(doc()).toContain(source);
  });
});
