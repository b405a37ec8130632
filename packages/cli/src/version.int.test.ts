/**
 * `misas --version` answers without loading the program: no command, no store, no schema (they
 * take most of a start), and the same answer as the program's own `--version`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { captureCli, repositoryPath } from './testing/capture.ts';
import { asksForVersionOnly, cliVersion } from './version.ts';

/** Records every module the process resolves, printed as JSON on stderr at exit. */
const recordModules = `import { registerHooks } from 'node:module';
const seen = [];
registerHooks({ resolve(specifier, context, next) { const resolved = next(specifier, context); seen.push(resolved.url); return resolved; } });
process.on('exit', () => process.stderr.write(JSON.stringify(seen)));`;

describe('misas --version', () => {
  it('given --version or -V alone, then it is a version request; given anything more, the program answers', () => {
    expect(asksForVersionOnly(['--version'])).toBe(true);
    expect(asksForVersionOnly(['-V'])).toBe(true);
    expect(asksForVersionOnly([])).toBe(false);
    expect(asksForVersionOnly(['--version', '--debug'])).toBe(false);
    expect(asksForVersionOnly(['run', '--version'])).toBe(false);
  });

  it('given the binary run with --version, then it prints the version having loaded no command, store nor schema', () => {
    const run = spawnSync(process.execPath, ['--conditions=@misas/source', '--import', `data:text/javascript,${encodeURIComponent(recordModules)}`, repositoryPath('packages/cli/src/main.ts'), '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${cliVersion()}\n`);
    const parsed: unknown = JSON.parse(run.stderr);
    const loaded = Array.isArray(parsed) ? parsed.filter((url): url is string => typeof url === 'string') : [];
    expect(loaded.some((url) => url.endsWith('/cli/src/version.ts'))).toBe(true);
    const heavy = loaded.filter((url) => /\/packages\/(core|adapters|projections|service|report)\/|\/node_modules\/|\/cli\/src\/(program|commands\/)/.test(url));
    expect(heavy).toEqual([]);
  });

  it("given the program's own --version, then it prints the same", async () => {
    expect(await captureCli(['--version'])).toEqual({ code: 0, out: cliVersion(), err: '', store: [] });
  });
});
