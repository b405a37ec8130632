import { describe, expect, it } from 'vitest';
import { benchmarkResultsMarkers, withBenchmarkResultsSection } from './benchmark-results.ts';

const report = {
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: 'v24.0.0', platform: 'linux-x64' },
  repetitions: 5,
  quick: false,
  results: [
    {
      id: 'append-sqlite/single-writer',
      title: 'Append',
      unit: 'events/s',
      ours: 3000,
      limit: 5000,
      ratio: 0.6,
      target: { kind: 'ratio-at-least', value: 0.5 },
      met: true,
      repetitions: 5,
      details: { commands: 8000 },
    },
    { id: 'national-year/total-time', title: 'Year', unit: 's', ours: 95.5, limit: null, ratio: null, target: { kind: 'at-most', value: 30 }, met: false, repetitions: 1 },
  ],
  skipped: [{ suite: 'append-postgres', reason: 'no MISAS_PG_URL' }],
};

const page = `# Benchmarks\n\nBy hand.\n\n${benchmarkResultsMarkers.start}\nold\n${benchmarkResultsMarkers.end}\n\nAfter.\n`;

describe('the results section of docs/benchmarks.md', () => {
  it('given a bench report, then the section holds one row per figure with its verdict, and the hand-written text is kept', () => {
    const written = withBenchmarkResultsSection(page, JSON.stringify(report));
    expect(written).toContain('| ✓ | append-sqlite/single-writer | 3,000 events/s | 5,000 events/s | 0.6 | ≥ 0.5 of limit |');
    expect(written).toContain('| ✗ | national-year/total-time | 95.5 s | — | — | ≤ 30 s |');
    expect(written).toContain('- `append-sqlite/single-writer`: commands 8,000.');
    expect(written).toContain('`append-postgres` skipped: no MISAS_PG_URL.');
    expect(written).toContain('By hand.');
    expect(written).toContain('After.');
    expect(written).not.toContain('old');
  });

  it('given a results file that is not a bench report, then it says which field is wrong', () => {
    expect(() => withBenchmarkResultsSection(page, JSON.stringify({ ...report, repetitions: 0 }))).toThrow(/repetitions/);
  });

  it('given a page without its markers, then it says so', () => {
    expect(() => withBenchmarkResultsSection('# Benchmarks', JSON.stringify(report))).toThrow(/markers/);
  });
});
