/**
 * A remote detection: the fund's phone platform detects Lina by phone, so nobody could sign the
 * form. The counsellor confirms her consent by phone, which makes the welcome letter due (it
 * explains the service and her rights); the letter is sent before its due day.
 *
 * Run it with `pnpm example remote-consent`.
 */
import { createWorld, formatFinalState, reviewSteps, type Step } from '../shared/world.ts';

export const caseId = 'case-remote';

export async function runRemoteConsent() {
  const world = createWorld({ start: '2026-02-09T10:20:00.000Z', seed: 9 });
  const fundId = 'cpam-22';
  const platform = world.misas.as({ role: 'detector', id: 'plateforme-3646', fundId, origin: 'health-insurance-service' });
  const counsellor = world.misas.as({ role: 'counsellor', id: 'cas-saint-brieuc-05', fundId });
  const send = (session: typeof counsellor, instant: string, step: Step) => world.send(session, caseId, instant, step);

  // 1. Detected during a call to the fund: the internal form, consent pending confirmation.
  await send(platform, '2026-02-09T10:20:00.000Z', {
    type: 'ReceiveReferral',
    data: {
      fundId,
      form: {
        variant: 'internal',
        referralDate: '2026-02-09',
        detectionMode: 'phone',
        reasons: ['rights-access', 'digital-fragility'],
        person: { lastName: 'B.', firstName: 'Lina', birthDate: '1979-06-30', phone: '07 61 02 33 94' },
        detector: { kind: 'health-insurance-service', name: 'Y. Le Bihan', service: 'Plateforme téléphonique 3646' },
        consent: { kind: 'remote-pending-confirmation' },
      },
    },
  });
  await send(counsellor, '2026-02-10T08:45:00.000Z', { type: 'AcceptReferral', data: { counsellorId: counsellor.principal.id } });
  for (const step of reviewSteps({ 'complementary-cover': 'needs-action', 'ameli-account': 'needs-action' })) {
    await send(counsellor, '2026-02-10T09:30:00.000Z', step);
  }

  // 2. The call: she is reached and confirms her consent by phone; the letter falls due.
  await send(counsellor, '2026-02-11T14:00:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
  await send(counsellor, '2026-02-11T14:05:00.000Z', { type: 'RecordConsent', data: { decision: 'given', mode: 'phone' } });
  await send(counsellor, '2026-02-11T14:20:00.000Z', {
    type: 'IdentifyNeeds',
    data: { problems: ['rights-and-procedures', 'digital-inclusion'], strands: ['rights', 'digital'] },
  });

  // 3. The welcome letter goes out two days later; the plan is agreed.
  await send(counsellor, '2026-02-13T09:00:00.000Z', { type: 'RecordWelcomeLetterSent', data: {} });
  const me = { kind: 'counsellor', counsellorId: counsellor.principal.id } as const;
  await send(counsellor, '2026-02-13T09:10:00.000Z', { type: 'PlanAction', data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: me, dueDate: '2026-03-06' } });
  await send(counsellor, '2026-02-13T09:10:00.000Z', { type: 'ReferToPartner', data: { referralId: 'ameli', partner: 'digital-mediator', strand: 'digital' } });
  await send(counsellor, '2026-02-13T09:15:00.000Z', { type: 'AgreePlan', data: {} });
  return world;
}

/** `pnpm example remote-consent`: plays the case and prints its timeline and final state. */
export async function main(): Promise<void> {
  const world = await runRemoteConsent();
  const file = await world.file(caseId);
  console.log(`Case ${caseId}: detected by phone, consent confirmed by phone\n`);
  console.log(await world.timeline(caseId));
  console.log(`\nConsent: ${file.consent} (${file.consentRecord?.mode ?? 'none'})`);
  console.log(`Welcome letter: due by ${file.welcomeLetterDueBy ?? 'n/a'}, sent on ${file.welcomeLetterSentAt?.slice(0, 10) ?? 'not yet'}`);
  console.log(formatFinalState(await world.status(caseId), file));
}
