import { createInMemoryStorage } from '@misas/core';
import { describe, expect, it } from 'vitest';
import { assignFunds, fundSeed, fundShares, fundsOf, fundStorageUrl, nationalFundIds } from './funds.ts';
import { simulateNational } from './national.ts';
import { simulateYear } from './runner.ts';

describe('the funds of a national year', () => {
  it('given the list, then it has 101 distinct funds, cpam-22 first, and --funds takes the first N', () => {
    expect(nationalFundIds).toHaveLength(101);
    expect(new Set(nationalFundIds).size).toBe(101);
    expect(fundsOf(1)).toEqual(['cpam-22']);
    expect(fundsOf(3)).toEqual(['cpam-22', 'cpam-01', 'cpam-02']);
    expect(() => fundsOf(0)).toThrow(/between 1 and 101/);
    expect(() => fundsOf(102)).toThrow(/between 1 and 101/);
  });

  it('given cases that do not divide, then the shares add up and differ by one at most', () => {
    expect(fundShares(10, 4)).toEqual([3, 3, 2, 2]);
    expect(fundShares(80_000, 101).reduce((a, b) => a + b, 0)).toBe(80_000);
  });

  it('given workers, then each fund goes to exactly one, round robin, never more workers than funds', () => {
    expect(assignFunds(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'c', 'e'], ['b', 'd']]);
    expect(assignFunds(['a', 'b'], 8)).toEqual([['a'], ['b']]);
  });

  it("given a fund, then its seed depends on the run's seed and the fund only", () => {
    expect(fundSeed(1, 'cpam-29')).toBe(fundSeed(1, 'cpam-29'));
    expect(fundSeed(1, 'cpam-29')).not.toBe(fundSeed(2, 'cpam-29'));
    expect(fundSeed(1, 'cpam-29')).not.toBe(fundSeed(1, 'cpam-22'));
  });

  it("given a store URL, then each fund's store is beside it: a file, a schema, or a store of its own in memory", () => {
    expect(fundStorageUrl('sqlite:./misas-simulation.db', 'cpam-29')).toBe('sqlite:./misas-simulation.cpam-29.db');
    expect(fundStorageUrl('/tmp/x/year', 'cpam-2a')).toBe('/tmp/x/year.cpam-2a.db');
    expect(fundStorageUrl('sqlite:/a.b/year.sqlite', 'cpam-01')).toBe('sqlite:/a.b/year.cpam-01.sqlite');
    expect(fundStorageUrl('postgres://u:p@h:5432/db?schema=sim', 'cpam-29')).toBe('postgres://u:p@h:5432/db?schema=sim_cpam_29');
    expect(fundStorageUrl('postgres://h/db', 'cgss-971')).toBe('postgres://h/db?schema=misas_cgss_971');
    expect(fundStorageUrl('memory:', 'cpam-29')).toBe('memory:');
  });
});

describe('simulateNational', () => {
  const year = { cases: 90, from: '2026-01-01', to: '2026-06-30', seed: 4, funds: 3, storeUrl: 'memory:' } as const;
  const worldOf = (result: Awaited<ReturnType<typeof simulateNational>>) => ({
    counts: result.counts,
    indicators: result.indicators,
    comparison: result.comparison,
    finalSteps: result.finalSteps,
    funds: result.funds,
    until: result.until,
  });

  it('given the same seed, when played by one worker and by two, then the counts and indicators are the same', async () => {
    const one = await simulateNational({ ...year, workers: 1 });
    const two = await simulateNational({ ...year, workers: 2 });
    expect(one.rejections).toEqual([]);
    expect(one.counts.referrals).toBe(90);
    expect(one.funds?.map((fund) => [fund.fundId, fund.referrals])).toEqual([['cpam-22', 30], ['cpam-01', 30], ['cpam-02', 30]]);
    expect(one.counts.commands).toBeGreaterThan(1000);
    expect(worldOf(two)).toEqual(worldOf(one));
    // And the seed matters: another seed gives another year.
    const other = await simulateNational({ ...year, seed: 5, workers: 2 });
    expect(worldOf(other)).not.toEqual(worldOf(one));
  }, 120_000);

  it('given more funds than cases, then it refuses before writing anything', async () => {
    await expect(simulateNational({ ...year, cases: 2, workers: 1 })).rejects.toThrow(/at least --funds/);
  });
});

describe('flat memory', () => {
  it('given four times the cases at the same daily rate, then the simulator holds the same: the current segment of each case in flight, not its script', async () => {
    // 60 referrals a month, over two months and over eight.
    const short = await simulateYear({ storage: createInMemoryStorage(), cases: 120, from: '2026-01-01', to: '2026-02-28', seed: 8 });
    const long = await simulateYear({ storage: createInMemoryStorage(), cases: 480, from: '2026-01-01', to: '2026-08-31', seed: 8 });
    expect(long.rejections).toEqual([]);
    const stepsPerCase = long.counts.commands / long.counts.referrals;
    // A whole script held per case in flight would be about `stepsPerCase` steps each.
    expect(long.held.peakQueuedSteps / long.held.peakCasesInFlight).toBeLessThan(0.6 * stepsPerCase);
    expect(long.held.peakCasesInFlight).toBeLessThan(0.5 * long.counts.referrals);
    expect(long.held.peakQueuedSteps).toBeLessThan(1.6 * short.held.peakQueuedSteps);
  }, 120_000);
});
