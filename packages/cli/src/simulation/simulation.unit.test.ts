import { createInMemoryStorage, type MisasStorage } from '@misas/core';
import { describe, expect, it } from 'vitest';
import { defaultCalibration, parseCalibration } from './calibration.ts';
import { inclusionChances, systematicSample } from './case-plan.ts';
import { simulateYear, type SimulationProgress, type SimulationResult } from './runner.ts';

async function eventLog(storage: MisasStorage): Promise<unknown[]> {
  const all: unknown[] = [];
  for (let after = 0; ; ) {
    const batch = await storage.events.readAll({ after, limit: 5000 });
    if (batch.length === 0) return all;
    all.push(...batch);
    after = batch.at(-1)?.position ?? after;
  }
}

const year = { from: '2026-01-01', to: '2026-12-31' } as const;

describe('simulateYear', () => {
  let small: SimulationResult;
  const progress: SimulationProgress[] = [];

  it('given 200 referrals over a year, when simulated, then every script command is accepted and the progress reaches its total', async () => {
    small = await simulateYear({ storage: createInMemoryStorage(), cases: 200, ...year, seed: 7 }, { onProgress: (p) => progress.push(p) });

    expect(small.rejections).toEqual([]);
    expect(small.counts.referrals).toBe(200);
    expect(small.indicators.overall.referred).toBe(200);
    const play = progress.filter((p) => p.phase === 'play');
    expect(play.length).toBeGreaterThan(2);
    for (let i = 1; i < play.length; i++) expect(play[i]!.done).toBeGreaterThanOrEqual(play[i - 1]!.done);
    expect(play.at(-1)!.done).toBe(play.at(-1)!.total);
    expect(progress.at(-1)).toMatchObject({ phase: 'project' });
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
  }, 60_000);

  it('then every case ends in a plausible state: none left open after the period and the delays', () => {
    const open = Object.entries(small.finalSteps).filter(([step]) => !['closed', 'redirected', 'declined'].includes(step));
    expect(open).toEqual([]);
    expect(small.indicators.overall.awaitingTriage).toBe(0);
    // The scheduler took its part: unreachable closures at 45 days and reminders.
    expect(small.counts.scheduler.unreachableClosures).toBeGreaterThan(0);
    expect(small.counts.scheduler.reminders).toBeGreaterThan(0);
  });

  it('then the headline shares meet the published 58 % and 45 % within one case of the denominator', () => {
    // Systematic sampling picks target × accompaniments cases give or take one, so the share is off
    // by at most 1 / denominator (under a point for the ~140 accompaniments of 200 referrals).
    for (const indicator of ['rightsShare', 'careShare'] as const) {
      const row = small.comparison.find((r) => r.indicator === indicator)!;
      expect(row.denominator).toBeGreaterThan(100);
      expect(Math.abs(row.actual! - row.target)).toBeLessThanOrEqual(1 / row.denominator + 1e-9);
    }
  });

  it('then the assumed path shares are met within three binomial standard deviations', () => {
    // Paths are drawn independently per case: with n = 200 the share's standard deviation is √(p(1-p)/n).
    for (const row of small.comparison.filter((r) => r.source === 'assumption')) {
      const sigma = Math.sqrt((row.target * (1 - row.target)) / row.denominator);
      expect(Math.abs(row.actual! - row.target), row.indicator).toBeLessThanOrEqual(3 * sigma);
    }
  });

  it('given the same seed twice, when simulated, then the event logs are identical, ids included; another seed gives another log', async () => {
    const options = { cases: 40, from: '2026-03-01', to: '2026-04-30' } as const;
    const first = createInMemoryStorage();
    const second = createInMemoryStorage();
    const third = createInMemoryStorage();
    await simulateYear({ storage: first, ...options, seed: 11 });
    await simulateYear({ storage: second, ...options, seed: 11 });
    await simulateYear({ storage: third, ...options, seed: 12 });

    const log = await eventLog(first);
    expect(log.length).toBeGreaterThan(500);
    expect(await eventLog(second)).toEqual(log);
    expect(await eventLog(third)).not.toEqual(log);
  }, 60_000);

  it('given a clock run 18 months past the closures, when simulated, then the scheduler erases at retention', async () => {
    const result = await simulateYear({ storage: createInMemoryStorage(), cases: 10, from: '2026-01-05', to: '2026-01-16', seed: 3, until: '2027-12-31' });
    expect(result.rejections).toEqual([]);
    expect(result.counts.scheduler.erasures).toBe(10 - (result.indicators.overall.closureReasons['erasure-requested'] ?? 0));
  });

  it('given a store that already holds the seed, when simulated again, then it refuses rather than mixing two runs', async () => {
    const storage = createInMemoryStorage();
    await simulateYear({ storage, cases: 3, from: '2026-01-05', to: '2026-01-09', seed: 5 });
    await expect(simulateYear({ storage, cases: 3, from: '2026-01-05', to: '2026-01-09', seed: 5 })).rejects.toThrow(/already holds/);
  });

});

describe('calibration', () => {
  it('given the default, when parsed again, then it is valid and every figure has a description saying its source', () => {
    expect(parseCalibration(defaultCalibration)).toEqual(defaultCalibration);
    expect(() => parseCalibration({ ...defaultCalibration, paths: { ...defaultCalibration.paths, declined: 0.9 } })).toThrow();
  });
});

describe('systematic sampling', () => {
  it('given chances adding up to k, when sampled, then exactly k (±1) are picked and none above 1 is produced', () => {
    const chances = inclusionChances([5, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.3);
    expect(Math.max(...chances)).toBeLessThanOrEqual(1);
    expect(chances.reduce((a, b) => a + b, 0)).toBeCloseTo(3);
    const picked = systematicSample(chances, 0.42).filter(Boolean).length;
    expect(Math.abs(picked - 3)).toBeLessThanOrEqual(1);
  });
});
