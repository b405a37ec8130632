/**
 * @misas/report — the report page `misas report` writes: a self-contained HTML page of the case
 * register's figures, with Vega-Lite charts rendered to SVG in Node and the lifecycle diagram drawn
 * by Mermaid's inlined bundle. Kept apart from `@misas/cli` so that only those who report install
 * Vega and Mermaid.
 * @packageDocumentation
 * @module @misas/report
 */
// Not the chart renderer (charts.ts): its Vega-Lite types need the DOM library, which a Node
// project's TypeScript does not load; the charts come out of `buildReport` / `reportCharts` as SVG.
export * from './build-report.ts';
export * from './html.ts';
export * from './lifecycle-diagram.ts';
export * from './page.ts';
export * from './register-rows.ts';
export * from './report-figures.ts';
