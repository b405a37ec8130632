import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { caseId, main, runVanessa, vanessaPartners } from './main.ts';

describe("Vanessa's case", () => {
  it('closes with objectives met, referred to exactly the partners the seeds tick and oriented to those who carry on', async () => {
    const world = await runVanessa();
    const file = await world.file(caseId);
    expect(await world.status(caseId)).toBe('closed');
    expect(file.closure?.reason).toBe('objectives-met');
    expect(Object.values(file.partnerReferrals).map((r) => r.partner).sort()).toEqual([...vanessaPartners].sort());
    expect(file.closure?.orientedTo.every((p) => (vanessaPartners as readonly string[]).includes(p))).toBe(true);
    expect(file.closure?.orientedTo).toEqual(['departmental-council', 'caf-france-travail', 'association', 'health-check-centre', 'prevention']);
  });

  it('opens her rights (C2S, carte Vitale, GP), gets the prosthetics done, and applies the GP-search rule', async () => {
    const world = await runVanessa();
    const file = await world.file(caseId);
    expect(file.outcomes.map((o) => (o.kind === 'right-opened' ? o.right : o.kind))).toEqual([
      'c2s', 'carte-vitale', 'declared-gp', 'care-carried-out', 'out-of-pocket-saved',
    ]);
    expect(file.gpSearch).toEqual({ outcome: 'systematic-accompaniment', criteriaMet: ['not-c2s-beneficiary'] });
    const types = (await world.events(caseId)).map((e) => e.type);
    expect(types.filter((t) => t === 'DetectorNotificationRequested')).toHaveLength(2);
  });

  it('keeps her personal data out of the log, and prints the same at every run', async () => {
    const world = await runVanessa();
    const log = JSON.stringify(await world.storage.events.readAll());
    for (const secret of ['Vanessa', '2002-11-05', '06 48 31 70 12', 'Kerleau', 'Toux persistante']) expect(log).not.toContain(secret);
    const first = await printed(main);
    expect(first.at(-2)).toContain('Final state: closed');
    expect(await printed(main)).toEqual(first);
  });
});
