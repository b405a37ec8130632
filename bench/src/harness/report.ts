/**
 * The run's results: a table for people, JSON for machines (`bench/results.json`).
 */
import { cpus, totalmem } from 'node:os';
import { describeTarget, type BenchResult } from './result.ts';

/** Where and how the figures were measured. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

/** What `pnpm bench --json` writes. */
export interface BenchReport {
  readonly machine: MachineInfo;
  readonly repetitions: number;
  readonly quick: boolean;
  readonly results: readonly BenchResult[];
  /** Suites that could not run here, with why. */
  readonly skipped: readonly { readonly suite: string; readonly reason: string }[];
}

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

/** The results as a plain-text table. */
export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    verdict(r.met),
    r.id,
    `${readable(r.ours)} ${r.unit}`,
    r.limit === null ? '—' : `${readable(r.limit)} ${r.unit}`,
    r.ratio === null ? '—' : readable(r.ratio),
    describeTarget(r.target, r.unit),
  ]);
  const header = [' ', 'figure', 'ours (median)', 'limit (median)', 'ratio', 'target'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
