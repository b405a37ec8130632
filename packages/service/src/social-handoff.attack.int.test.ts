/**
 * The hand-off to the social service through `@misas/service` (issue 15, item 6), on memory, SQLite
 * and PostgreSQL: a complex social situation still goes straight to the social service, the
 * referral keeps every reason ticked on the form (register and indicators count them all), and the
 * hand-off is followed like a partner referral — the fund's social service sees it, acknowledges it
 * and takes it up; the supervisor sees its status; another fund's social service, or another
 * partner of the fund, can neither see nor answer it.
 */
import { AccessDeniedError, socialServiceHandOffId } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { describe, expect, it } from 'vitest';
import { pgMissingInCi, pgRequiredMessage } from '../../adapters/src/postgres/test-kit.ts';
import { attackStores } from './testing/attack-stores.ts';
import { fundA, fundB, principals, privacyWorld } from './testing/privacy-world.ts';

describe.runIf(pgMissingInCi)('the social-service hand-off tests on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

const socialServiceA = { role: 'partner', id: 'social-service-a', fundId: fundA, partner: 'social-service' } as const;
const socialServiceB = { role: 'partner', id: 'social-service-b', fundId: fundB, partner: 'social-service' } as const;

describe('the hand-off to the social service', () => {
  for (const store of attackStores) {
    it.skipIf(store.unavailable)(
      `on ${store.name}: redirected with every ticked reason kept, followed like a partner referral by the fund's social service only`,
      async () => {
        const opened = await store.open();
        try {
          const { misas, clock } = await privacyWorld(opened.storage);
          const supervisor = misas.as(principals.supervisor);
          await misas.as(principals.detector).execute({
            type: 'ReceiveReferral',
            caseId: 'a-social',
            commandId: 'a-social:received',
            data: { fundId: fundA, form: sampleExternalForm({ reasons: ['complex-social-situation', 'rights-access', 'digital-fragility'] }) },
          });

          // The register keeps every reason, and the hand-off as a partner referral sent to the social service.
          const row = (await supervisor.caseRegister({}, { limit: 50 })).rows.find((r) => r.caseId === 'a-social');
          expect(row).toMatchObject({ triageDecision: 'redirected', reasons: ['complex-social-situation', 'rights-access', 'digital-fragility'], partnersSolicited: ['social-service'] });
          expect(row?.partnerReferrals).toEqual([
            { referralId: socialServiceHandOffId, partner: 'social-service', strand: 'social', status: 'sent', madeAt: '2026-01-05T09:00:00.000Z', followUpBy: '2026-02-04' },
          ]);
          // The indicators count the redirected referral in each of its reasons' groups.
          const byReason = await supervisor.indicators({ from: '2026-01-01', to: '2026-01-31', groupBy: 'reason' });
          const referred = Object.fromEntries(byReason.groups.map((g) => [g.key, g.indicators.referred]));
          expect(referred).toMatchObject({ 'complex-social-situation': 1, 'digital-fragility': 1 });
          expect(byReason.overall.redirected).toBe(1);

          // The fund's social service sees the hand-off (no personal data: the form's consent names no partner).
          const seen = await misas.as(socialServiceA).partnerReferrals();
          expect(seen).toEqual([
            { caseId: 'a-social', referralId: socialServiceHandOffId, strand: 'social', status: 'sent', madeAt: '2026-01-05T09:00:00.000Z', followUpBy: '2026-02-04', person: null },
          ]);

          // Attack: another fund's social service, and another partner of the fund, neither see nor answer it.
          expect(await misas.as(socialServiceB).partnerReferrals()).toEqual([]);
          expect((await misas.as(principals.partner).partnerReferrals()).map((v) => v.caseId)).not.toContain('a-social');
          for (const intruder of [socialServiceB, principals.partner]) {
            const refused = await misas
              .as(intruder)
              .execute({ type: 'UpdatePartnerReferral', caseId: 'a-social', commandId: `intrude-${intruder.id}`, data: { referralId: socialServiceHandOffId, status: 'refused' } })
              .catch((error: unknown) => error);
            expect(refused).toBeInstanceOf(AccessDeniedError);
          }
          // A referral id the case does not hold is refused, not silently ignored: it is not this partner's.
          const unknown = await misas
            .as(socialServiceA)
            .execute({ type: 'UpdatePartnerReferral', caseId: 'a-social', commandId: 'unknown-ref', data: { referralId: 'not-a-hand-off', status: 'acknowledged' } })
            .catch((error: unknown) => error);
          expect(unknown).toBeInstanceOf(AccessDeniedError);
          expect(unknown).toMatchObject({ rule: 'not-own-partner-referral' });

          // The fund's social service acknowledges, then takes it up; the case stays redirected.
          clock.set('2026-01-07T10:00:00.000Z');
          await misas.as(socialServiceA).execute({ type: 'UpdatePartnerReferral', caseId: 'a-social', commandId: 'ack', data: { referralId: socialServiceHandOffId, status: 'acknowledged' } });
          clock.set('2026-01-09T10:00:00.000Z');
          const taken = await misas
            .as(socialServiceA)
            .execute({ type: 'UpdatePartnerReferral', caseId: 'a-social', commandId: 'taken-up', data: { referralId: socialServiceHandOffId, status: 'in-progress' } });
          expect(taken.status).toBe('redirected');

          // The supervisor sees the status; the intruders changed nothing.
          const after = (await supervisor.caseRegister({}, { limit: 50 })).rows.find((r) => r.caseId === 'a-social');
          expect(after?.partnerReferrals.map((r) => r.status)).toEqual(['in-progress']);
          expect((await misas.as(socialServiceA).partnerReferrals()).map((v) => v.status)).toEqual(['in-progress']);
        } finally {
          await opened.close();
        }
      },
      60_000,
    );
  }
});
