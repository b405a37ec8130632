/**
 * The report page: one self-contained HTML document. The charts are inline SVG, the style is
 * inline, and the lifecycle diagram is drawn by the inlined Mermaid bundle: the page fetches
 * nothing, so it can be mailed or archived and still open offline.
 */
import { escapeHtml, escapeScriptText } from './html.ts';
import type { Headline, ReportFigures } from './report-figures.ts';

/** A rendered chart and where it goes. */
export interface RenderedChart {
  /** Stable id of the chart container (`data-chart`), e.g. `funnel`. */
  readonly id: string;
  /** The chart's title on the page. */
  readonly heading: string;
  /** One sentence saying what is counted. */
  readonly caption: string;
  /** The chart as SVG markup, from the chart renderer (trusted: built from escaped data). */
  readonly svg: string;
}

/** What the page is made of. */
export interface ReportPageInput {
  /** The figures the page shows as numbers and tables. */
  readonly figures: ReportFigures;
  /** The charts, in page order. */
  readonly charts: readonly RenderedChart[];
  /** The lifecycle as Mermaid `stateDiagram-v2` text. */
  readonly lifecycleMermaid: string;
  /** Mermaid's browser bundle; without it the diagram stays as text. */
  readonly mermaidBundle: string | null;
}

const style = `
  body { font-family: Arial, Helvetica, sans-serif; margin: 0 auto; max-width: 1120px; padding: 24px; color: #1d2733; background: #fff; }
  h1 { font-size: 1.6em; margin: 0 0 4px; }
  h2 { font-size: 1.15em; margin: 0 0 6px; }
  .subtitle { color: #52606d; margin: 0 0 20px; }
  .headlines { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; margin-bottom: 24px; }
  .headline { border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px 12px; }
  .headline .value { font-size: 1.5em; font-weight: bold; color: #243b53; }
  .headline .label { font-size: 0.9em; }
  .headline .detail { font-size: 0.8em; color: #627d98; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 20px; align-items: start; }
  figure.chart { margin: 0; border: 1px solid #d9e2ec; border-radius: 6px; padding: 12px; overflow-x: auto; }
  figcaption { font-size: 0.85em; color: #52606d; margin-bottom: 6px; }
  section.lifecycle { margin-top: 24px; border: 1px solid #d9e2ec; border-radius: 6px; padding: 12px; overflow-x: auto; }
  pre.mermaid { font-size: 12px; }
  footer { margin-top: 24px; font-size: 0.85em; color: #52606d; border-top: 1px solid #d9e2ec; padding-top: 10px; }
`;

function headlineHtml(headline: Headline): string {
  return (
    `<div class="headline"><div class="value">${escapeHtml(headline.value)}</div>` +
    `<div class="label">${escapeHtml(headline.label)}</div><div class="detail">${escapeHtml(headline.detail)}</div></div>`
  );
}

function chartHtml(chart: RenderedChart): string {
  return (
    `<figure class="chart" data-chart="${escapeHtml(chart.id)}">\n<h2>${escapeHtml(chart.heading)}</h2>\n` +
    `<figcaption>${escapeHtml(chart.caption)}</figcaption>\n${chart.svg}\n</figure>`
  );
}

/**
 * Starts Mermaid once the page is loaded and records the outcome on `<body data-mermaid>` (for
 * the browser test); `strict` keeps the diagram text from running anything.
 */
const mermaidStart = `
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
mermaid.run({ querySelector: 'pre.mermaid' }).then(
  () => { document.body.dataset.mermaid = 'rendered'; },
  (error) => { document.body.dataset.mermaid = 'failed'; console.error(error); },
);`;

/** The whole page, as HTML text. The same input gives the same text. */
export function reportPage(input: ReportPageInput): string {
  const { figures } = input;
  const scope = figures.fundId === null ? 'all funds' : `fund ${figures.fundId}`;
  const title = `Mission accompagnement santé — report ${figures.period.from} to ${figures.period.to}`;
  const scripts = input.mermaidBundle === null ? '' : `<script>${escapeScriptText(input.mermaidBundle)}</script>\n<script>${mermaidStart}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">Cases referred between ${escapeHtml(figures.period.from)} and ${escapeHtml(figures.period.to)} (referral date on the form), ${escapeHtml(scope)}.</p>
</header>
<section class="headlines" id="headlines">
${figures.headlines.map(headlineHtml).join('\n')}
</section>
<section class="charts" id="charts">
${input.charts.map(chartHtml).join('\n')}
</section>
<section class="lifecycle" id="lifecycle">
<h2>Case lifecycle</h2>
<p class="subtitle">Drawn from the state machine that checks every command (the diagram of docs/lifecycle.md).</p>
<pre class="mermaid" id="lifecycle-diagram">${escapeHtml(input.lifecycleMermaid)}</pre>
</section>
<footer>
Generated by <code>misas report</code> from the case register. Aggregates only: the page holds counts, minutes,
days and pseudonymous staff ids, and no personal data of the people accompanied (no names, no contact details, no case ids).
</footer>
${scripts}</body>
</html>
`;
}
