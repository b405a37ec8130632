/**
 * Property tests over random command sequences, through the real command handler:
 *  (a) replaying the stored events gives the same state as the live run;
 *  (b) a rejected command changes nothing (log, state, vault);
 *  (c) no sequence reaches a state the lifecycle forbids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseCommandInput } from '../commands.ts';
import { CaseCommandHandler } from '../../application/command-handler.ts';
import { VirtualClock } from '../../application/ports/clock.ts';
import { seededUlidGenerator } from '../../application/ports/id-generator.ts';
import type { JsonValue, PersonalDataVault } from '../../application/ports/personal-data-vault.ts';
import { CommandRejectedError } from '../../errors.ts';
import { InMemoryEventStore } from '../../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../../in-memory/memory-vault.ts';
import { sampleExternalForm, sampleInternalForm } from '../../testing/fixtures.ts';
import { defaultPolicy } from '../policy.ts';
import {
  ActionStatus,
  ClosureReason,
  DeclineReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReviewFinding,
  ReviewItem,
} from '../vocabulary.ts';
import type { CaseState } from './case-state.ts';
import { caseFileOf, statusOf } from './case-state.ts';

type CommandBody = Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'>;

/**
 * One user gesture. Pure randomness would leave most runs stuck at triage, so a gesture either
 * picks a command that makes sense in the current state (`sensible`), or any command at all —
 * the lifecycle must refuse the nonsense ones cleanly.
 */
interface Step {
  readonly advanceHours: number;
  readonly sensible: boolean;
  readonly pick: number;
  readonly anyCommands: readonly CommandBody[];
}

const caseId = 'case-prop';
const ids = ['x1', 'x2', 'x3'] as const;
const some = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 });
const reviewBurst = (finding: ReviewFinding): CommandBody[] => [
  ...ReviewItem.options.map((item): CommandBody => ({ type: 'RecordReviewItem', data: { item, finding } })),
  { type: 'CompleteReview', data: {} },
];

const anyCommandArbitrary = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(sampleExternalForm(), sampleInternalForm(), sampleExternalForm({ reasons: ['complex-social-situation'] })).map((form) => [{ type: 'ReceiveReferral', data: { fundId: 'cpam-p', form } }]) },
  { weight: 2, arbitrary: fc.constantFrom('c1', 'c2').map((counsellorId) => [{ type: 'AcceptReferral', data: { counsellorId } }]) },
  { weight: 1, arbitrary: fc.constant([{ type: 'RedirectReferral', data: {} }]) },
  { weight: 1, arbitrary: fc.constantFrom(...DeclineReason.options).map((reason) => [{ type: 'DeclineReferral', data: { reason } }]) },
  { weight: 1, arbitrary: fc.constantFrom('c1', 'c2').map((counsellorId) => [{ type: 'AssignCounsellor', data: { counsellorId } }]) },
  { weight: 1, arbitrary: fc.record({ item: fc.constantFrom(...ReviewItem.options), finding: fc.constantFrom(...ReviewFinding.options) }).map((data) => [{ type: 'RecordReviewItem', data }]) },
  { weight: 1, arbitrary: fc.constantFrom(...ReviewFinding.options).map(reviewBurst) },
  { weight: 1, arbitrary: fc.constant([{ type: 'CompleteReview', data: {} }]) },
  { weight: 2, arbitrary: fc.boolean().map((reached) => [{ type: 'RecordContactAttempt', data: { channel: 'phone', reached } }]) },
  { weight: 2, arbitrary: fc.record({ decision: fc.constantFrom('given', 'given', 'refused'), mode: fc.constantFrom('phone', 'in-person', 'signed-form') }).map((data) => [{ type: 'RecordConsent', data }]) },
  { weight: 1, arbitrary: fc.constant([{ type: 'RecordWelcomeLetterSent', data: {} }]) },
  { weight: 2, arbitrary: fc.record({ problems: some(ProblemCategory.options), strands: some(PlanStrand.options) }).map((data) => [{ type: 'IdentifyNeeds', data }]) },
  { weight: 2, arbitrary: fc.record({ actionId: fc.constantFrom(...ids), strand: fc.constantFrom(...PlanStrand.options) }).map(({ actionId, strand }) => [{ type: 'PlanAction', data: { actionId, strand, kind: 'other', owner: { kind: 'person' }, dueDate: '2026-12-31' } }]) },
  { weight: 2, arbitrary: fc.record({ actionId: fc.constantFrom(...ids), status: fc.constantFrom(...ActionStatus.options) }).map((data) => [{ type: 'UpdateActionStatus', data }]) },
  { weight: 2, arbitrary: fc.record({ referralId: fc.constantFrom(...ids), partner: fc.constantFrom(...Partner.options), strand: fc.constantFrom(...PlanStrand.options) }).map((data) => [{ type: 'ReferToPartner', data }]) },
  { weight: 2, arbitrary: fc.record({ referralId: fc.constantFrom(...ids), status: fc.constantFrom(...PartnerReferralStatus.options) }).map((data) => [{ type: 'UpdatePartnerReferral', data }]) },
  { weight: 2, arbitrary: fc.constant([{ type: 'AgreePlan', data: {} }]) },
  { weight: 2, arbitrary: fc.constantFrom({ kind: 'right-opened', right: 'c2s' } as const, { kind: 'care-carried-out', careType: 'consultation' } as const).map((outcome) => [{ type: 'RecordOutcome', data: { outcome } }]) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map((minutes) => [{ type: 'LogTime', data: { minutes, activity: 'follow-up' } }]) },
  { weight: 1, arbitrary: fc.constant([{ type: 'AddNote', data: { text: 'note libre' } }]) },
  { weight: 2, arbitrary: fc.record({ reason: fc.constantFrom(...ClosureReason.options), orientedTo: fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 2 }) }).map((data) => [{ type: 'CloseCase', data }]) },
  { weight: 1, arbitrary: fc.constantFrom('new-need', 'person-request').map((reason) => [{ type: 'ReopenCase', data: { reason } }]) },
  { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 2 }).map((sharingWith) => [{ type: 'ChangeConsentScope', data: { sharingWith } }]) },
  { weight: 1, arbitrary: fc.record({ partner: fc.constantFrom('ccas', 'mdph'), strand: fc.constantFrom(...PlanStrand.options) }).map((data) => [{ type: 'ReferToPartner', data: { ...data, sharesPersonalData: true } }]) },
  { weight: 1, arbitrary: fc.constant([{ type: 'WithdrawConsent', data: {} }]) },
  { weight: 1, arbitrary: fc.constant([{ type: 'OverrideConsent', data: { purpose: 'accompaniment', justification: 'vital-interest' } }]) },
  { weight: 1, arbitrary: fc.boolean().map((objects) => [{ type: 'RecordEvaluationObjection', data: { objects } }]) },
  { weight: 1, arbitrary: fc.constantFrom({ phone: '06 99 88 77 66' }, { lastName: 'Kerhervé' }, { nir: '189047512345655' }).map((person) => [{ type: 'RectifyPersonalData', data: { person } }]) },
  { weight: 1, arbitrary: fc.constant([{ type: 'RequestErasure', data: { requestedOn: '2026-06-01', channel: 'letter' } }]) },
) as fc.Arbitrary<readonly CommandBody[]>;

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  advanceHours: fc.integer({ min: 0, max: 24 * 20 }),
  sensible: fc.boolean(),
  pick: fc.nat(),
  anyCommands: anyCommandArbitrary,
});

/** Commands that make sense in each state, most of them moving the case on. */
const sensibleCommands: Readonly<Record<string, readonly (readonly CommandBody[])[]>> = {
  none: [[{ type: 'ReceiveReferral', data: { fundId: 'cpam-p', form: sampleExternalForm() } }], [{ type: 'ReceiveReferral', data: { fundId: 'cpam-p', form: sampleInternalForm() } }]],
  triage: [...Array<CommandBody[]>(4).fill([{ type: 'AcceptReferral', data: { counsellorId: 'c1' } }]), [{ type: 'RedirectReferral', data: {} }], [{ type: 'DeclineReferral', data: { reason: 'not-relevant' } }]],
  review: [reviewBurst('in-order'), reviewBurst('needs-action')],
  'contact.awaiting': [[{ type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } }], [{ type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } }]],
  'contact.reached': [
    [{ type: 'RecordConsent', data: { decision: 'given', mode: 'phone' } }],
    [{ type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights', 'care'] } }],
    [{ type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } }],
    [{ type: 'RecordConsent', data: { decision: 'refused', mode: 'phone' } }],
  ],
  planning: [
    [{ type: 'PlanAction', data: { actionId: 'x1', strand: 'care', kind: 'book-appointment', owner: { kind: 'person' }, dueDate: '2026-12-31' } }],
    [{ type: 'ReferToPartner', data: { referralId: 'x1', partner: 'ccas', strand: 'care' } }],
    [{ type: 'AgreePlan', data: {} }],
    [{ type: 'AgreePlan', data: {} }],
  ],
  accompaniment: [
    [{ type: 'RecordOutcome', data: { outcome: { kind: 'care-carried-out', careType: 'consultation' } } }],
    [{ type: 'UpdateActionStatus', data: { actionId: 'x1', status: 'done' } }],
    [{ type: 'UpdatePartnerReferral', data: { referralId: 'x1', status: 'completed' } }],
    [{ type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: ['association'] } }],
    [{ type: 'CloseCase', data: { reason: 'handed-over-to-partner', orientedTo: ['mdph'] } }],
  ],
  closed: [[{ type: 'ReopenCase', data: { reason: 'new-need' } }]],
};

function commandsFor(step: Step, status: string): readonly CommandBody[] {
  const sensible = sensibleCommands[status];
  if (!step.sensible || !sensible || sensible.length === 0) return step.anyCommands;
  return sensible[step.pick % sensible.length] ?? step.anyCommands;
}

/** A vault that counts what it holds, to prove a rejected command leaves nothing there. */
class CountingVault implements PersonalDataVault {
  readonly inner = new InMemoryVault();
  readonly live = new Set<string>();
  async put(subjectRef: string, entry: string, value: JsonValue) {
    await this.inner.put(subjectRef, entry, value);
    this.live.add(`${subjectRef}/${entry}`);
  }
  get(subjectRef: string, entry: string) {
    return this.inner.get(subjectRef, entry);
  }
  entries(subjectRef: string) {
    return this.inner.entries(subjectRef);
  }
  async remove(subjectRef: string, entry: string) {
    await this.inner.remove(subjectRef, entry);
    this.live.delete(`${subjectRef}/${entry}`);
  }
  async shred(subjectRef: string) {
    await this.inner.shred(subjectRef);
    for (const key of this.live) if (key.startsWith(`${subjectRef}/`)) this.live.delete(key);
  }
  rewrapKeys() {
    return this.inner.rewrapKeys();
  }
}

const leafStates = new Set([
  'none', 'triage', 'review', 'contact.awaiting', 'contact.reached', 'contact.consentRefused',
  'planning', 'accompaniment', 'closed', 'redirected', 'declined',
]);

/** (c) The invariants every reachable state keeps. Returns the first one broken. */
function brokenInvariant(state: CaseState): string | undefined {
  const status = statusOf(state);
  const file = caseFileOf(state);
  const consentValid = file.consent === 'on-form' || file.consent === 'given';
  const planItems = Object.keys(file.actions).length + Object.keys(file.partnerReferrals).length;
  const checks: Array<[boolean, string]> = [
    [leafStates.has(status), `unknown state ${status}`],
    [status === 'none' || file.referral !== null, 'a case exists without its referral'],
    [!['review', 'contact.awaiting', 'contact.reached', 'planning', 'accompaniment'].includes(status) || file.triagedAt !== null, 'past triage without a triage decision'],
    [!status.startsWith('contact') || file.reviewCompletedAt !== null || file.reopenCount > 0, 'contact before the review'],
    [status !== 'contact.reached' || file.firstContactAt !== null, 'reached without a successful contact'],
    [!['planning', 'accompaniment'].includes(status) || consentValid, `${status} without valid consent`],
    [status !== 'accompaniment' || (file.planAgreedAt !== null && planItems > 0), 'accompaniment without an agreed plan'],
    [(status === 'closed') === (file.closure !== null), 'closure record does not match the state'],
    [status !== 'closed' || file.closure?.reason !== 'objectives-met' || file.outcomes.length > 0, 'objectives met without outcome'],
    [file.consent !== 'refused' || ['contact.consentRefused', 'closed'].includes(status) || file.reopenCount > 0, 'refused consent but the case goes on'],
    [file.firstContactAt !== null || !['contact.awaiting'].includes(status) || file.failedContactAttempts < defaultPolicy.unreachableAfterAttempts, 'unreachable case still open'],
  ];
  return checks.find(([holds]) => !holds)?.[1];
}

const comparable = (state: CaseState) => ({ status: statusOf(state), context: caseFileOf(state), version: state.version });

describe('the lifecycle under random command sequences', () => {
  it('replays to the live state, changes nothing on rejection, and never reaches a forbidden state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (steps, seed) => {
        const clock = new VirtualClock('2026-01-05T08:00:00.000Z');
        const store = new InMemoryEventStore();
        const vault = new CountingVault();
        const handler = new CaseCommandHandler({ store, vault, clock, ids: seededUlidGenerator(seed, clock) });
        let live = (await handler.load(caseId)).state;
        let counter = 0;
        let accepted = 0;

        for (const step of steps) {
          clock.advance({ hours: step.advanceHours });
          for (const command of commandsFor(step, statusOf(live))) {
            const head = await store.headPosition();
            const vaultBefore = [...vault.live].sort();
            try {
              const result = await handler.execute({ ...command, caseId, commandId: `cmd-${++counter}`, actor: { role: 'counsellor', id: 'c1' } } as CaseCommandInput);
              live = result.state;
              accepted++;
            } catch (error) {
              if (!(error instanceof CommandRejectedError)) throw error;
              // (b) nothing changed
              expect(await store.headPosition()).toBe(head);
              expect([...vault.live].sort()).toEqual(vaultBefore);
              expect(comparable((await handler.load(caseId)).state)).toEqual(comparable(live));
            }
            // (c) never a forbidden state
            expect(brokenInvariant(live)).toBeUndefined();
          }
        }
        // (a) replay equals the live run
        expect(comparable((await handler.load(caseId)).state)).toEqual(comparable(live));
        expect(live.version).toBe(await store.headPosition());
        return accepted >= 0;
      }),
      { numRuns: 150 },
    );
  });

  it('reaches every state of the machine over enough random runs (the generator is not stuck at triage)', async () => {
    const seen = new Set<string>();

    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 40 }), async (steps) => {
        const clock = new VirtualClock('2026-01-05T08:00:00.000Z');
        const handler = new CaseCommandHandler({ store: new InMemoryEventStore(), vault: new InMemoryVault(), clock, ids: seededUlidGenerator(7, clock) });
        let counter = 0;
        let status = 'none';
        for (const step of steps) {
          clock.advance({ hours: step.advanceHours });
          for (const command of commandsFor(step, status)) {
            try {
              const result = await handler.execute({ ...command, caseId, commandId: `cmd-${++counter}`, actor: { role: 'counsellor', id: 'c1' } } as CaseCommandInput);
              status = result.status;
              seen.add(status);
            } catch (error) {
              if (!(error instanceof CommandRejectedError)) throw error;
            }
          }
        }
      }),
      { numRuns: 100, seed: 42 },
    );
    for (const state of ['review', 'contact.awaiting', 'contact.reached', 'planning', 'accompaniment', 'closed', 'declined', 'redirected']) {
      expect(seen, `state ${state} was never reached`).toContain(state);
    }
  });
});
