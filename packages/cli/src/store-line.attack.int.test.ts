/**
 * Attack: a store's password printed. Every command that opens a store says which one on stderr
 * (`misas: store URL (KIND)`), and the URL often carries a PostgreSQL password, from `--store` or
 * from the environment (MISAS_STORE, DATABASE_URL). The password must never reach stdout or stderr,
 * whatever its characters, on success, on failure or with `--debug`; the line must be there, once,
 * on stderr only (so `--json` stays parseable), and `--quiet` silences it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runMisasProcess } from './testing/attack-kit.ts';
import { captureCli, exampleScenario, type CapturedRun } from './testing/capture.ts';

const secret = 'S3cret-never-printed';

/** Unreachable PostgreSQL URLs whose passwords hold what ends a URL's user part, or sit in the query. */
const leakyUrls = [
  `postgres://misas:${secret}@127.0.0.1:1/misas`,
  `postgresql://misas:${secret}@x/y?z@127.0.0.1:1/misas`,
  `postgres://misas:p@ss#${secret}@127.0.0.1:1/misas?sslmode=disable`,
  `postgres://misas@127.0.0.1:1/misas?sslmode=disable&password=${secret}`,
];

/** Every command that opens a store, given that store. */
const storeCommands: readonly { readonly name: string; readonly args: (url: string) => string[] }[] = [
  { name: 'run', args: (url) => ['run', exampleScenario, '--store', url] },
  { name: 'simulate', args: (url) => ['simulate', '--cases', '3', '--from', '2026-01-01', '--to', '2026-01-10', '--no-progress', '--store', url] },
  { name: 'report', args: (url) => ['report', '--out', '/dev/null', '--store', url] },
  { name: 'migrate', args: (url) => ['migrate', '--store', url] },
  { name: 'rebuild', args: (url) => ['rebuild', '--store', url] },
  { name: 'verify', args: (url) => ['verify', '--no-progress', '--store', url] },
  { name: 'export', args: (url) => ['export', 'case-lou', '--as-dpo', 'dpo-1', '--fund', 'cpam-22', '--store', url] },
  { name: 'purge', args: (url) => ['purge', '--now', '2026-01-01', '--store', url] },
  { name: 'keys rotate', args: (url) => ['keys', 'rotate', '--store', url] },
];

function printed(run: CapturedRun): string {
  return [run.out, run.err, ...run.store].join('\n');
}

describe('attack: the password of a store URL printed', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  describe.each(storeCommands)('misas $name', ({ args }) => {
    it.each(leakyUrls)('given --store %s, it says which store it opens, masked, and never prints the password', async (url) => {
      const run = await captureCli([...args(url), '--debug']);
      expect(run.code).toBe(3);
      expect(printed(run)).not.toContain(secret);
      expect(run.store).toHaveLength(1);
      expect(run.store[0]).toMatch(/^misas: store postgres(ql)?:\/\/misas(:\*\*\*)?@.*\(PostgreSQL\)$/);
      expect(run.store[0]).toContain('***');
      expect(run.out).not.toContain('misas: store');
    });
  });

  it.each(['MISAS_STORE', 'DATABASE_URL'])('given the URL in %s, the team-store commands say it is the store, masked', async (variable) => {
    vi.stubEnv('MISAS_STORE', '');
    vi.stubEnv(variable, `postgres://misas:${secret}@127.0.0.1:1/misas`);
    for (const args of [['migrate'], ['rebuild'], ['verify'], ['purge', '--now', '2026-01-01'], ['keys', 'rotate'], ['export', 'case-lou', '--as-dpo', 'dpo-1', '--fund', 'cpam-22']]) {
      const run = await captureCli(args);
      expect({ args, code: run.code, leaked: printed(run).includes(secret), store: run.store }).toEqual({
        args,
        code: 3,
        leaked: false,
        store: ['misas: store postgres://misas:***@127.0.0.1:1/misas (PostgreSQL)'],
      });
    }
    // --help shows the default masked too.
    expect(printed(await captureCli(['migrate', '--help']))).not.toContain(secret);
  });

  it('given --quiet, no store line; given --json, the line is on stderr and stdout parses', async () => {
    const quiet = await captureCli(['run', exampleScenario, '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.store).toEqual([]);
    const json = await captureCli(['run', '--json', exampleScenario]);
    expect(json.store).toEqual(['misas: store memory: (in memory, nothing kept)']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true });
  });

  it('as a real process with the URL in DATABASE_URL and --debug: the password is on neither stream', async () => {
    const run = await runMisasProcess(['--debug', 'migrate'], { env: { MISAS_STORE: '', DATABASE_URL: `postgres://misas:p/w@${secret}@127.0.0.1:1/misas` } });
    // A `/` in the password makes the URL invalid for the driver: bad input, named with the URL masked.
    expect(run.code).toBe(2);
    expect(`${run.stdout}\n${run.stderr}\n${run.store.join('\n')}`).not.toContain(secret);
    expect(run.store).toEqual(['misas: store postgres://misas:***@127.0.0.1:1/misas (PostgreSQL)']);
  }, 60_000);
});
