/**
 * The report's pure parts: escaping, the page's sections, SVG charts, and the same rows giving
 * the same page. Rows come from the in-memory store through a played scenario.
 */
import { describe, expect, it } from 'vitest';
import { lifecycleMermaid } from '@misas/core';
import type { CaseRegisterRow } from '@misas/projections';
import { openStorage } from '@misas/adapters';
import { simulateYear } from '../simulation/index.ts';
import { buildReport, escapeHtml, escapeScriptText, readRegisterRows, referralSpan, reportPage, reportFigures } from './index.ts';
import { computeIndicators } from '@misas/projections';

const chartIds = ['funnel', 'outcomes', 'durations', 'renunciation-causes', 'care-types', 'minutes-by-activity', 'minutes-by-counsellor'];

/** Register rows of a small simulated quarter, read once for every test. */
const rows: Promise<CaseRegisterRow[]> = (async () => {
  const storage = await openStorage('memory:');
  try {
    await simulateYear({ storage, cases: 40, from: '2026-01-01', to: '2026-03-31', seed: 3 });
    return (await readRegisterRows(storage, {})).rows;
  } finally {
    await storage.close();
  }
})();

describe('HTML escaping', () => {
  it('given markup and quotes, when escaped for HTML, then none is left to the parser', () => {
    expect(escapeHtml(`<b a="1" c='2'>&amp;</b>`)).toBe('&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;');
  });

  it('given a script holding a closing tag and a comment opener, when escaped for a script element, then neither remains', () => {
    const escaped = escapeScriptText(`a = "</SCRIPT><!-- x"; b = /<!--/;`);
    expect(escaped).not.toMatch(/<\/script|<!--/i);
    expect(escaped).toBe(`a = "\\x3C/SCRIPT>\\x3C!-- x"; b = /\\x3C!--/;`);
  });

  it('given a fund id holding markup, when the page is built, then it appears escaped only', async () => {
    const all = await rows;
    const period = { from: '2026-01-01', to: '2026-03-31' };
    const figures = reportFigures(all, computeIndicators(all, period), '<script>alert(1)</script>');
    const page = reportPage({ figures, charts: [], lifecycleMermaid: 'stateDiagram-v2\n  a --> b : X [g]\n', mermaidBundle: null });
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('fund &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('a --&gt; b : X [g]');
  });
});

describe('report figures', () => {
  it('given the register rows, when the funnel is drawn, then each step holds no more cases than the one before', async () => {
    const all = await rows;
    const figures = reportFigures(all, computeIndicators(all, { from: '2026-01-01', to: '2026-03-31' }), null);
    const values = figures.funnel.map((bar) => bar.value);
    expect(values[0]).toBe(40);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(referralSpan(all)).toEqual({ from: expect.stringMatching(/^2026-01/), to: expect.stringMatching(/^2026-03/) });
  });
});

describe('report page', () => {
  it('given the rows, when the report is built, then every section is there, every chart is inline SVG, and the diagram is the machine’s', async () => {
    // Given
    const all = await rows;
    // When
    const page = await buildReport(all, { from: '2026-01-01', to: '2026-03-31', fundId: null, mermaidBundle: 'window.mermaid = {};' });
    // Then
    for (const id of ['headlines', 'charts', 'lifecycle', 'lifecycle-diagram']) expect(page).toContain(`id="${id}"`);
    for (const id of chartIds) expect(page).toMatch(new RegExp(`<figure class="chart" data-chart="${id}">[\\s\\S]*?<svg[\\s\\S]*?class="mark-rect[\\s\\S]*?</svg>\\s*</figure>`));
    expect(page).toContain(escapeHtml(lifecycleMermaid()));
    expect(page).toContain('no personal data');
    // and it fetches nothing: no external script, style, image or font
    expect(page).not.toMatch(/<(script|img|link)[^>]+(src|href)=/i);
    expect(page).not.toMatch(/url\(\s*['"]?https?:/i);
  });

  it('given the same rows twice, when the report is built, then the pages are identical', async () => {
    const all = await rows;
    const options = { from: '2026-01-01', to: '2026-03-31', fundId: null, mermaidBundle: null };
    expect(await buildReport(all, options)).toBe(await buildReport([...all], options));
  });
});
