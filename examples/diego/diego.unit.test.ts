import { describe, expect, it } from 'vitest';
import { CaseCommandHandler, caseFileOf } from '@misas/core';
import { diegoPartners, runDiego } from './main.ts';

describe("Diego's case", () => {
  it('runs from referral to closure with the partners the seeds tick', async () => {
    const result = await runDiego();
    const file = caseFileOf(result.state);
    expect(result.status).toBe('closed');
    expect(file.closure?.reason).toBe('objectives-met');
    expect(Object.values(file.partnerReferrals).map((r) => r.partner).sort()).toEqual([...diegoPartners].sort());
    expect(file.outcomes.map((o) => o.kind)).toEqual(['right-opened', 'right-opened', 'care-carried-out', 'out-of-pocket-saved']);
  });

  it('keeps every personal detail out of the event log', async () => {
    const result = await runDiego();
    const log = JSON.stringify(await result.store.readAll());
    for (const secret of ['Diego', '1988-09-14', '06 71 22 43 18', 'Le Goff', 'Radiologie prescrite', 'Joignable après 18h']) {
      expect(log).not.toContain(secret);
    }
  });

  it('replays identically from the store, and the same run gives the same events', async () => {
    const first = await runDiego();
    const loaded = await new CaseCommandHandler({ store: first.store, vault: first.vault }).load(first.caseId);
    expect(caseFileOf(loaded.state)).toEqual(caseFileOf(first.state));
    const second = await runDiego();
    expect(await second.store.readAll()).toEqual(await first.store.readAll());
  });
});

describe("Diego's indicators", () => {
  it('are printed by the example: one referral, rights helped and care carried out', async () => {
    const { formatIndicators } = await import('../shared/indicators.ts');
    const result = await runDiego();
    const text = await formatIndicators(result.store, { from: '2026-01-01', to: '2026-12-31' });
    expect(text).toContain('referred 1, accepted 1');
    expect(text).toContain('helped with their rights: 100 % (1/1)');
    expect(text).toContain('carried out their care:   100 % (1/1)');
  });
});
