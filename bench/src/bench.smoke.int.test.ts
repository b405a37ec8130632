/**
 * Every suite, run tiny (`quick`): seconds, not a measurement — it keeps the benchmarks from
 * rotting. Real figures come from `pnpm bench`, never from the test run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchContext } from './harness/suite.ts';
import { suites } from './suites/index.ts';

const workDir = mkdtempSync(join(tmpdir(), 'misas-bench-smoke-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const context: BenchContext = {
  quick: true,
  repetitions: 1,
  workDir,
  pgUrl: process.env['MISAS_PG_URL'] || undefined,
  log: () => undefined,
};

describe('pnpm bench --quick', () => {
  it('has every suite of the issue', () => {
    expect(suites.map((suite) => suite.id)).toEqual(['append-sqlite', 'rehydrate', 'rebuild', 'national-year', 'append-postgres', 'peer-workload']);
  });

  for (const suite of suites) {
    // Without a server the PostgreSQL suite is skipped locally; in CI it must run.
    const reason = process.env['CI'] ? undefined : suite.unavailable?.(context);
    it.skipIf(reason !== undefined)(`${suite.id} runs and reports figures`, { timeout: 120_000 }, async () => {
      const results = await suite.run(context);
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(result.id.startsWith(`${suite.id}/`), result.id).toBe(true);
        expect(Number.isFinite(result.ours) && result.ours > 0, `${result.id} ours`).toBe(true);
        if (result.limit !== null) expect(result.limit > 0 && result.ratio !== null && result.ratio > 0, `${result.id} ratio`).toBe(true);
      }
    });
  }
});
