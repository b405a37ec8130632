import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { readPopulation } from '../shared/population.ts';
import { main, populationFile, runReachingOut } from './main.ts';

describe('a reaching-out batch from a population file', () => {
  it('reads the 20 rows of the file', () => {
    const rows = readPopulation(populationFile);
    expect(rows).toHaveLength(20);
    expect(rows[1]).toMatchObject({ id: 'p02', answers: { hasDeclaredGp: false, lastHealthVisit: 'over-2-years' }, signals: ['mobility-problems', 'no-relatives'] });
  });

  it('files a reaching-out referral for each person the grid flags, and only for them', async () => {
    const { world, screened } = await runReachingOut();
    const flagged = screened.filter((s) => s.caseId !== null).map((s) => s.row.id);
    expect(flagged).toEqual(['p02', 'p03', 'p05', 'p06', 'p09', 'p11', 'p13', 'p15', 'p17']);
    const received = (await world.storage.events.readAll()).filter((e) => e.type === 'ReferralReceived');
    expect(received).toHaveLength(9);
    for (const event of received) {
      expect(event.data).toMatchObject({ channel: 'reaching-out', referral: { variant: 'internal', detector: { kind: 'reaching-out-query' }, consent: { kind: 'remote-pending-confirmation' } } });
    }
    // Money trouble with nobody to rely on: straight to the social service.
    expect(screened.find((s) => s.row.id === 'p11')?.status).toBe('redirected');
    expect(screened.filter((s) => s.status === 'triage')).toHaveLength(8);
  });

  it('prints who was flagged and why, and the indicators, the same at every run; the log holds no name', async () => {
    const lines = await printed(main);
    const text = lines.join('\n');
    expect(text).toContain('Population file: 20 people; the grid flags 9.');
    expect(text).toContain('no-relatives + money-trouble → complex-social-situation');
    expect(text).toContain('referred 9, accepted 0, redirected 1, declined 0');
    expect(await printed(main)).toEqual(lines);
    const { world } = await runReachingOut();
    const log = JSON.stringify(await world.storage.events.readAll());
    for (const secret of ['Tanguy', 'Benali', '02 96 11 20 02', '1941-07-30']) expect(log).not.toContain(secret);
  });
});
