import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqliteSchemaVersion } from '@misas/adapters';
import { captureCli, exampleScenario } from '../testing/capture.ts';

// One SQLite file for the whole story: a scenario is played on it, then the team's commands run on it.
const scratch = mkdtempSync(join(tmpdir(), 'misas-cli-'));
const store = `sqlite:${join(scratch, 'cases.db')}`;

describe('the misas commands on a SQLite file', () => {
  it('given an empty file, when a scenario is run on it, then every expectation holds, and a second run writes nothing', async () => {
    const run = await captureCli(['run', '--store', store, exampleScenario]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    // Played twice on one store, each command is recognised by its id and applied once: nothing
    // new is written (the state expectations then fail, since the case has moved on: a scenario
    // expects its cases to start empty).
    const again = await captureCli(['run', '--store', store, exampleScenario]);
    expect(again.out).toContain('(already applied)');
    expect(again.out).toContain('case-lou: closed (25 events)');
  });

  it('when migrate runs, then it reports the schema version', async () => {
    const migrate = await captureCli(['migrate', '--store', store]);
    expect(migrate.code).toBe(0);
    expect(migrate.out).toBe(`${store}: sqlite schema up to date, at version ${sqliteSchemaVersion}`);
  });

  it('when rebuild runs, then every projection is rebuilt from the 25 events', async () => {
    const rebuild = await captureCli(['rebuild', '--store', store]);
    expect(rebuild.code).toBe(0);
    for (const name of ['case-register', 'caseload', 'detector-view', 'retention', 'deadlines']) {
      expect(rebuild.out).toMatch(new RegExp(`^${name} +rebuilt as generation \\d+: 25 events read`, 'm'));
    }
    const one = await captureCli(['rebuild', '--store', store, '--projection', 'retention']);
    expect(one.out.split('\n')).toHaveLength(1);
    expect((await captureCli(['rebuild', '--store', store, '--projection', 'nope'])).code).toBe(2);
  });

  it("when the fund's DPO exports the case, then the JSON holds the person's data; another fund's is refused", async () => {
    const exported = await captureCli(['export', 'case-lou', '--as-dpo', 'dpo-22', '--fund', 'cpam-22', '--store', store]);
    expect(exported.code).toBe(0);
    const answer = z.object({ exportId: z.string(), data: z.object({ personalData: z.object({ status: z.string() }).loose() }).loose() }).parse(JSON.parse(exported.out));
    expect(answer.data.personalData.status).not.toBe('erased');
    expect(exported.out).toContain('Durand');

    const out = join(scratch, 'lou.md');
    const document = await captureCli(['export', 'case-lou', '--as-dpo', 'dpo-22', '--fund', 'cpam-22', '--store', store, '--format', 'markdown', '--out', out]);
    expect(document.out).toBe(`wrote the markdown export of case case-lou to ${out}`);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Your data at the Mission accompagnement santé/);

    const otherFund = await captureCli(['export', 'case-lou', '--as-dpo', 'dpo-29', '--fund', 'cpam-29', '--store', store]);
    expect(otherFund.code).toBe(1);
    expect(otherFund.err).toMatch(/^misas: case case-lou not found in fund cpam-29: check the case id/);
    expect(otherFund.err).not.toContain('    at ');
  });

  it('when purge runs before and after the end of retention, then the person is erased only after', async () => {
    const early = await captureCli(['purge', '--now', '2026-06-01', '--store', store]);
    expect(early.code).toBe(0);
    expect(early.out).toMatch(/^at 2026-06-01T00:00:00.000Z: 0 erasure\(s\)/);

    const late = await captureCli(['purge', '--now', '2027-11-01', '--allow-future', '--store', store]);
    expect(late.out).toMatch(/^at 2027-11-01T00:00:00.000Z: 1 erasure\(s\)/);
    const exported = await captureCli(['export', 'case-lou', '--as-dpo', 'dpo-22', '--fund', 'cpam-22', '--store', store]);
    expect(exported.out).not.toContain('Durand');
    expect((await captureCli(['purge', '--now', '2027-11-01', '--allow-future', '--store', store])).out).toMatch(/0 erasure\(s\)/);
  });

  it('given bad input, when a command runs, then it exits 2 with a message and no stack', async () => {
    const badDate = await captureCli(['purge', '--now', 'tomorrow', '--store', store]);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toContain('--now: must be a day (2027-09-01) or a UTC instant');
    const missing = await captureCli(['export', 'case-lou', '--fund', 'cpam-22', '--store', store]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--as-dpo <id>' not specified");
    const badStore = await captureCli(['migrate', '--store', 'ftp://example.org/cases']);
    expect(badStore.code).toBe(2);
    expect(badStore.err).toContain('cannot open the store ftp://example.org/cases');
  });
});
