import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

describe('quickstart', () => {
  it('runs as the README shows', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(main()).resolves.toBe('review');
    expect(log.mock.calls).toEqual([['review'], ['allowed-in-state']]);
    log.mockRestore();
  });

  it('is quoted verbatim in the README, so the docs cannot drift from tested code', () => {
    const source = readFileSync(new URL('./main.ts', import.meta.url), 'utf8').trim();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(source);
  });
});
