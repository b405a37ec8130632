import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { bernadettePartners, caseId, main, runBernadette } from './main.ts';

describe("Bernadette's case", () => {
  it('closes with objectives met, referred to exactly the partners the seeds tick and oriented to those who carry on', async () => {
    const world = await runBernadette();
    const file = await world.file(caseId);
    expect(await world.status(caseId)).toBe('closed');
    expect(file.closure?.reason).toBe('objectives-met');
    expect(Object.values(file.partnerReferrals).map((r) => r.partner).sort()).toEqual([...bernadettePartners].sort());
    expect(bernadettePartners).toHaveLength(15);
    expect(file.closure?.orientedTo).toEqual(['mdph', 'social-service', 'departmental-council', 'ccas', 'sophia-prado']);
    expect(file.partnerReferrals['mdph']?.status).toBe('in-progress');
  });

  it('shares her data only with the partners she agreed to, and records the gains', async () => {
    const world = await runBernadette();
    const file = await world.file(caseId);
    const shared = Object.values(file.partnerReferrals).filter((r) => r.sharesPersonalData).map((r) => r.partner).sort();
    expect(shared).toEqual(['ccas', 'departmental-council', 'mdph', 'social-service']);
    expect(file.outcomes.map((o) => o.kind)).toEqual(['right-opened', 'care-carried-out', 'care-carried-out', 'out-of-pocket-saved']);
    const partnerActs = (await world.events(caseId)).filter((e) => e.meta.actor.role === 'partner').map((e) => e.data);
    expect(partnerActs).toEqual([{ referralId: 'mdph', status: 'acknowledged' }, { referralId: 'mdph', status: 'in-progress' }]);
  });

  it('keeps her personal data out of the log, and prints the same at every run', async () => {
    const world = await runBernadette();
    const log = JSON.stringify(await world.storage.events.readAll());
    for (const secret of ['Bernadette', '1954-02-21', '02 96 41 27 55', 'Rolland', 'Veuve']) expect(log).not.toContain(secret);
    const first = await printed(main);
    expect(first.at(-2)).toContain('Final state: closed');
    expect(await printed(main)).toEqual(first);
  });
});
