/**
 * Issue 12, attack class 8 with `misas` as a real process: what a user sees on stderr is one line,
 * no stack, and the documented exit code. Also the README's `simulate && report` line run twice
 * (30 cases instead of 150, to keep the run short).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from './cli-output.ts';
import { canMountTmpfs, isOneLine, onTinyDisk, runMisasProcess, scratchDir } from './testing/attack-kit.ts';
import { exampleScenario } from './testing/capture.ts';

const readmeSimulation = ['simulate', '--cases', '30', '--from', '2026-01-01', '--to', '2026-06-30', '--no-progress'];

describe('class 8: stack traces instead of errors, as a real process', () => {
  it('given a reversed period, when simulate runs, then stderr is one line and the exit code 2', async () => {
    // In a scratch folder: were the period accepted, the default store would be written there.
    const run = await runMisasProcess(['simulate', '--cases', '5', '--from', '2026-06-30', '--to', '2026-01-01'], { cwd: scratchDir('reversed') });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toBe('misas: invalid option --from: must not be after --to (the period runs forwards)');
  }, 60_000);

  it('given an unreachable server and --debug, when a command runs, then the line comes first and the stack after it', async () => {
    const run = await runMisasProcess(['migrate', '--debug', '--store', 'postgres://misas@127.0.0.1:1/misas']);
    expect(run.code).toBe(ExitCode.storeUnavailable);
    const [first, ...rest] = run.stderr.split('\n');
    expect(isOneLine(first ?? '')).toBe(true);
    expect(rest.join('\n')).toContain('    at ');
  }, 60_000);

  // The disk fills for real: a 256 KiB tmpfs mounted in a private mount namespace (unshare -m,
  // root), so SQLite gets ENOSPC from write(2), as on a full disk, and answers SQLITE_FULL.
  it.skipIf(!canMountTmpfs())('given a disk that fills up during a simulation, when it runs, then stderr is one line and the exit code 4', async () => {
    const disk = scratchDir('tiny-disk');
    const run = await runMisasProcess([...readmeSimulation, '--store', `sqlite:${join(disk, 'sim.db')}`], { wrap: onTinyDisk(disk, 256) });
    expect(run.code).toBe(ExitCode.diskFull);
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^misas: no space left for the store .*sim\.db \(SQLITE_FULL/);
  }, 120_000);

  it.skipIf(!canMountTmpfs())('given an --out on a disk too small for the export, when exported, then stderr is one line and the exit code 4', async () => {
    const store = `sqlite:${join(scratchDir('export-full'), 'cases.db')}`;
    expect((await runMisasProcess(['run', '--store', store, exampleScenario])).code).toBe(ExitCode.ok);
    const disk = scratchDir('tiny-out');
    const out = join(disk, 'lou.json');
    // The export is about 15 KB; the file system holds 4 KiB.
    const run = await runMisasProcess(['export', 'case-lou', '--as-dpo', 'dpo-22', '--fund', 'cpam-22', '--store', store, '--out', out], { wrap: onTinyDisk(disk, 4) });
    expect(run.code).toBe(ExitCode.diskFull);
    expect(run.stderr).toBe(`misas: no space left to write ${out}: free disk space, then retry`);
  }, 120_000);
});

describe("class 2: the README's simulate && report line", () => {
  it('when run twice in a row in the same folder, then both runs pass, on a file of their own, and report reads it', async () => {
    const cwd = scratchDir('readme');
    for (let round = 1; round <= 2; round++) {
      const simulation = await runMisasProcess(readmeSimulation, { cwd });
      expect(simulation.stderr).toBe('');
      expect(simulation.code).toBe(ExitCode.ok);
      const report = await runMisasProcess(['report'], { cwd });
      expect(report.stderr).toBe('');
      expect(report.stdout).toMatch(/30 cases referred from 2026-01-\d\d to 2026-06-\d\d/);
    }
    expect(existsSync(join(cwd, 'misas-simulation.db'))).toBe(true);
    expect(existsSync(join(cwd, 'misas.db'))).toBe(false);
  }, 240_000);
});
