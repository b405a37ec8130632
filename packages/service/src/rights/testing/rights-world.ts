/**
 * A small world for the tests of the person's rights: two funds and a few people.
 *
 * - `case-1` (fund 22): Alex Martin, internal form with a NIR; consent given by phone with
 *   sharing to the CCAS; referred to the CCAS (data shared) and to the MDPH (not shared); one
 *   note; rectified twice (last name, then phone and email); a supervisor overrode consent to
 *   share with the social service.
 * - `case-2` (fund 22): Hélène Lefèvre, external form, in review.
 * - `case-3` (fund 29): another Alex Martin with the same birth date.
 * - `case-4` (fund 22): Paul Roux, who asked for erasure.
 */
import { createInMemoryStorage, ReviewItem, seededUlidGenerator, VirtualClock, type MisasStorage, type PrincipalInput } from '@misas/core';
import { sampleExternalForm, sampleInternalForm } from '@misas/core/testing';
import { createMisas, type Misas } from '../../misas.ts';
import type { SessionCommand } from '../../session.ts';

export const fund = 'cpam-22';
export const otherFund = 'cpam-29';
/** Alex Martin's NIR, on case-1's internal form. */
export const nirOfAlex = '189047512345655';
export const noteOfAlex = 'Lives with her sister; call after 5 pm.';

export const dpo = { role: 'data-protection-officer', id: 'dpo-1', fundId: fund } as const satisfies PrincipalInput;
export const counsellor = { role: 'counsellor', id: 'counsellor-1', fundId: fund } as const satisfies PrincipalInput;
export const supervisor = { role: 'supervisor', id: 'sup-1', fundId: fund } as const satisfies PrincipalInput;
export const detector = { role: 'detector', id: 'det-1', fundId: fund, origin: 'health-insurance-service' } as const satisfies PrincipalInput;

export interface RightsWorld {
  readonly misas: Misas;
  readonly storage: MisasStorage;
  readonly clock: VirtualClock;
}

type Step = Omit<SessionCommand, 'caseId' | 'commandId'>;

/** Builds the world in memory. */
export async function rightsWorld(): Promise<RightsWorld> {
  const storage = createInMemoryStorage();
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const misas = createMisas({ storage, clock, ids: seededUlidGenerator(22, clock) });
  let n = 0;
  const run = async (principal: PrincipalInput, caseId: string, steps: readonly Step[]) => {
    for (const step of steps) {
      clock.advance({ minutes: 5 });
      await misas.as(principal).execute({ ...step, caseId, commandId: `${caseId}:${n++}` } as SessionCommand);
    }
  };

  await run(detector, 'case-1', [
    {
      type: 'ReceiveReferral',
      data: {
        fundId: fund,
        form: sampleInternalForm({
          detectionMode: 'face-to-face',
          consent: { kind: 'signed', signedOn: '2026-01-05' },
          person: { lastName: 'Martin', firstName: 'Alex', birthDate: '1989-04-12', phone: '06 12 34 56 78', nir: nirOfAlex },
        }),
      },
    },
  ]);
  await run(counsellor, 'case-1', [
    { type: 'AcceptReferral', data: { counsellorId: 'counsellor-1' } },
    ...ReviewItem.options.map((item): Step => ({ type: 'RecordReviewItem', data: { item, finding: 'in-order' } })),
    { type: 'CompleteReview', data: {} },
    { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } },
    { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas'] } },
    { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights'] } },
    { type: 'ReferToPartner', data: { referralId: 'ref-ccas', partner: 'ccas', strand: 'rights', sharesPersonalData: true } },
    { type: 'ReferToPartner', data: { referralId: 'ref-mdph', partner: 'mdph', strand: 'rights', sharesPersonalData: false } },
    { type: 'AddNote', data: { text: noteOfAlex } },
    { type: 'RectifyPersonalData', data: { person: { lastName: 'Martin-Leroy' } } },
  ]);
  await run(dpo, 'case-1', [{ type: 'RectifyPersonalData', data: { person: { phone: '07 11 22 33 44', email: 'alex.ml@example.org' } } }]);
  await run(supervisor, 'case-1', [
    { type: 'OverrideConsent', data: { purpose: 'partner-sharing', partner: 'social-service', justification: 'vital-interest' } },
  ]);

  await run(supervisor, 'case-2', [
    { type: 'ReceiveReferral', data: { fundId: fund, form: sampleExternalForm({ person: { lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1960-03-03' } }) } },
    { type: 'AcceptReferral', data: { counsellorId: 'counsellor-1' } },
  ]);
  await run({ role: 'supervisor', id: 'sup-29', fundId: otherFund }, 'case-3', [
    { type: 'ReceiveReferral', data: { fundId: otherFund, form: sampleExternalForm() } },
  ]);
  await run(supervisor, 'case-4', [
    { type: 'ReceiveReferral', data: { fundId: fund, form: sampleExternalForm({ person: { lastName: 'Roux', firstName: 'Paul', birthDate: '1950-01-01' } }) } },
  ]);
  await run(dpo, 'case-4', [{ type: 'RequestErasure', data: { requestedOn: '2026-01-05', channel: 'letter' } }]);
  await misas.refresh();
  return { misas, storage, clock };
}
