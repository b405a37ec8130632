/**
 * The report's pure parts: escaping, the page's sections, SVG charts, and the same rows giving
 * the same page, over the rows of a simulated half-year; and the rows read from a store.
 */
import { describe, expect, it } from 'vitest';
import { CaseCommandHandler, createInMemoryStorage, lifecycleMermaid } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { computeIndicators } from '@misas/projections';
import { buildReport, escapeHtml, escapeScriptText, readRegisterRows, referralSpan, reportPage, reportFigures } from './index.ts';
import { simulatedCases, simulatedPeriod, simulatedRows } from './testing/simulated-rows.ts';

const chartIds = ['funnel', 'outcomes', 'durations', 'renunciation-causes', 'care-types', 'minutes-by-activity', 'minutes-by-counsellor'];

/** Register rows of a simulated half-year. */
const rows = simulatedRows();

describe('HTML escaping', () => {
  it('given markup and quotes, when escaped for HTML, then none is left to the parser', () => {
    expect(escapeHtml(`<b a="1" c='2'>&amp;</b>`)).toBe('&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;');
  });

  it('given a script holding a closing tag and a comment opener, when escaped for a script element, then neither remains', () => {
    const escaped = escapeScriptText(`a = "</SCRIPT><!-- x"; b = /<!--/;`);
    expect(escaped).not.toMatch(/<\/script|<!--/i);
    expect(escaped).toBe(`a = "\\x3C/SCRIPT>\\x3C!-- x"; b = /\\x3C!--/;`);
  });

  it('given a fund id holding markup, when the page is built, then it appears escaped only', () => {
    const figures = reportFigures(rows, computeIndicators(rows, simulatedPeriod), '<script>alert(1)</script>');
    const page = reportPage({ figures, charts: [], lifecycleMermaid: 'stateDiagram-v2\n  a --> b : X [g]\n', mermaidBundle: null });
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('fund &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('a --&gt; b : X [g]');
  });
});

describe('report figures', () => {
  it('given the register rows, when the funnel is drawn, then each step holds no more cases than the one before', () => {
    const figures = reportFigures(rows, computeIndicators(rows, simulatedPeriod), null);
    const values = figures.funnel.map((bar) => bar.value);
    expect(values[0]).toBe(simulatedCases);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values.at(-1)).toBeGreaterThan(0);
    expect(referralSpan(rows)).toEqual({ from: expect.stringMatching(/^2026-01/), to: expect.stringMatching(/^2026-06/) });
  });
});

describe('report page', () => {
  it('given the rows, when the report is built, then every section is there, every chart is inline SVG, and the diagram is the machine’s', async () => {
    // When
    const page = await buildReport(rows, { ...simulatedPeriod, fundId: null, mermaidBundle: 'window.mermaid = {};' });
    // Then
    for (const id of ['headlines', 'charts', 'lifecycle', 'lifecycle-diagram']) expect(page).toContain(`id="${id}"`);
    for (const id of chartIds) expect(page).toMatch(new RegExp(`<figure class="chart" data-chart="${id}">[\\s\\S]*?<svg[\\s\\S]*?class="mark-rect[\\s\\S]*?</svg>\\s*</figure>`));
    expect(page).toContain(escapeHtml(lifecycleMermaid()));
    expect(page).toContain('no personal data');
    expect(page).toContain('mermaid.run(');
    // and it fetches nothing: no external script, style, image or font
    expect(page).not.toMatch(/<(script|img|link)[^>]+(src|href)=/i);
    expect(page).not.toMatch(/url\(\s*['"]?https?:/i);
  });

  it('given the same rows twice, when the report is built, then the pages are identical', async () => {
    const options = { ...simulatedPeriod, fundId: null, mermaidBundle: null };
    expect(await buildReport(rows, options)).toBe(await buildReport([...rows], options));
  });
});

describe('register rows from a store', () => {
  /** A store in memory holding one referral per date, of fund cpam-22 unless said. */
  async function storeWithReferrals(referrals: readonly { readonly date: string; readonly fundId?: string }[]) {
    const storage = createInMemoryStorage();
    const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault });
    for (const [index, { date, fundId = 'cpam-22' }] of referrals.entries()) {
      await handler.execute({
        type: 'ReceiveReferral',
        caseId: `case-${index}`,
        commandId: `cmd-${index}`,
        actor: { role: 'detector', id: 'ccas-lannion' },
        data: { fundId, form: sampleExternalForm({ referralDate: date, consent: { kind: 'signed', signedOn: date } }) },
      });
    }
    return storage;
  }

  it('given referrals the register has not caught up with, when read without a period, then every row comes, over the span of their dates', async () => {
    const storage = await storeWithReferrals([{ date: '2026-02-10' }, { date: '2026-01-20' }, { date: '2026-03-05' }]);
    const { rows: read, period } = await readRegisterRows(storage, {});
    expect(read.map((row) => row.dates.referralDate).sort()).toEqual(['2026-01-20', '2026-02-10', '2026-03-05']);
    expect(period).toEqual({ from: '2026-01-20', to: '2026-03-05' });
  });

  it('given a period and a fund, when read, then only their rows come', async () => {
    const storage = await storeWithReferrals([{ date: '2026-01-20' }, { date: '2026-02-10' }, { date: '2026-02-11', fundId: 'cpam-29' }]);
    const { rows: read } = await readRegisterRows(storage, { from: '2026-02-01', to: '2026-02-28', fundId: 'cpam-22' });
    expect(read.map((row) => [row.fundId, row.dates.referralDate])).toEqual([['cpam-22', '2026-02-10']]);
    expect((await readRegisterRows(storage, { fundId: 'cpam-30' })).period).toBeNull();
  });
});
