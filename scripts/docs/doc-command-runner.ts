/**
 * Runs the commands of one doc, in order, in one bash session in a scratch folder (so `export` and
 * files written by one command are there for the next, as for a reader typing them), with `misas`
 * and `example` as shell functions running the sources. stdout and stderr of each command are
 * captured together, as a terminal shows them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What one command printed, and its exit code. */
export interface CommandRun {
  readonly output: string;
  readonly exitCode: number;
}

/** The folder the outputs of docs/cli.md and docs/simulation.md are shown as captured in. */
export const shownFolder = '~/misas-demo';

const marker = '@@misas-doc-command@@';

/** A bash script that runs the lines in turn, each framed by markers carrying its exit code. */
export function sessionScript(lines: readonly string[], root: string): string {
  const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    `misas() { ${quoted(process.execPath)} --conditions=@misas/source ${quoted(join(root, 'packages/cli/src/main.ts'))} "$@"; }`,
    `example() { ${quoted(process.execPath)} --conditions=@misas/source ${quoted(join(root, 'scripts/run-example.ts'))} "$@"; }`,
    ...lines.flatMap((line) => [`printf '${marker}\\n'`, `{ ${line}\n} 2>&1`, `printf '\\n${marker} %s\\n' "$?"`]),
  ].join('\n');
}

/** Splits a session's output at the markers: one run per line, in order. */
export function splitSession(stdout: string, count: number): CommandRun[] {
  const runs: CommandRun[] = [];
  const pattern = new RegExp(`${marker}\\n([\\s\\S]*?)\\n${marker} (\\d+)\\n`, 'g');
  for (const match of stdout.matchAll(pattern)) runs.push({ output: (match[1] ?? '').replace(/\n+$/, ''), exitCode: Number(match[2]) });
  if (runs.length !== count) throw new Error(`the doc session ended after ${runs.length} of ${count} commands:\n${stdout.slice(-2000)}`);
  return runs;
}

/**
 * Runs the lines in a fresh scratch folder holding links to the repository's `examples/` and to the
 * CLI package as `node_modules/@misas/cli`, with
 * the given environment (the store variables cleared: the docs show the defaults).
 */
export function runSession(lines: readonly string[], root: string, environment: Readonly<Record<string, string>>): { readonly runs: CommandRun[]; readonly folder: string } {
  const folder = mkdtempSync(join(tmpdir(), 'misas-doc-commands-'));
  symlinkSync(join(root, 'examples'), join(folder, 'examples'));
  // As an npm install lays it out, for the docs that show `node_modules/@misas/cli/examples/…`.
  mkdirSync(join(folder, 'node_modules/@misas'), { recursive: true });
  symlinkSync(join(root, 'packages/cli'), join(folder, 'node_modules/@misas/cli'));
  const env: Record<string, string> = { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, HOME: folder, NO_COLOR: '1', LANG: 'C.UTF-8', ...environment };
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', sessionScript(lines, root)], { cwd: folder, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { runs: splitSession(result.stdout.split(folder).join(shownFolder), lines.length), folder };
}

/**
 * An output with what changes from run to run made constant: durations, rates, memory and sizes,
 * ids (ULIDs, master-key ids) and instants. Applied to both the shown and the captured output.
 */
export function normaliseOutput(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\b\d+(\.\d+)? s\b/g, 'N s')
    .replace(/\b\d+ commands\/s\b/g, 'N commands/s')
    .replace(/\b\d+ MiB\b/g, 'N MiB')
    .replace(/\(\d+ KiB, \d+ bytes\)/g, '(N KiB, N bytes)')
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, 'ULID')
    // A master key's id is a digest of the key, which `misas keys generate` draws at random.
    .replace(/\bmk-[0-9a-f]{16}\b/g, 'mk-ID')
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\b/g, 'INSTANT');
}

/** The output a console block shows for a run: what it printed, and `[exit N]` when N is not 0. */
export function shownOutput(run: CommandRun): string {
  return run.exitCode === 0 ? run.output : `${run.output}${run.output === '' ? '' : '\n'}[exit ${run.exitCode}]`;
}
