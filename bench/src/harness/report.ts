/**
 * The run's results: a table for people, JSON for machines (`bench/results.json`).
 */
import { cpus, totalmem } from 'node:os';
import { z } from 'zod';
import { BenchResult, describeTarget } from './result.ts';

/** Where and how the figures were measured. */
export const MachineInfo = z.strictObject({
  cpus: z.number().int(),
  cpuModel: z.string(),
  memoryGiB: z.number(),
  node: z.string(),
  platform: z.string(),
});
export type MachineInfo = z.infer<typeof MachineInfo>;

/** What `pnpm bench --json` writes to `bench/results.json`. */
export const BenchReport = z.strictObject({
  machine: MachineInfo,
  repetitions: z.number().int().min(1),
  quick: z.boolean(),
  results: z.array(BenchResult),
  /** Suites that could not run here, with why. */
  skipped: z.array(z.strictObject({ suite: z.string(), reason: z.string() })),
});
export type BenchReport = z.infer<typeof BenchReport>;

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** A number as a person reads it: three significant figures, thousands separated. */
export function readable(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function verdict(met: boolean | null): string {
  return met === null ? ' ' : met ? '✓' : '✗';
}

function cells(r: BenchResult): string[] {
  return [
    verdict(r.met),
    r.id,
    `${readable(r.ours)} ${r.unit}`,
    r.limit === null ? '—' : `${readable(r.limit)} ${r.unit}`,
    r.ratio === null ? '—' : readable(r.ratio),
    describeTarget(r.target, r.unit),
  ];
}

const header = [' ', 'figure', 'ours (median)', 'limit (median)', 'ratio', 'target'];

/** The results as a plain-text table. */
export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map(cells);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The results as a Markdown table (for `docs/benchmarks.md`). */
export function markdownResultTable(results: readonly BenchResult[]): string {
  const line = (row: readonly string[]) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header.map((title) => (title === ' ' ? 'met' : title))), line(header.map(() => '---')), ...results.map((r) => line(cells(r)))].join('\n');
}
