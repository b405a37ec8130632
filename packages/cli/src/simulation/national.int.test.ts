/**
 * A simulation over several funds on durable stores (SQLite files, and PostgreSQL schemas when
 * MISAS_PG_URL is set): each fund's store beside the run's, `misas report` reading them all, and
 * the refusals of issue 12 kept for every fund's store.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorage } from '@misas/adapters';
import { ExitCode } from '../cli-output.ts';
import { loadScenarioFile } from '../scenario/parse.ts';
import { playScenario } from '../scenario/play.ts';
import { durableStores, personReadable, scratchDir, sqliteFile } from '../testing/attack-kit.ts';
import { captureCli, exampleScenario } from '../testing/capture.ts';
import { fundStorageUrl } from './funds.ts';

const run = ['--cases', '12', '--funds', '3', '--workers', '2', '--from', '2026-01-01', '--to', '2026-02-28', '--no-progress'];

describe.each(durableStores('national'))('misas simulate --funds on $kind', ({ kind, create }) => {
  it('given three funds on two workers, when simulated and reported, then each fund has its store and the report adds them up', async () => {
    const store = create();
    try {
      const simulated = await captureCli(['simulate', ...run, '--store', store.url, '--json']);
      expect(simulated.err).toBe('');
      expect(simulated.code).toBe(ExitCode.ok);
      const result = JSON.parse(simulated.out) as { counts: { referrals: number; rejected: number }; funds: { fundId: string; referrals: number }[] };
      expect(result.counts).toMatchObject({ referrals: 12, rejected: 0 });
      expect(result.funds).toEqual([expect.objectContaining({ fundId: 'cpam-22', referrals: 4 }), expect.objectContaining({ fundId: 'cpam-01', referrals: 4 }), expect.objectContaining({ fundId: 'cpam-02', referrals: 4 })]);
      if (kind === 'sqlite') for (const fund of ['cpam-22', 'cpam-01', 'cpam-02']) expect(existsSync(sqliteFile(fundStorageUrl(store.url, fund)))).toBe(true);

      const out = join(scratchDir('national-report'), 'report.html');
      const all = await captureCli(['report', '--store', store.url, '--out', out]);
      expect(all.code).toBe(ExitCode.ok);
      expect(all.out).toMatch(/: 12 cases referred from 2026-01/);
      const one = await captureCli(['report', '--store', store.url, '--out', out, '--fund', 'cpam-01']);
      expect(one.out).toMatch(/: 4 cases referred/);

      // Run again on the same stores: refused, unless --replace.
      const again = await captureCli(['simulate', ...run, '--store', store.url]);
      expect(again.code).toBe(ExitCode.failed);
      expect(again.err).toMatch(/already holds a simulation/);
      if (kind === 'sqlite') {
        const replaced = await captureCli(['simulate', ...run, '--store', store.url, '--replace', '--json']);
        expect(replaced.code).toBe(ExitCode.ok);
      }
    } finally {
      await store.drop();
    }
  }, 240_000);

  it("given a fund's store holding a real case, when simulated over the funds, then it is refused before writing and the person is still readable", async () => {
    const store = create();
    const fundUrl = fundStorageUrl(store.url, 'cpam-01');
    try {
      const storage = await openStorage(fundUrl);
      try {
        await playScenario(await loadScenarioFile(exampleScenario), { storage });
      } finally {
        await storage.close();
      }
      const refused = await captureCli(['simulate', ...run, '--store', store.url, ...(kind === 'sqlite' ? ['--replace'] : [])]);
      expect(refused.code).toBe(ExitCode.failed);
      expect(refused.err).toMatch(/cases misas simulate did not create \(case-lou/);
      const after = await openStorage(fundUrl);
      try {
        expect(await personReadable(after, 'case-lou')).toBe(true);
        expect((await after.events.readAll({ after: 0, limit: 10_000 })).every((event) => !JSON.stringify(event.meta).includes('sim-'))).toBe(true);
      } finally {
        await after.close();
      }
      if (kind === 'sqlite') expect(existsSync(sqliteFile(fundStorageUrl(store.url, 'cpam-22')))).toBe(false);
    } finally {
      await store.drop();
    }
  }, 240_000);
});
