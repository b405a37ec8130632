// Embedding misas securely: one session per authenticated principal; roles, scope and consent decide what each sees.
import { CaseNotFoundError, CommandRejectedError, createInMemoryStorage, ReviewItem, seededUlidGenerator, VirtualClock } from '@misas/core';
import { createMisas, type MisasSession, type SessionCommand } from '@misas/service';

type Step = Omit<SessionCommand, 'caseId' | 'commandId'>;

export async function main(): Promise<void> {
  const clock = new VirtualClock('2026-03-02T09:00:00.000Z');
  const misas = createMisas({ storage: createInMemoryStorage(), clock, ids: seededUlidGenerator(22, clock) });
  const fundId = 'cpam-22';
  // Your application authenticates users; misas is told who they are and decides what they may do.
  const reception = misas.as({ role: 'detector', id: 'reception-22', fundId, origin: 'health-insurance-service' });
  const counsellor = misas.as({ role: 'counsellor', id: 'counsellor-12', fundId });
  const dpo = misas.as({ role: 'data-protection-officer', id: 'dpo-22', fundId });
  let n = 0;
  const send = (session: MisasSession, command: Step) => {
    clock.advance({ minutes: 10 });
    return session.execute({ ...command, caseId: 'case-001', commandId: `cmd-${++n}` } as SessionCommand);
  };

  await send(reception, {
    type: 'ReceiveReferral',
    data: {
      fundId,
      form: {
        variant: 'internal', // only an internal service may file the form that carries a NIR
        referralDate: '2026-03-02',
        detectionMode: 'face-to-face',
        reasons: ['rights-access'],
        person: { lastName: 'Durand', firstName: 'Lou', birthDate: '1990-05-17', phone: '06 12 34 56 78', nir: '189047512345655' },
        detector: { kind: 'health-insurance-service', name: 'A. Morvan', service: 'Accueil Saint-Brieuc' },
        consent: { kind: 'signed', signedOn: '2026-03-02' },
      },
    },
  });
  const casework: Step[] = [
    { type: 'AcceptReferral', data: { counsellorId: 'counsellor-12' } },
    ...ReviewItem.options.map((item): Step => ({ type: 'RecordReviewItem', data: { item, finding: 'in-order' } })),
    { type: 'CompleteReview', data: {} },
    { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } },
    // Consent is a record with a scope: Lou agrees that their data goes to the CCAS, and to no other partner.
    { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas'] } },
    { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights'] } },
    { type: 'ReferToPartner', data: { partner: 'ccas', strand: 'rights', sharesPersonalData: true } },
  ];
  for (const command of casework) await send(counsellor, command);
  try {
    await send(counsellor, { type: 'ReferToPartner', data: { partner: 'mdph', strand: 'rights', sharesPersonalData: true } });
  } catch (error) {
    if (error instanceof CommandRejectedError) console.log('share with the MDPH:', error.rule); // partner-sharing-consented
  }

  const ccas = misas.as({ role: 'partner', id: 'ccas-lannion', fundId, partner: 'ccas' });
  const [referral] = await ccas.partnerReferrals();
  console.log('partner sees:', JSON.stringify(referral?.person)); // the name and phone; never the NIR

  try {
    await misas.as({ role: 'counsellor', id: 'counsellor-7', fundId: 'cpam-29' }).caseDetail('case-001');
  } catch (error) {
    if (error instanceof CaseNotFoundError) console.log('another fund:', error.rule); // case-not-found, as for an unknown case
  }

  const access = await dpo.exportPerson('case-001'); // right of access: JSON (access.data) and a readable document
  console.log(access.document.split('\n').slice(0, 3).join('\n'));

  clock.advance({ days: 7 });
  await send(dpo, { type: 'RequestErasure', data: { requestedOn: '2026-03-09', channel: 'letter' } });
  console.log('after erasure:', (await dpo.exportPerson('case-001')).data.personalData.status); // erased

  const auditor = misas.as({ role: 'auditor', id: 'auditor-22', fundId });
  const trail = await auditor.auditTrail({ caseId: 'case-001' }, { limit: 100 });
  for (const entry of trail.entries.filter((e) => e.personalData || e.outcome === 'denied')) {
    console.log(entry.principal.role, entry.name, entry.outcome, entry.personalData);
  }
}
