/**
 * For each command a case can be sent, the payloads that stand for it on a screen: the ones most
 * likely to be accepted on this case now (an action that can still move, a partner the consent
 * does not cover yet, a closure reason the rules allow here). A command is available when one of
 * them is accepted; when none is, the first one's refusal is the rule that blocks the command.
 * Payload choices that any user would get wrong on purpose (a reserved reason, a duplicate id)
 * are not tried: the screen's question is whether the command can be sent at all.
 */
import { addDays } from '../../domain/calendar.ts';
import type { CaseCommandInput, CaseCommandType } from '../../domain/commands.ts';
import { ownValue } from '../../domain/id.ts';
import { consentAllowsAccompaniment, consentAllowsSharingWith, type CaseFile } from '../../domain/lifecycle/case-file.ts';
import { Partner, ReviewItem, requiredReviewItems, type ActionStatus } from '../../domain/vocabulary.ts';
import type { Principal } from '../access/principal.ts';

/** Every command type a screen can offer on an existing case: `ReceiveReferral` opens a case instead. */
export const caseCommandTypes = [
  'AcceptReferral',
  'RedirectReferral',
  'DeclineReferral',
  'AssignCounsellor',
  'RecordReviewItem',
  'CompleteReview',
  'RecordContactAttempt',
  'RecordConsent',
  'ChangeConsentScope',
  'WithdrawConsent',
  'OverrideConsent',
  'RecordEvaluationObjection',
  'RectifyPersonalData',
  'RecordWelcomeLetterSent',
  'IdentifyNeeds',
  'AssessGpSearch',
  'PlanAction',
  'UpdateActionStatus',
  'ReferToPartner',
  'UpdatePartnerReferral',
  'AgreePlan',
  'RecordOutcome',
  'LogTime',
  'AddNote',
  'CloseCase',
  'ReopenCase',
  'IssueReminder',
  'RequestErasure',
  'ErasePersonalData',
  'PlanAppointment',
  'MoveAppointment',
  'RecordAppointmentHeld',
  'RecordAppointmentMissed',
  'CancelAppointment',
  'UpdateReviewFinding',
  'RecordPlaceholderGp',
] as const satisfies readonly CaseCommandType[];

/** A command type a screen can offer on an existing case. */
export type CaseCommandOffered = (typeof caseCommandTypes)[number];
/** Fails to compile when a command is added to `CaseCommand` and not here. */
type Unlisted = Exclude<CaseCommandType, CaseCommandOffered | 'ReceiveReferral'>;
const everyCommandListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyCommandListed;

/** What a probe is built from. */
export interface ProbeInput {
  readonly file: CaseFile;
  readonly principal: Principal;
  /** The business day of now. */
  readonly today: string;
  /** Now, as an instant. */
  readonly now: string;
}

const dayMs = 86_400_000;
const later = (instant: string) => new Date(Date.parse(instant) + dayMs).toISOString();

/** The planned appointments, those whose time has come first (`due`) or last. */
function plannedAppointments(file: CaseFile, now: string, due: boolean): string[] {
  const planned = Object.entries(file.appointments).filter(([, a]) => a.status === 'planned');
  const first = planned.filter(([, a]) => (a.at <= now) === due);
  const rest = planned.filter(([, a]) => (a.at <= now) !== due);
  const ids = [...first, ...rest].map(([id]) => id);
  return ids.length > 0 ? ids : Object.keys(file.appointments).slice(0, 1).concat(Object.keys(file.appointments).length === 0 ? ['no-appointment-yet'] : []);
}

/** A command's payload as a caller writes it. */
type DataOf<T extends CaseCommandType> = Extract<CaseCommandInput, { type: T }>['data'];

const finalActions = new Set<ActionStatus>(['done', 'cancelled']);
const finalReferrals = new Set(['completed', 'refused']);

/** The next status of an action that can still move. */
function nextStatus(status: ActionStatus): ActionStatus {
  return status === 'planned' ? 'in-progress' : 'done';
}

/** The payloads to try for each command, best first (never empty). */
export const probes: { readonly [T in CaseCommandOffered]: (input: ProbeInput) => readonly DataOf<T>[] } = {
  AcceptReferral: ({ principal, file }) => [{ counsellorId: principal.role === 'counsellor' ? principal.id : (file.counsellorId ?? principal.id) }],
  RedirectReferral: () => [{}],
  DeclineReferral: () => [{ reason: 'not-relevant' }],
  // Any counsellor other than the current one: the rule is that the case changes hands.
  AssignCounsellor: ({ file }) => [{ counsellorId: file.counsellorId === 'another-counsellor' ? 'yet-another-counsellor' : 'another-counsellor' }],
  RecordReviewItem: ({ file }) => [{ item: requiredReviewItems.find((item) => file.review[item] === undefined) ?? 'basic-cover', finding: 'in-order' }],
  CompleteReview: () => [{}],
  // A finding that changes: the first item found flips between needing action and in order.
  UpdateReviewFinding: ({ file }) => {
    const [first] = Object.entries(file.review);
    return [{ item: ReviewItem.options.find((item) => item === first?.[0]) ?? 'basic-cover', finding: first?.[1] === 'needs-action' ? 'in-order' : 'needs-action' }];
  },
  RecordPlaceholderGp: () => [{}],
  RecordContactAttempt: () => [{ channel: 'phone', reached: true }],
  RecordConsent: () => [{ decision: 'given', mode: 'phone' }],
  ChangeConsentScope: ({ file }) => [{ sharingWith: (file.consentRecord?.sharingWith.length ?? 0) === 0 ? ['social-service'] : [] }],
  WithdrawConsent: () => [{}],
  OverrideConsent: ({ file }) => {
    const uncovered = Partner.options.find((partner) => !consentAllowsSharingWith(file, partner)) ?? 'social-service';
    const sharing = { purpose: 'partner-sharing', partner: uncovered, justification: 'vital-interest' } as const;
    const accompaniment = { purpose: 'accompaniment', justification: 'vital-interest' } as const;
    return consentAllowsAccompaniment(file) ? [sharing, accompaniment] : [accompaniment, sharing];
  },
  RecordEvaluationObjection: ({ file }) => [{ objects: !file.objectsToEvaluation }],
  RectifyPersonalData: () => [{ person: { phone: '06 00 00 00 00' } }],
  RecordWelcomeLetterSent: () => [{}],
  IdentifyNeeds: ({ file }) => [{ problems: file.problems.length > 0 ? file.problems : ['rights-and-procedures'], strands: file.strands.length > 0 ? file.strands : ['rights'] }],
  AssessGpSearch: () => [
    { profile: { hasScheduledOrUrgentCare: false, livesWithDisabilityOrInvalidity: false, isC2sBeneficiary: true, isDependent: false, age: 40 } },
  ],
  PlanAction: ({ file, today }) => [{ strand: file.strands[0] ?? 'rights', kind: 'c2s-application', owner: { kind: 'person' }, dueDate: addDays(today, 14) }],
  UpdateActionStatus: ({ file }) => {
    const actions = Object.entries(file.actions);
    const movable = actions.find(([, action]) => !finalActions.has(action.status));
    if (movable) return [{ actionId: movable[0], status: nextStatus(movable[1].status) }];
    const [first] = actions;
    return [{ actionId: first?.[0] ?? 'no-action-yet', status: 'done' }];
  },
  ReferToPartner: ({ file }) => [{ partner: 'ccas', strand: file.strands[0] ?? 'rights' }],
  UpdatePartnerReferral: ({ file, principal }) => {
    // A partner answers only the referrals made to it.
    const referrals = Object.entries(file.partnerReferrals).filter(([, referral]) => principal.role !== 'partner' || referral.partner === principal.partner);
    const open = referrals.find(([, referral]) => !finalReferrals.has(referral.status));
    return [{ referralId: (open ?? referrals[0])?.[0] ?? 'no-referral-yet', status: 'completed' }];
  },
  AgreePlan: () => [{}],
  RecordOutcome: () => [{ outcome: { kind: 'right-opened', right: 'c2s' } }],
  LogTime: () => [{ minutes: 15, activity: 'unspecified' }],
  AddNote: () => [{ text: 'probe' }],
  // After a refusal of consent, the rules ask for that reason; else any plain reason.
  CloseCase: ({ file }) => [{ reason: file.consent === 'refused' ? 'consent-refused' : 'other' }],
  ReopenCase: () => [{ reason: 'new-need' }],
  IssueReminder: ({ today }) => [{ kind: 'first-contact', dueOn: today }],
  RequestErasure: ({ today }) => [{ requestedOn: today, channel: 'letter' }],
  ErasePersonalData: ({ principal }) => [{ reason: principal.role === 'system' ? 'retention-expired' : 'erasure-request' }],
  PlanAppointment: ({ file, principal, now }) => [
    { at: later(now), place: 'phone', counsellorId: file.counsellorId ?? (principal.role === 'counsellor' ? principal.id : 'a-counsellor') },
  ],
  MoveAppointment: ({ file, now }) =>
    plannedAppointments(file, now, false).map((appointmentId) => {
      const at = ownValue(file.appointments, appointmentId)?.at ?? now;
      return { appointmentId, at: later(at > now ? at : now) };
    }),
  RecordAppointmentHeld: ({ file, now }) => plannedAppointments(file, now, true).map((appointmentId) => ({ appointmentId })),
  RecordAppointmentMissed: ({ file, now }) => plannedAppointments(file, now, true).map((appointmentId) => ({ appointmentId, missedBy: 'person' })),
  CancelAppointment: ({ file, now }) => plannedAppointments(file, now, false).map((appointmentId) => ({ appointmentId, cancelledBy: 'person' })),
};
