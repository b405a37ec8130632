import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { caseId, main, runComplexSocial } from './main.ts';

describe('a complex social situation', () => {
  it('is redirected to the social service automatically, and the detector is told the accompaniment never started, because it was redirected', async () => {
    const { world, delivered, detectorView, handOffSeen } = await runComplexSocial();
    const events = await world.events(caseId);
    expect(events.map((e) => e.type)).toEqual(['ReferralReceived', 'ReferralRedirected', 'DetectorNotificationRequested', 'PartnerReferralUpdated', 'PartnerReferralUpdated']);
    expect(events[1]?.data).toEqual({ to: 'social-service', automatic: true, handOff: { referralId: 'social-service-hand-off', followUpBy: '2026-06-17' } });
    expect(events[2]?.data).toEqual({ notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'redirected' });
    expect(await world.status(caseId)).toBe('redirected');
    // Both ticked reasons stay with the redirected referral; the hand-off was seen sent, then taken up.
    expect((await world.file(caseId)).referral?.reasons).toEqual(['complex-social-situation', 'rights-access']);
    expect(handOffSeen.map((view) => [view.referralId, view.status, view.followUpBy])).toEqual([['social-service-hand-off', 'sent', '2026-06-17']]);
    expect((await world.file(caseId)).partnerReferrals['social-service-hand-off']?.status).toBe('in-progress');
    expect(delivered).toEqual([
      { caseId, notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'redirected', occurredAt: '2026-05-18T11:00:00.000Z' },
    ]);
    expect(detectorView).toEqual([
      { caseId, referralDate: '2026-05-18', startedOn: null, endedOn: null, notStartedOn: '2026-05-18', notStartedReason: 'redirected' },
    ]);
  });

  it('prints the redirection and the notice, without personal data, the same at every run', async () => {
    const lines = await printed(main);
    const text = lines.join('\n');
    expect(text).toContain('redirected to the social service (complex social situation)');
    expect(text).toContain('Notice delivered to the external-partner detector: accompaniment-not-started (redirected)');
    expect(text).toContain('Final state: redirected');
    expect(text).not.toContain('Karim');
    expect(await printed(main)).toEqual(lines);
  });
});
