/**
 * Random command sequences over a few cases, for property tests of read models. Pure randomness
 * would leave most cases stuck at triage, so a step either picks a command that makes sense in
 * the case's current step, or any command at all (which the lifecycle may refuse).
 */
import fc from 'fast-check';
import {
  ClosureReason,
  DeclineReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  RequestChannel,
  ReviewItem,
  type ActionStatus,
  type Actor,
} from '@misas/core';
import { sampleExternalForm, sampleInternalForm, type CommandUnderTest } from '@misas/core/testing';

/** One user gesture on one case. */
export interface RandomStep {
  readonly caseIndex: number;
  readonly advanceHours: number;
  readonly sensible: boolean;
  readonly pick: number;
  readonly anyCommands: readonly CommandUnderTest[];
  /** Catch the read models up after this step, in batches of this size (0: not now). */
  readonly catchUpBatch: number;
}

const ids = ['x1', 'x2', 'x3'] as const;
const reviewBurst: CommandUnderTest[] = [
  ...ReviewItem.options.map((item): CommandUnderTest => ({ type: 'RecordReviewItem', data: { item, finding: 'in-order' } })),
  { type: 'CompleteReview', data: {} },
];
const forms = [sampleExternalForm(), sampleInternalForm(), sampleExternalForm({ reasons: ['complex-social-situation'], careRenunciation: undefined })];
const receive = (index: number): CommandUnderTest => ({ type: 'ReceiveReferral', data: { fundId: 'cpam-p', form: forms[index % forms.length] ?? sampleExternalForm() } });
const actionStatuses: readonly ActionStatus[] = ['in-progress', 'done', 'cancelled'];
const partners = fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 3 });
/** Birth dates before every sample form's referral date: a later one is invalid input, not a refusal. */
const birthDates = ['1950-03-01', '1989-04-12', '2001-07-15'] as const;
const rectification: fc.Arbitrary<CommandUnderTest> = fc
  .oneof(
    fc.constantFrom('Martin-Leroy', 'Durand').map((lastName) => ({ lastName })),
    fc.constantFrom(...birthDates).map((birthDate) => ({ birthDate })),
    fc.constant({ phone: null }),
  )
  .map((person) => ({ type: 'RectifyPersonalData', data: { person } }));

/**
 * A privileged role overriding consent. The property test sends it as a supervisor (see
 * {@link actorFor}); sent by anyone else it would only ever be refused.
 */
const overrideConsent: fc.Arbitrary<CommandUnderTest> = fc.oneof(
  fc.constant<CommandUnderTest>({ type: 'OverrideConsent', data: { purpose: 'accompaniment', justification: 'vital-interest' } }),
  fc.constantFrom(...Partner.options).map((partner): CommandUnderTest => ({
    type: 'OverrideConsent',
    data: { purpose: 'partner-sharing', partner, justification: 'legal-obligation' },
  })),
);

const anyCommand: fc.Arbitrary<readonly CommandUnderTest[]> = fc.oneof(
  fc.nat().map((n) => [receive(n)]),
  fc.constantFrom('c1', 'c2').map((counsellorId): CommandUnderTest[] => [{ type: 'AcceptReferral', data: { counsellorId } }]),
  fc.constantFrom(...DeclineReason.options).map((reason): CommandUnderTest[] => [{ type: 'DeclineReferral', data: { reason } }]),
  fc.constantFrom('c1', 'c2', 'c3').map((counsellorId): CommandUnderTest[] => [{ type: 'AssignCounsellor', data: { counsellorId } }]),
  fc.constant(reviewBurst),
  fc.boolean().map((reached): CommandUnderTest[] => [{ type: 'RecordContactAttempt', data: { channel: 'phone', reached } }]),
  fc.boolean().map((reached): CommandUnderTest[] => [{ type: 'RecordContactAttempt', data: { channel: 'sms', direction: 'incoming', reached } }]),
  // Appointments at any step: planned, moved, cancelled, held or missed (refused before their time).
  fc.constantFrom('branch', 'local-drop-in', 'phone').map((place): CommandUnderTest[] => [{ type: 'PlanAppointment', data: { appointmentId: 'ap1', at: '2026-01-20T10:00:00Z', place, counsellorId: 'c1' } }]),
  fc.constant<CommandUnderTest[]>([{ type: 'MoveAppointment', data: { appointmentId: 'ap1', at: '2026-02-10T10:00:00Z', counsellorId: 'c2' } }]),
  fc.constant<CommandUnderTest[]>([{ type: 'CancelAppointment', data: { appointmentId: 'ap1', cancelledBy: 'person' } }]),
  fc.constant<CommandUnderTest[]>([{ type: 'RecordAppointmentHeld', data: { appointmentId: 'ap1' } }]),
  fc.constant<CommandUnderTest[]>([{ type: 'RecordAppointmentMissed', data: { appointmentId: 'ap1', missedBy: 'counsellor' } }]),
  fc
    .record({ decision: fc.constantFrom('given', 'refused'), sharingWith: partners })
    .map(({ decision, sharingWith }): CommandUnderTest[] => [{ type: 'RecordConsent', data: { decision, mode: 'phone', sharingWith } }]),
  partners.map((sharingWith): CommandUnderTest[] => [{ type: 'ChangeConsentScope', data: { sharingWith } }]),
  fc.constant<CommandUnderTest[]>([{ type: 'WithdrawConsent', data: {} }]),
  overrideConsent.map((command) => [command]),
  fc.boolean().map((objects): CommandUnderTest[] => [{ type: 'RecordEvaluationObjection', data: { objects } }]),
  rectification.map((command) => [command]),
  fc
    .record({ requestedOn: fc.constantFrom('2026-01-20', '2026-03-02'), channel: fc.constantFrom(...RequestChannel.options) })
    .map((data): CommandUnderTest[] => [{ type: 'RequestErasure', data }]),
  fc.record({ actionId: fc.constantFrom(...ids), status: fc.constantFrom(...actionStatuses) }).map((data): CommandUnderTest[] => [{ type: 'UpdateActionStatus', data }]),
  fc
    .record({ referralId: fc.constantFrom(...ids), partner: fc.constantFrom(...Partner.options), strand: fc.constantFrom(...PlanStrand.options) })
    .map((data): CommandUnderTest[] => [{ type: 'ReferToPartner', data }]),
  fc.record({ referralId: fc.constantFrom(...ids), status: fc.constantFrom(...PartnerReferralStatus.options) }).map((data): CommandUnderTest[] => [{ type: 'UpdatePartnerReferral', data }]),
  fc.integer({ min: 1, max: 120 }).map((minutes): CommandUnderTest[] => [{ type: 'LogTime', data: { minutes, activity: 'follow-up', strand: 'care' } }]),
  fc.integer({ min: 100, max: 9_000 }).map((amountCents): CommandUnderTest[] => [{ type: 'RecordOutcome', data: { outcome: { kind: 'out-of-pocket-saved', amountCents } } }]),
  fc
    .record({ reason: fc.constantFrom(...ClosureReason.options), orientedTo: fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 2 }) })
    .map((data): CommandUnderTest[] => [{ type: 'CloseCase', data }]),
  fc.constant<CommandUnderTest[]>([{ type: 'ReopenCase', data: { reason: 'new-need' } }]),
  fc.constant<CommandUnderTest[]>([{ type: 'ErasePersonalData', data: { reason: 'erasure-request' } }]),
);

/** Commands that make sense in each step, most of them moving the case on. */
const sensibleCommands: Readonly<Record<string, readonly (readonly CommandUnderTest[])[]>> = {
  none: [[receive(0)], [receive(1)], [receive(0)]],
  triage: [
    [{ type: 'AcceptReferral', data: { counsellorId: 'c1' } }],
    [{ type: 'AcceptReferral', data: { counsellorId: 'c2' } }],
    [{ type: 'AcceptReferral', data: { counsellorId: 'c1' } }],
    [{ type: 'RedirectReferral', data: {} }],
    [{ type: 'DeclineReferral', data: { reason: 'not-relevant' } }],
  ],
  review: [reviewBurst],
  'contact.awaiting': [
    [{ type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } }],
    [{ type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } }],
  ],
  'contact.reached': [
    [{ type: 'RecordConsent', data: { decision: 'given', mode: 'phone' } }],
    [{ type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas', 'association'] } }],
    [{ type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights', 'care'] } }],
    [{ type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights', 'care'] } }],
    [{ type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } }],
    [{ type: 'RecordConsent', data: { decision: 'refused', mode: 'phone' } }],
  ],
  'contact.consentRefused': [[{ type: 'CloseCase', data: { reason: 'consent-refused' } }]],
  planning: [
    [{ type: 'PlanAction', data: { actionId: 'x1', strand: 'care', kind: 'book-appointment', owner: { kind: 'person' }, dueDate: '2026-03-31' } }],
    [{ type: 'ReferToPartner', data: { referralId: 'x2', partner: 'ccas', strand: 'care' } }],
    [{ type: 'AgreePlan', data: {} }],
  ],
  accompaniment: [
    [{ type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } }],
    [{ type: 'RecordOutcome', data: { outcome: { kind: 'care-carried-out', careType: 'consultation' } } }],
    [{ type: 'UpdateActionStatus', data: { actionId: 'x1', status: 'done' } }],
    [{ type: 'UpdatePartnerReferral', data: { referralId: 'x2', status: 'acknowledged' } }],
    [{ type: 'LogTime', data: { minutes: 30, activity: 'follow-up' } }],
    [{ type: 'CloseCase', data: { reason: 'objectives-partly-met', orientedTo: ['association'] } }],
    [{ type: 'ChangeConsentScope', data: { sharingWith: ['ccas'] } }],
    [{ type: 'RecordEvaluationObjection', data: { objects: true } }],
    [{ type: 'RectifyPersonalData', data: { person: { birthDate: '1950-03-01' } } }],
  ],
  closed: [[{ type: 'ReopenCase', data: { reason: 'new-need' } }], [{ type: 'ErasePersonalData', data: { reason: 'retention-expired' } }]],
};

/** Who sends a command in the property tests: the detector files referrals, a supervisor overrides consent. */
export function actorFor(command: CommandUnderTest, caseIndex: number): Actor | undefined {
  if (command.type === 'ReceiveReferral') return { role: 'detector', id: `detector-${caseIndex % 2}` };
  if (command.type === 'OverrideConsent') return { role: 'supervisor', id: 'supervisor-1' };
  return undefined;
}

/** A random step over `cases` cases. */
export function randomStep(cases: number): fc.Arbitrary<RandomStep> {
  return fc.record({
    caseIndex: fc.nat({ max: cases - 1 }),
    advanceHours: fc.integer({ min: 0, max: 24 * 12 }),
    // Mostly sensible, so that cases get past triage; the rest probes what the lifecycle refuses.
    sensible: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    pick: fc.nat(),
    anyCommands: anyCommand,
    catchUpBatch: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 7 })),
  });
}

/** The commands of a step, given the case's current step (`statusOf`, or `none`). */
export function commandsOf(step: RandomStep, status: string): readonly CommandUnderTest[] {
  const sensible = sensibleCommands[status];
  if (!step.sensible || !sensible || sensible.length === 0) return step.anyCommands;
  return sensible[step.pick % sensible.length] ?? step.anyCommands;
}
