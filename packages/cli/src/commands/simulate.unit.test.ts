import { describe, expect, it } from 'vitest';
import { captureCli } from '../testing/capture.ts';

describe('misas simulate', () => {
  it('given a seed, when a small year is simulated twice on memory:, then both runs print the same indicators against the targets', async () => {
    const args = ['simulate', '--cases', '60', '--from', '2026-01-01', '--to', '2026-03-31', '--seed', '9', '--store', 'memory:', '--no-progress', '--json'];
    const first = await captureCli(args);
    const second = await captureCli(args);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.out) as { counts: { referrals: number; rejected: number }; comparison: { indicator: string }[] };
    expect(result.counts).toMatchObject({ referrals: 60, rejected: 0 });
    expect(result.comparison.map((row) => row.indicator)).toEqual(expect.arrayContaining(['rightsShare', 'careShare']));
    // Timings differ from run to run; everything else is the seed's.
    const withoutTiming = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), timing: null });
    expect(withoutTiming(second.out)).toEqual(withoutTiming(first.out));
  }, 60_000);

  it('when the text summary is asked, then it names the published targets', async () => {
    const run = await captureCli(['simulate', '--cases', '20', '--from', '2026-01-01', '--to', '2026-01-31', '--store', 'memory:', '--no-progress']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/20 referrals from 2026-01-01 to 2026-01-31 \(seed 1\)/);
    expect(run.out).toContain('published');
  }, 60_000);

  it('when an option is bad, then it exits 2 naming the option', async () => {
    const run = await captureCli(['simulate', '--cases', 'many', '--from', '2026-01-01', '--to', '2026-01-31', '--store', 'memory:']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--cases');
  });

  it('when --funds is out of range or exceeds --cases, then it exits 2 naming the option', async () => {
    const base = ['simulate', '--from', '2026-01-01', '--to', '2026-01-31', '--store', 'memory:', '--no-progress'];
    const none = await captureCli([...base, '--cases', '5', '--funds', '0']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--funds');
    const tooMany = await captureCli([...base, '--cases', '5', '--funds', '102']);
    expect(tooMany.code).toBe(2);
    const fewer = await captureCli([...base, '--cases', '2', '--funds', '3']);
    expect(fewer.code).toBe(2);
    expect(fewer.err).toContain('--cases');
  });
});
