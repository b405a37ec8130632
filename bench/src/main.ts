/**
 * `pnpm bench [--json] [--quick] [--only ID,…] [--repetitions N]`: measures misas against the
 * physical limit of its storage, side by side in one run, and prints the ratios. `--json` also
 * writes `bench/results.json`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchReport, machineInfo, resultTable } from './harness/report.ts';
import type { BenchResult } from './harness/result.ts';
import type { BenchContext } from './harness/suite.ts';
import { suites } from './suites/index.ts';

const usage = `Usage: pnpm bench [--json] [--quick] [--only ${suites.map((s) => s.id).join(',')}] [--repetitions N]`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        repetitions: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const repetitions = values.repetitions === undefined ? (values.quick ? 1 : 5) : Number(values.repetitions);
if (!Number.isInteger(repetitions) || repetitions < 1) fail(`--repetitions must be a whole number ≥ 1, got '${values.repetitions}'`);
const only = values.only?.split(',').map((id) => id.trim()).filter(Boolean);
const unknown = only?.filter((id) => !suites.some((suite) => suite.id === id)) ?? [];
if (unknown.length > 0) fail(`Unknown suite: ${unknown.join(', ')}`);
const chosen = suites.filter((suite) => only === undefined || only.includes(suite.id));

const workDir = mkdtempSync(join(tmpdir(), 'misas-bench-'));
// The bench's scratch stores are thrown away: unless a master key is configured, they share one
// made up for this run (PostgreSQL refuses to open without one; the writers it forks inherit it).
if (!process.env['MISAS_MASTER_KEY'] && !process.env['MISAS_MASTER_KEY_FILE']) process.env['MISAS_MASTER_KEY'] = randomBytes(32).toString('base64');
const context: BenchContext = {
  quick: values.quick,
  repetitions,
  workDir,
  pgUrl: process.env['MISAS_PG_URL'] || undefined,
  log: (message) => console.error(`  ${message}`),
};

const results: BenchResult[] = [];
const skipped: { suite: string; reason: string }[] = [];
try {
  for (const suite of chosen) {
    const reason = suite.unavailable?.(context);
    if (reason !== undefined) {
      console.error(`- ${suite.id}: skipped (${reason})`);
      skipped.push({ suite: suite.id, reason });
      continue;
    }
    console.error(`- ${suite.id}: ${suite.title}`);
    results.push(...(await suite.run(context)));
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

console.log(`\n${resultTable(results)}`);
const report = BenchReport.parse({ machine: machineInfo(), repetitions, quick: values.quick, results, skipped });
if (values.json) {
  const file = join(import.meta.dirname, '..', 'results.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWritten to ${file}; \`pnpm docs:generate\` puts it in docs/benchmarks.md.`);
}
const missed = results.filter((r) => r.met === false).length;
console.log(`\n${results.length - missed} of ${results.length} figures reach their target (median of ${repetitions} repetition${repetitions === 1 ? '' : 's'}; ${machineInfo().cpus} CPUs, Node ${process.version}).`);
