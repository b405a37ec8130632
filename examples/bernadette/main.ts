/**
 * Bernadette's case, from the seeds (example no. 3), from referral to closure.
 *
 * Bernadette, 72, recently widowed. Obesity (severe arthritis in another version of the seed) keeps
 * her from moving about, from the acts of daily life and from caring for herself. A small pension,
 * housing unsuited to her condition, a disability never recognised. Her sight is failing, but an
 * ophthalmologist would need adapted transport and a practice with an adapted chair. Her declared
 * GP does not do home visits. No complementary cover. The CCAS social worker who visits her refers her.
 *
 * Run it with `pnpm example bernadette`.
 */
import type { Partner } from '@misas/core';
import { formatIndicators } from '../shared/indicators.ts';
import { seedPartners, strandOfPartner } from '../shared/partners.ts';
import { createWorld, formatFinalState, reviewSteps, type Step } from '../shared/world.ts';

/** The partners the seeds tick for Bernadette (seed 003). */
export const bernadettePartners = seedPartners.bernadette;

/** The partners who need her name and phone to act: she agrees to it on the phone. */
const sharingWith = ['mdph', 'ccas', 'social-service', 'departmental-council'] as const satisfies readonly Partner[];

export const caseId = 'case-bernadette';

/** Plays Bernadette's case through secured sessions and returns the world it ran in. */
export async function runBernadette() {
  const world = createWorld({ start: '2026-09-14T14:00:00.000Z', seed: 72 });
  const fundId = 'cpam-22';
  const ccas = world.misas.as({ role: 'detector', id: 'ccas-ploufragan', fundId, origin: 'external-partner' });
  const counsellor = world.misas.as({ role: 'counsellor', id: 'cas-saint-brieuc-07', fundId });
  const mdph = world.misas.as({ role: 'partner', id: 'mdph-22', fundId, partner: 'mdph' });
  const send = (session: typeof counsellor, instant: string, step: Step) => world.send(session, caseId, instant, step);
  const all = async (instant: string, steps: readonly Step[]) => {
    for (const step of steps) await send(counsellor, instant, step);
  };

  // 1. The CCAS social worker fills in the external form at her home; she signs it.
  await send(ccas, '2026-09-14T14:00:00.000Z', {
    type: 'ReceiveReferral',
    data: {
      fundId,
      form: {
        variant: 'external',
        referralDate: '2026-09-14',
        detectionMode: 'face-to-face',
        reasons: ['care-renunciation-disability', 'rights-access'],
        person: { lastName: 'L.', firstName: 'Bernadette', birthDate: '1954-02-21', phone: '02 96 41 27 55' },
        detector: { kind: 'external-partner', name: 'C. Rolland', service: 'CCAS de Ploufragan' },
        careRenunciation: { careTypes: ['consultation', 'medical-devices'], since: 'over-1-year', causes: ['transport', 'rights', 'out-of-pocket-cost'] },
        consent: { kind: 'signed', signedOn: '2026-09-14' },
        comments: 'Veuve depuis peu. Vue qui baisse, ne peut se rendre chez un ophtalmologue. Médecin traitant sans visite à domicile.',
      },
    },
  });

  // 2–3. Triage and review: no complementary cover; her GP is declared.
  await send(counsellor, '2026-09-15T08:30:00.000Z', { type: 'AcceptReferral', data: { counsellorId: counsellor.principal.id } });
  await all('2026-09-15T10:00:00.000Z', reviewSteps({ 'complementary-cover': 'needs-action', 'ameli-account': 'not-applicable', 'debts-or-overpayments': 'not-applicable' }));

  // 4. Contact: she takes time to reach the phone; the second call gets her.
  await send(counsellor, '2026-09-16T09:00:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } });
  await send(counsellor, '2026-09-16T14:30:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
  await all('2026-09-16T14:40:00.000Z', [
    { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: [...sharingWith] } },
    { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures', 'care-and-health', 'disability'], strands: ['rights', 'care', 'prevention', 'social'] } },
  ]);
  const me = { kind: 'counsellor', counsellorId: counsellor.principal.id } as const;
  await all('2026-09-16T15:00:00.000Z', [
    { type: 'PlanAction', data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: me, dueDate: '2026-10-02' } },
    { type: 'PlanAction', data: { actionId: 'mdph', strand: 'rights', kind: 'partner-hand-over', owner: { kind: 'partner', partner: 'mdph' }, dueDate: '2026-12-15' } },
    { type: 'PlanAction', data: { actionId: 'transport', strand: 'care', kind: 'transport-arrangement', owner: me, dueDate: '2026-10-16' } },
    { type: 'PlanAction', data: { actionId: 'ophthalmo', strand: 'care', kind: 'book-appointment', owner: me, dueDate: '2026-10-30' } },
    { type: 'PlanAction', data: { actionId: 'home-care', strand: 'care', kind: 'choose-professional', owner: { kind: 'partner', partner: 'cpts' }, dueDate: '2026-10-30' } },
    { type: 'PlanAction', data: { actionId: 'housing', strand: 'social', kind: 'partner-hand-over', owner: { kind: 'partner', partner: 'social-service' }, dueDate: '2026-11-30' } },
  ]);
  await all(
    '2026-09-17T09:00:00.000Z',
    bernadettePartners.map((partner): Step => ({
      type: 'ReferToPartner',
      data: { referralId: partner, partner, strand: strandOfPartner[partner], sharesPersonalData: (sharingWith as readonly Partner[]).includes(partner) },
    })),
  );
  await all('2026-09-17T09:30:00.000Z', [{ type: 'AgreePlan', data: {} }, { type: 'LogTime', data: { minutes: 110, activity: 'planning' } }]);

  // 5. Accompaniment: C2S opened; adapted transport to an equipped ophthalmology practice; glasses.
  await all('2026-10-01T10:00:00.000Z', [
    { type: 'UpdatePartnerReferral', data: { referralId: 'back-office', status: 'completed' } },
    { type: 'UpdateActionStatus', data: { actionId: 'c2s', status: 'done' } },
    { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s-with-contribution' } } },
  ]);
  await send(mdph, '2026-10-05T11:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: 'mdph', status: 'acknowledged' } });
  await all('2026-10-14T16:00:00.000Z', [
    { type: 'UpdateActionStatus', data: { actionId: 'transport', status: 'done' } },
    { type: 'UpdateActionStatus', data: { actionId: 'home-care', status: 'done' } },
    { type: 'UpdatePartnerReferral', data: { referralId: 'cpts', status: 'completed' } },
  ]);
  await all('2026-10-28T17:00:00.000Z', [
    { type: 'UpdateActionStatus', data: { actionId: 'ophthalmo', status: 'done' } },
    { type: 'RecordOutcome', data: { outcome: { kind: 'care-carried-out', careType: 'consultation' } } },
    { type: 'RecordOutcome', data: { outcome: { kind: 'care-carried-out', careType: 'medical-devices' } } },
    { type: 'RecordOutcome', data: { outcome: { kind: 'out-of-pocket-saved', amountCents: 38_000, careType: 'medical-devices' } } },
    { type: 'LogTime', data: { minutes: 150, activity: 'follow-up' } },
  ]);

  // 6. Closure: the disability recognition, housing and home help carry on with the partners.
  const orientedTo = ['mdph', 'social-service', 'departmental-council', 'ccas', 'sophia-prado'] as const;
  await send(mdph, '2026-11-20T09:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: 'mdph', status: 'in-progress' } });
  await all('2026-11-20T10:00:00.000Z', [
    ...orientedTo.filter((p) => p !== 'mdph').map((referralId): Step => ({ type: 'UpdatePartnerReferral', data: { referralId, status: 'in-progress' } })),
    { type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: [...orientedTo] } },
  ]);
  return world;
}

/** `pnpm example bernadette`: plays the case and prints its timeline and final state. */
export async function main(): Promise<void> {
  const world = await runBernadette();
  console.log(`Case ${caseId} (Bernadette, 72)\n`);
  console.log(await world.timeline(caseId));
  console.log(`\n${formatFinalState(await world.status(caseId), await world.file(caseId))}`);
  console.log(`\n${await formatIndicators(world.storage.events, { from: '2026-01-01', to: '2026-12-31' })}`);
}
