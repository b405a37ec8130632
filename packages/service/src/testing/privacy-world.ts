/**
 * A small world for the service's tests: two funds, three cases, principals of every role.
 * Case `a-1` (fund A, counsellor-1) came on the internal form with a NIR, was filed by detector
 * `det-1`, has consent shared with the CCAS and a referral to it sharing data; `a-2` (fund A,
 * counsellor-2) is in review; `b-1` is fund B's.
 */
import {
  createInMemoryStorage,
  ReviewItem,
  seededUlidGenerator,
  VirtualClock,
  type MisasStorage,
  type PrincipalInput,
} from '@misas/core';
import { sampleExternalForm, sampleInternalForm } from '@misas/core/testing';
import { createMisas, type Misas } from '../misas.ts';
import type { SessionCommand } from '../session.ts';

export const fundA = 'cpam-a';
export const fundB = 'cpam-b';
/** The NIR on case a-1's form: it must never reach a log, a read model, a detector or a partner. */
export const nirOfA1 = '189047512345655';

export const principals = {
  detector: { role: 'detector', id: 'det-1', fundId: fundA, origin: 'health-insurance-service' },
  counsellor: { role: 'counsellor', id: 'counsellor-1', fundId: fundA },
  supervisor: { role: 'supervisor', id: 'sup-a', fundId: fundA },
  'data-protection-officer': { role: 'data-protection-officer', id: 'dpo-a', fundId: fundA },
  auditor: { role: 'auditor', id: 'aud-a', fundId: fundA },
  partner: { role: 'partner', id: 'ccas-a', fundId: fundA, partner: 'ccas' },
  'national-analyst': { role: 'national-analyst', id: 'cnam-1' },
  'national-auditor': { role: 'national-auditor', id: 'cnam-audit-1' },
  system: { role: 'system', id: 'scheduler' },
} as const satisfies Record<string, PrincipalInput>;
export type WorldRole = keyof typeof principals;

export interface PrivacyWorld {
  readonly misas: Misas;
  readonly storage: MisasStorage;
  readonly clock: VirtualClock;
}

/** Builds the world on `storage` (in memory by default). */
export async function privacyWorld(storage: MisasStorage = createInMemoryStorage()): Promise<PrivacyWorld> {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const misas = createMisas({ storage, clock, ids: seededUlidGenerator(7, clock), pseudonymKey: 'a-secret-of-the-national-evaluation-team' });
  const detector = misas.as(principals.detector);
  const counsellor = misas.as(principals.counsellor);
  const supervisorA = misas.as(principals.supervisor);
  const supervisorB = misas.as({ role: 'supervisor', id: 'sup-b', fundId: fundB });

  await detector.execute({
    type: 'ReceiveReferral',
    caseId: 'a-1',
    commandId: 'a-1:received',
    data: { fundId: fundA, form: sampleInternalForm({ consent: { kind: 'signed', signedOn: '2026-01-05' }, detectionMode: 'face-to-face' }) },
  });
  const steps = [
    { type: 'AcceptReferral', data: { counsellorId: 'counsellor-1' } },
    ...ReviewItem.options.map((item) => ({ type: 'RecordReviewItem', data: { item, finding: 'in-order' } }) as const),
    { type: 'CompleteReview', data: {} },
    { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } },
    { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas'] } },
    { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights'] } },
    { type: 'ReferToPartner', data: { referralId: 'ref-ccas', partner: 'ccas', strand: 'rights', sharesPersonalData: true } },
    { type: 'AddNote', data: { text: 'Lives with her sister; call after 5 pm.' } },
  ] satisfies readonly Omit<SessionCommand, 'caseId' | 'commandId'>[];
  let n = 0;
  for (const step of steps) await counsellor.execute({ ...step, caseId: 'a-1', commandId: `a-1:${n++}` } as SessionCommand);

  await supervisorA.execute({ type: 'ReceiveReferral', caseId: 'a-2', commandId: 'a-2:received', data: { fundId: fundA, form: sampleExternalForm({ person: { lastName: 'Durand', firstName: 'Léa', birthDate: '1975-02-01' } }) } });
  await supervisorA.execute({ type: 'AcceptReferral', caseId: 'a-2', commandId: 'a-2:accepted', data: { counsellorId: 'counsellor-2' } });
  await supervisorB.execute({ type: 'ReceiveReferral', caseId: 'b-1', commandId: 'b-1:received', data: { fundId: fundB, form: sampleExternalForm({ person: { lastName: 'Bernard', firstName: 'Yves', birthDate: '1950-07-14' } }) } });
  return { misas, storage, clock };
}
