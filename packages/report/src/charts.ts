/**
 * The report's charts: Vega-Lite bar charts rendered to SVG in Node, with no browser and no
 * canvas (the `none` renderer only lays the scene out), so the page holds plain inline SVG that
 * any browser shows offline.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Bar } from './report-figures.ts';

/** How one chart is drawn. */
export interface ChartOptions {
  readonly title: string;
  /** The unit of the values, shown on the axis. */
  readonly unit: string;
  /** Keep the bars in the order given rather than sorting them by label. */
  readonly keepOrder?: boolean;
}

/** A horizontal bar chart of `bars`; bars with a `series` are grouped and coloured by it. */
export function barChartSpec(bars: readonly Bar[], options: ChartOptions): TopLevelSpec {
  const coloured = bars.some((bar) => bar.series !== undefined);
  const labels = [...new Set(bars.map((bar) => bar.label))];
  // Bars sit side by side only where series share a label; otherwise colour alone tells them apart.
  const sideBySide = labels.length < bars.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: 300,
    // One band per label, a little wider when series share it.
    height: { step: sideBySide ? 24 : 18 },
    data: { values: bars.map((bar) => ({ label: bar.label, value: bar.value, series: bar.series ?? '' })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: options.keepOrder ? labels : 'ascending', axis: { labelLimit: 180 } },
      x: { field: 'value', type: 'quantitative', title: options.unit },
      ...(sideBySide ? { yOffset: { field: 'series', type: 'nominal' } } : {}),
      ...(coloured ? { color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } } } : { color: { value: '#3a6ea5' } }),
    },
    // Text is measured without a canvas in Node: a plain font keeps the estimate close.
    config: { font: 'Arial, Helvetica, sans-serif', view: { stroke: null } },
  };
}

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A bar chart of `bars`, as SVG. */
export async function barChartSvg(bars: readonly Bar[], options: ChartOptions): Promise<string> {
  return renderSvg(barChartSpec(bars, options));
}
