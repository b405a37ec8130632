/**
 * The report as a browser shows it: the page of a simulated half-year, with Mermaid's bundle, opened in
 * headless Chromium with no network, every chart an SVG with marks, the lifecycle diagram drawn
 * by the inlined Mermaid, and nothing logged as an error. With `MISAS_UPDATE_SCREENSHOT=1` it
 * also refreshes `docs/report.png`, the README's picture.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, readMermaidBundle } from './index.ts';
import { chromiumArgs, chromiumFound, chromiumMissingInCi, chromiumPath, chromiumRequiredMessage } from './testing/chromium.ts';
import { simulatedPeriod, simulatedRows } from './testing/simulated-rows.ts';

const chartIds = ['funnel', 'outcomes', 'durations', 'renunciation-causes', 'care-types', 'minutes-by-activity', 'minutes-by-counsellor'];

describe.runIf(chromiumMissingInCi)('report in a browser, in CI', () => {
  it('given CI, when Chromium is missing, then the suite fails', () => {
    throw new Error(chromiumRequiredMessage);
  });
});

describe.skipIf(!chromiumFound)('report in a browser', { timeout: 120_000 }, () => {
  let dir: string;
  let reportFile: string;
  let browser: Browser;

  beforeAll(async () => {
    // Given the page of a simulated half-year of 150 referrals, as `misas report` writes it
    dir = await mkdtemp(join(tmpdir(), 'misas-report-'));
    reportFile = join(dir, 'report.html');
    const html = await buildReport(simulatedRows(), { ...simulatedPeriod, fundId: null, mermaidBundle: await readMermaidBundle() });
    await writeFile(reportFile, html);
    browser = await puppeteer.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('given the page opened offline, then every chart is drawn, the lifecycle diagram is rendered, and nothing fails', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${String(error)}`));
    // The page must need nothing from the network: any request other than the file itself is refused.
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url().startsWith('file:') || request.url().startsWith('data:')) void request.continue();
      else {
        problems.push(`network: ${request.url()}`);
        void request.abort();
      }
    });
    await page.setViewport({ width: 1200, height: 900 });

    // When the page is opened and Mermaid has run
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-mermaid]', { timeout: 60_000 });

    // Then every chart container holds an SVG of non-zero size with marks in it
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: figure.getAttribute('data-chart'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg?.querySelectorAll('.mark-rect path').length ?? 0,
        };
      }),
    );
    expect(charts.map((chart) => chart.id)).toEqual(chartIds);
    for (const chart of charts) {
      expect(chart.width, chart.id ?? '').toBeGreaterThan(100);
      expect(chart.height, chart.id ?? '').toBeGreaterThan(50);
      expect(chart.marks, chart.id ?? '').toBeGreaterThan(0);
    }
    // and the lifecycle diagram is an SVG naming the states
    expect(await page.$eval('body', (body) => body.getAttribute('data-mermaid'))).toBe('rendered');
    const diagram = await page.$eval('#lifecycle-diagram', (element) => {
      const svg = element.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { text: svg?.textContent ?? '', width: box?.width ?? 0, height: box?.height ?? 0 };
    });
    expect(diagram.width).toBeGreaterThan(100);
    expect(diagram.height).toBeGreaterThan(100);
    for (const state of ['triage', 'review', 'contact', 'awaiting', 'reached', 'planning', 'closed']) expect(diagram.text).toContain(state);
    // and nothing was logged as an error, nor fetched
    expect(problems).toEqual([]);

    if (process.env['MISAS_UPDATE_SCREENSHOT'] === '1') {
      const screenshot = fileURLToPath(new URL('../../../docs/report.png', import.meta.url));
      await page.screenshot({ path: screenshot, clip: { x: 0, y: 0, width: 1200, height: 1500 }, captureBeyondViewport: true });
      expect((await stat(screenshot)).size).toBeLessThan(500 * 1024);
    }
    await page.close();
  });
});
