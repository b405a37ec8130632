/**
 * Runs every command the docs show (README.md, docs/*.md, each package's README), from source, in
 * a scratch folder per doc, and compares what each `console` block shows with what it prints.
 * See doc-command-table.ts for the few commands run elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../generate-docs.ts';
import { planCommand } from './doc-command-table.ts';
import { normaliseOutput, runSession, shownOutput } from './doc-command-runner.ts';
import { allDocCommands, type DocCommand } from './doc-commands.ts';

const byDoc = new Map<string, DocCommand[]>();
for (const command of allDocCommands(repositoryRoot)) byDoc.set(command.doc, [...(byDoc.get(command.doc) ?? []), command]);

describe('every command a doc shows runs, and prints what the doc shows', () => {
  it.each([...byDoc.keys()])('%s', (doc) => {
    const planned = (byDoc.get(doc) ?? []).map((command) => ({ command, plan: planCommand(command) }));
    const toRun = planned.flatMap(({ command, plan }) => (plan.kind === 'run' && plan.line !== null ? [{ command, line: plan.line }] : []));
    expect(planned.flatMap(({ plan }) => (plan.kind === 'unrunnable' ? [plan.reason] : []))).toEqual([]);
    // A reader's environment: no store or key configured, unless the doc sets one.
    const { runs, folder } = runSession(
      toRun.map(({ line }) => line),
      repositoryRoot,
      {},
    );
    toRun.forEach(({ command }, index) => {
      const run = runs[index];
      if (run === undefined) throw new Error(`no run for ${command.doc}:${command.line}`);
      const where = `${command.doc}:${command.line}: ${command.command}`;
      if (command.output === null) expect({ where, exitCode: run.exitCode, output: run.exitCode === 0 ? '' : run.output }).toEqual({ where, exitCode: 0, output: '' });
      else expect(`${where}\n${normaliseOutput(shownOutput(run))}`).toBe(`${where}\n${normaliseOutput(command.output)}`);
    });
    // What a command wrote as JSON parses (pnpm's banner would not): result.json, export.json…
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(join(folder, name), 'utf8')), `${doc}: ${name}`).not.toThrow();
    }
    // Each command is a Node process compiling the CLI from source: about half a second on an idle
    // machine, many times that on a loaded one.
  }, 900_000);
});

describe('pnpm -s keeps its banner out of what misas prints', () => {
  it('given `pnpm -s misas run --json`, the output parses; without -s it starts with the banner', () => {
    const pnpm = (args: readonly string[]) =>
      spawnSync('npx', ['-y', 'pnpm@10', ...args, 'misas', 'run', '--json', 'examples/scenarios/remote-consent.yaml'], { cwd: repositoryRoot, encoding: 'utf8' });
    const silent = pnpm(['-s']);
    expect(silent.status).toBe(0);
    expect(JSON.parse(silent.stdout)).toMatchObject({ ok: true });
    const noisy = pnpm([]);
    expect(noisy.status).toBe(0);
    expect(noisy.stdout).toMatch(/^\s*> /);
    expect(() => JSON.parse(noisy.stdout)).toThrow();
  }, 120_000);
});
