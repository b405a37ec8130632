import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadReport } from '../report-loader.ts';
import { captureCli, exampleScenario } from '../testing/capture.ts';

describe('misas report', () => {
  // `misas report` imports @misas/report (Vega, Vega-Lite) on first use: once, before the clock of each test runs.
  beforeAll(() => loadReport(), 60_000);

  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-report-cmd-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given a store with a played scenario, when `report` runs, then it writes a self-contained page and prints its path and size', { timeout: 30_000 }, async () => {
    // Given
    const store = `sqlite:${join(dir, 'misas.db')}`;
    expect((await captureCli(['run', exampleScenario, '--store', store])).code).toBe(0);
    const out = join(dir, 'report.html');
    // When
    const run = await captureCli(['report', '--store', store, '--out', out]);
    // Then
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ KiB, \\d+ bytes\\): 1 cases referred from \\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d$`));
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('mermaid.run(');
  });

  it('given an empty store, when `report` runs, then it refuses with nothing to report', async () => {
    const run = await captureCli(['report', '--store', 'memory:', '--out', join(dir, 'r.html')]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('nothing to report');
  });

  it('given --from after --to, when `report` runs, then it is bad input', async () => {
    const run = await captureCli(['report', '--store', 'memory:', '--from', '2026-03-01', '--to', '2026-01-01']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--from must not be after --to');
  });
});
