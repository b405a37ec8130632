/**
 * Vanessa's case, from the seeds (example no. 2), from referral to closure.
 *
 * Vanessa, 23, student (BTS tourisme), mother of a 2-year-old, on RSA with a few hours of cleaning
 * work; poor housing; a heavy smoker who neglects her health. She needs major dental prosthetics but
 * the out-of-pocket cost is too high. No GP, carte Vitale lost months ago, no complementary cover.
 * A doctor she saw for a persistent cough refers her (seed 001).
 *
 * Run it with `pnpm example vanessa`.
 */
import { formatIndicators } from '../shared/indicators.ts';
import { seedPartners, strandOfPartner } from '../shared/partners.ts';
import { createWorld, formatFinalState, reviewSteps, type Step } from '../shared/world.ts';

/** The partners the seeds tick for Vanessa (seed 003). */
export const vanessaPartners = seedPartners.vanessa;

export const caseId = 'case-vanessa';

/** Plays Vanessa's case through secured sessions and returns the world it ran in. */
export async function runVanessa() {
  const world = createWorld({ start: '2026-04-07T09:00:00.000Z', seed: 23 });
  const fundId = 'cpam-22';
  const doctor = world.misas.as({ role: 'detector', id: 'dr-kerleau', fundId, origin: 'health-professional' });
  const counsellor = world.misas.as({ role: 'counsellor', id: 'cas-saint-brieuc-02', fundId });
  const backOffice = world.misas.as({ role: 'partner', id: 'back-office-22', fundId, partner: 'back-office' });
  const send = (session: typeof counsellor, instant: string, step: Step) => world.send(session, caseId, instant, step);

  // 1. The doctor fills in the external form (no NIR) during the consultation; Vanessa signs it.
  await send(doctor, '2026-04-07T09:00:00.000Z', {
    type: 'ReceiveReferral',
    data: {
      fundId,
      form: {
        variant: 'external',
        referralDate: '2026-04-07',
        detectionMode: 'face-to-face',
        reasons: ['care-renunciation', 'rights-access'],
        person: { lastName: 'M.', firstName: 'Vanessa', birthDate: '2002-11-05', phone: '06 48 31 70 12' },
        detector: { kind: 'health-professional', name: 'Dr Kerleau', service: 'Cabinet médical de Langueux' },
        careRenunciation: { careTypes: ['specialist-acts-and-exams'], since: 'over-1-year', causes: ['out-of-pocket-cost', 'rights'] },
        consent: { kind: 'signed', signedOn: '2026-04-07' },
        comments: 'Toux persistante, examens à prévoir. Prothèses dentaires importantes non faites.',
      },
    },
  });

  // 2–3. Triage, then the review: no carte Vitale, no complementary cover, no declared GP.
  await send(counsellor, '2026-04-08T08:30:00.000Z', { type: 'AcceptReferral', data: { counsellorId: counsellor.principal.id } });
  for (const step of reviewSteps({ 'carte-vitale': 'needs-action', 'complementary-cover': 'needs-action', 'declared-gp': 'needs-action', 'debts-or-overpayments': 'not-applicable' })) {
    await send(counsellor, '2026-04-08T10:00:00.000Z', step);
  }

  // 4. Contact and plan, on the phone, after her class.
  await send(counsellor, '2026-04-09T17:45:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
  await send(counsellor, '2026-04-09T18:00:00.000Z', {
    type: 'IdentifyNeeds',
    data: { problems: ['rights-and-procedures', 'care-and-health'], strands: ['rights', 'care', 'prevention', 'social'] },
  });
  // No GP and no C2S yet: the GP-search rule offers a systematic accompaniment.
  const profile = { hasScheduledOrUrgentCare: false, livesWithDisabilityOrInvalidity: false, isC2sBeneficiary: false, isDependent: false, age: 23 };
  await send(counsellor, '2026-04-09T18:05:00.000Z', { type: 'AssessGpSearch', data: { profile } });
  const me = { kind: 'counsellor', counsellorId: counsellor.principal.id } as const;
  const actions: Step[] = [
    { type: 'PlanAction', data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: me, dueDate: '2026-04-24' } },
    { type: 'PlanAction', data: { actionId: 'vitale', strand: 'rights', kind: 'carte-vitale-request', owner: me, dueDate: '2026-04-24' } },
    { type: 'PlanAction', data: { actionId: 'gp', strand: 'care', kind: 'declare-gp', owner: { kind: 'person' }, dueDate: '2026-05-15' } },
    { type: 'PlanAction', data: { actionId: 'dental', strand: 'care', kind: 'book-appointment', owner: me, dueDate: '2026-05-29' } },
    { type: 'PlanAction', data: { actionId: 'tobacco', strand: 'prevention', kind: 'prevention-offer', owner: { kind: 'partner', partner: 'health-check-centre' }, dueDate: '2026-06-30' } },
  ];
  for (const step of actions) await send(counsellor, '2026-04-09T18:20:00.000Z', step);
  for (const partner of vanessaPartners) {
    await send(counsellor, '2026-04-10T09:00:00.000Z', { type: 'ReferToPartner', data: { referralId: partner, partner, strand: strandOfPartner[partner] } });
  }
  await send(counsellor, '2026-04-10T09:30:00.000Z', { type: 'AgreePlan', data: {} });
  await send(counsellor, '2026-04-10T09:30:00.000Z', { type: 'LogTime', data: { minutes: 85, activity: 'planning' } });

  // 5. Accompaniment: the back office opens the C2S and sends a new carte Vitale.
  await send(backOffice, '2026-04-21T14:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: 'back-office', status: 'completed' } });
  const progress: Step[] = [
    { type: 'UpdateActionStatus', data: { actionId: 'c2s', status: 'done' } },
    { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } },
    { type: 'UpdateActionStatus', data: { actionId: 'vitale', status: 'done' } },
    { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'carte-vitale' } } },
  ];
  for (const step of progress) await send(counsellor, '2026-04-22T10:00:00.000Z', step);
  await send(counsellor, '2026-05-12T16:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'gp', status: 'done' } });
  await send(counsellor, '2026-05-12T16:05:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'declared-gp' } } });
  // The prosthetics, done at the fund's health centre under the C2S's 100 % santé basket.
  await send(counsellor, '2026-06-18T11:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'dental', status: 'done' } });
  await send(counsellor, '2026-06-18T11:05:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'care-carried-out', careType: 'specialist-acts-and-exams' } } });
  await send(counsellor, '2026-06-18T11:06:00.000Z', {
    type: 'RecordOutcome',
    data: { outcome: { kind: 'out-of-pocket-saved', amountCents: 145_000, careType: 'specialist-acts-and-exams' } },
  });
  await send(counsellor, '2026-06-18T11:10:00.000Z', { type: 'LogTime', data: { minutes: 120, activity: 'follow-up' } });
  for (const partner of ['health-insurance-health-centre', 'care-establishment', 'private-practitioners', 'complementary-insurer'] as const) {
    await send(counsellor, '2026-06-18T11:15:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: partner, status: 'completed' } });
  }

  // 6. Closure: housing, RSA and work, and quitting smoking go on with the partners.
  const orientedTo = ['departmental-council', 'caf-france-travail', 'association', 'health-check-centre', 'prevention'] as const;
  for (const partner of orientedTo) {
    await send(counsellor, '2026-06-25T09:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: partner, status: 'in-progress' } });
  }
  await send(counsellor, '2026-06-26T15:00:00.000Z', { type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: [...orientedTo] } });
  return world;
}

/** `pnpm example vanessa`: plays the case and prints its timeline and final state. */
export async function main(): Promise<void> {
  const world = await runVanessa();
  console.log(`Case ${caseId} (Vanessa, 23)\n`);
  console.log(await world.timeline(caseId));
  console.log(`\n${formatFinalState(await world.status(caseId), await world.file(caseId))}`);
  console.log(`\n${await formatIndicators(world.storage.events, { from: '2026-01-01', to: '2026-12-31' })}`);
}
