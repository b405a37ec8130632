import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../generate-docs.ts';
import { notRunHere, planCommand } from './doc-command-table.ts';
import { allDocCommands, commandPieces, docCommands, pnpmBannerProblem, withoutComment } from './doc-commands.ts';
import { normaliseOutput, shownOutput } from './doc-command-runner.ts';

const sample = [
  '# A page',
  '```sh',
  'npx -y pnpm@10 install && npx -y pnpm@10 example diego   # install, then play',
  'pnpm misas run \\',
  '  examples/scenarios/remote-consent.yaml',
  '```',
  '```ts',
  'const notACommand = 1;',
  '```',
  '```console',
  '$ misas migrate --store sqlite:./misas.db   # the schema',
  'misas: store sqlite:./misas.db (SQLite)',
  'sqlite:./misas.db: sqlite schema up to date, at version 6',
  '$ echo "# not a comment"',
  '# not a comment',
  '```',
].join('\n');

describe('the commands a doc shows', () => {
  it('are read from sh and console blocks: comments dropped, continued lines joined, a console command with its output', () => {
    expect(docCommands('docs/x.md', sample)).toEqual([
      { doc: 'docs/x.md', line: 3, command: 'npx -y pnpm@10 install && npx -y pnpm@10 example diego', output: null },
      { doc: 'docs/x.md', line: 4, command: 'pnpm misas run examples/scenarios/remote-consent.yaml', output: null },
      { doc: 'docs/x.md', line: 11, command: 'misas migrate --store sqlite:./misas.db', output: 'misas: store sqlite:./misas.db (SQLite)\nsqlite:./misas.db: sqlite schema up to date, at version 6' },
      { doc: 'docs/x.md', line: 14, command: 'echo "# not a comment"', output: '# not a comment' },
    ]);
    expect(withoutComment('eval "$(bash .ci/start-postgres.sh)"   # starts it')).toBe('eval "$(bash .ci/start-postgres.sh)"');
    expect(commandPieces('a && b "x && y" || c; d $(e && f)')).toEqual(['a', 'b "x && y"', 'c', 'd $(e && f)']);
  });

  it('are each run by the doc test or listed as covered elsewhere: a command nothing runs fails', () => {
    const unrunnable = allDocCommands(repositoryRoot).flatMap((command) => {
      const plan = planCommand(command);
      return plan.kind === 'unrunnable' ? [plan.reason] : [];
    });
    expect(unrunnable).toEqual([]);
    // The check can fail: a command that is neither misas nor listed.
    expect(planCommand({ doc: 'docs/x.md', line: 1, command: 'apt-get install postgresql', output: null }).kind).toBe('unrunnable');
    expect(planCommand({ doc: 'docs/x.md', line: 1, command: 'npx -y pnpm@10 install && pnpm misas --help', output: null })).toMatchObject({ kind: 'run', line: 'misas --help' });
    // A console block's output must come from the whole command.
    expect(planCommand({ doc: 'docs/x.md', line: 1, command: 'npx -y pnpm@10 install && misas --help', output: 'Usage' }).kind).toBe('unrunnable');
  });

  it('lists nothing stale: every piece not run here is still shown by a doc, and what covers it exists', () => {
    const pieces = new Set(allDocCommands(repositoryRoot).flatMap((command) => commandPieces(command.command).map((piece) => piece.replace(/\s+/g, ' '))));
    expect(notRunHere.filter((entry) => !pieces.has(entry.piece)).map((entry) => entry.piece)).toEqual([]);
    expect(notRunHere.filter((entry) => !existsSync(join(repositoryRoot, entry.coveredBy))).map((entry) => entry.coveredBy)).toEqual([]);
  });

  it('never hand pnpm output on without -s: its banner would be in the file', () => {
    expect(pnpmBannerProblem('pnpm misas run --json examples/scenarios/*.yaml > result.json')).toMatch(/pnpm -s misas/);
    expect(pnpmBannerProblem('npx -y pnpm@10 misas run --json x.yaml | head')).not.toBeNull();
    expect(pnpmBannerProblem('X="$(pnpm misas keys generate)"')).not.toBeNull();
    expect(pnpmBannerProblem('pnpm -s misas run --json examples/scenarios/*.yaml > result.json')).toBeNull();
    expect(pnpmBannerProblem('npx -y pnpm@10 --silent misas run --json x.yaml | head')).toBeNull();
    expect(pnpmBannerProblem('pnpm misas run x.yaml 2> errors.txt')).toBeNull();
    expect(pnpmBannerProblem('pnpm misas run x.yaml')).toBeNull();
    const problems = allDocCommands(repositoryRoot).flatMap((command) => {
      const problem = pnpmBannerProblem(command.command);
      return problem === null ? [] : [`${command.doc}:${command.line}: ${problem}`];
    });
    expect(problems).toEqual([]);
  });

  it('are compared with what varies from run to run made constant', () => {
    expect(normaliseOutput('4053 commands in 22.1 s (183 commands/s), peak memory 220 MiB  ')).toBe('4053 commands in N s (N commands/s), peak memory N MiB');
    expect(normaliseOutput('wrote r.html (5486 KiB, 5618007 bytes) at 2026-12-02T15:00:00.000Z: 01JDXQ3ZV6M3B8Y4K2N7P5R9TW')).toBe('wrote r.html (N KiB, N bytes) at INSTANT: ULID');
    // The case counts and indicators are not normalised: they are what the doc tells.
    expect(normaliseOutput('58.0 %    57.5 %  (65/113, published)')).toBe('58.0 %    57.5 %  (65/113, published)');
    expect(shownOutput({ output: 'misas: the store is unreachable', exitCode: 3 })).toBe('misas: the store is unreachable\n[exit 3]');
  });
});
