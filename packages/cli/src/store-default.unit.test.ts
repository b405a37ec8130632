import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliOutput } from './cli-output.ts';
import { runCli } from './program.ts';
import { configuredStorageUrl, teamStoreOption } from './storage.ts';

function capture(): CliOutput & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (text) => void lines.push(text), err: (text) => void lines.push(text) };
}

describe('the default of --store comes from the environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    [{}, 'sqlite:./misas.db'],
    [{ MISAS_STORE: 'sqlite:/var/lib/misas/cases.db' }, 'sqlite:/var/lib/misas/cases.db'],
    [{ MISAS_STORE: '  ', DATABASE_URL: 'postgres://misas:s3cret@db:5432/misas' }, 'postgres://misas:s3cret@db:5432/misas'],
    [{ DATABASE_URL: 'postgresql://db/misas' }, 'postgresql://db/misas'],
    [{ MISAS_STORE: 'memory:', DATABASE_URL: 'postgres://db/other' }, 'memory:'],
    // A DATABASE_URL naming another database (MySQL…) is someone else's: the SQLite default stays.
    [{ DATABASE_URL: 'mysql://db/app' }, 'sqlite:./misas.db'],
  ])('%j gives %s', (environment, url) => {
    expect(configuredStorageUrl(environment)).toBe(url);
  });

  it('shows the default in --help with its password masked', () => {
    const option = teamStoreOption({ DATABASE_URL: 'postgres://misas:s3cret@db:5432/misas' });
    expect(option.defaultValue).toBe('postgres://misas:s3cret@db:5432/misas');
    expect(option.defaultValueDescription).toBe('postgres://misas:***@db:5432/misas');
  });

  it('is what a command opens when --store is not given, and --store still wins', async () => {
    vi.stubEnv('MISAS_STORE', 'memory:');
    vi.stubEnv('DATABASE_URL', 'postgres://misas:s3cret@127.0.0.1:9/misas');
    const defaulted = capture();
    expect(await runCli(['migrate'], defaulted)).toBe(0);
    expect(defaulted.lines).toEqual(['misas: store memory: (in memory, nothing kept)', 'memory:: an in-memory store has no schema to migrate']);

    const help = capture();
    expect(await runCli(['migrate', '--help'], help)).toBe(0);
    expect(help.lines.join('\n')).toContain('(default: memory:)');

    vi.stubEnv('MISAS_STORE', '');
    const masked = capture();
    expect(await runCli(['rebuild', '--help'], masked)).toBe(0);
    expect(masked.lines.join('\n')).toContain('postgres://misas:***@127.0.0.1:9/misas');
    expect(masked.lines.join('\n')).not.toContain('s3cret');

    const given = capture();
    expect(await runCli(['migrate', '--store', 'memory:'], given)).toBe(0);
    expect(given.lines).toEqual(['misas: store memory: (in memory, nothing kept)', 'memory:: an in-memory store has no schema to migrate']);
  });
});
