/**
 * decide: (state, command, context) → events, or a refusal. Pure: time, ids and the fund's policy
 * come in through the context.
 *
 * Order of the checks, so that a refusal names the most useful rule:
 *   1. time: a fact cannot be dated in the future, nor before the case's latest fact;
 *   2. the state machine: each proposed event must be allowed in the state it falls in;
 *   3. the business rules of the command (`rules.ts`).
 */
import { addDays, dayOf } from '../calendar.ts';
import type { DomainEvent, NotStartedReason } from '../events/catalogue.ts';
import type { FundPolicy } from '../policy.ts';
import { gpSearchDecision } from '../screening.ts';
import type { ClosureReason } from '../vocabulary.ts';
import type { CaseFile } from './case-file.ts';
import { applyLifecycleEvent, caseFileOf, isOpen, statusOf, type CaseState } from './case-state.ts';
import { appointmentProposers } from './appointment-proposers.ts';
import { reviewFollowUpProposers } from './review-follow-up.ts';
import type { Proposer } from './proposal.ts';
import { brokenRule } from './rules.ts';
import type { DecidableCommand, DecidableOf } from './sealed-command.ts';

/** What `decide` needs from the outside world, injected so that it stays pure. */
export interface DecisionContext {
  readonly now: Date;
  readonly policy: FundPolicy;
  /** A fresh id, for actions and partner referrals created without one. */
  readonly newId: () => string;
}

/** The outcome of `decide`. */
export type Decision =
  | {
      readonly ok: true;
      readonly events: readonly DomainEvent[];
      readonly occurredAt: string;
      /** The case once these events are applied: what replaying them would give, already computed. */
      readonly state: CaseState;
    }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/**
 * What the detector is told when a referral or a case ends: "ended" once they were told it
 * started, else "not started" with why (the seeds: informed at the start and at the closure).
 */
const endNotice = (file: CaseFile, why: ClosureReason | 'declined' | 'redirected'): DomainEvent => {
  const detectorKind = file.referral?.detector.kind ?? 'the-person';
  if (file.detectorToldStartedAt !== null) return { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-ended', detectorKind } };
  return { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind, reason: notStartedReason(why) } };
};

/** "Started" once, when the plan is agreed with the consenting person: a reopened case is not started twice. */
const startNotice = (file: CaseFile): DomainEvent[] =>
  file.detectorToldStartedAt !== null
    ? []
    : [{ type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-started', detectorKind: file.referral?.detector.kind ?? 'the-person' } }];

function notStartedReason(why: ClosureReason | 'declined' | 'redirected'): NotStartedReason {
  switch (why) {
    case 'declined':
    case 'redirected':
    case 'unreachable':
      return why;
    case 'consent-refused':
    case 'consent-withdrawn':
    case 'person-withdrew':
      return 'person-declined';
    default:
      return 'closed-before-start';
  }
}

const closing = (file: CaseFile, reason: 'unreachable' | 'consent-refused' | 'consent-withdrawn' | 'erasure-requested'): DomainEvent[] => [
  { type: 'CaseClosed', data: { reason, orientedTo: [] } },
  endNotice(file, reason),
];

/**
 * The id of the hand-off to the social service in its case. One name serves every case: a case is
 * redirected at most once (the step is final) and no partner referral can be made before or after
 * it, so it never meets another; and the social service, a scenario or a screen can name it.
 */
export const socialServiceHandOffId = 'social-service-hand-off';

/**
 * The redirection to the social service, with its hand-off: a referral to the social service that
 * is followed like any partner referral (sent now, answer due within the fund's follow-up days).
 */
const redirection = (automatic: boolean, today: string, policy: FundPolicy): DomainEvent => ({
  type: 'ReferralRedirected',
  data: { to: 'social-service', automatic, handOff: { referralId: socialServiceHandOffId, followUpBy: addDays(today, policy.partnerFollowUpDays) } },
});

/** The events each command proposes. Follow-up facts (closures, notices, letters) come from the policy. */
const proposers: { readonly [T in DecidableCommand['type']]: Proposer<T> } = {
  ReceiveReferral: ({ command, today, policy }) => {
    const { fundId, channel, subjectRef, facts } = command.data;
    const received: DomainEvent = { type: 'ReferralReceived', data: { fundId, channel, subjectRef, referral: facts } };
    // A complex social situation is the social service's business, not an accompaniment's.
    if (!facts.reasons.includes('complex-social-situation')) return [received];
    return [
      received,
      redirection(true, today, policy),
      { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: facts.detector.kind, reason: 'redirected' } },
    ];
  },
  // The detector is not told yet: the accompaniment starts with the person's consent and plan (AgreePlan).
  AcceptReferral: ({ command, policy, today }) => [
    {
      type: 'ReferralAccepted',
      data: { counsellorId: command.data.counsellorId, firstContactDueBy: addDays(today, policy.firstContactWithinDays) },
    },
  ],
  RedirectReferral: ({ file, today, policy }) => [
    redirection(false, today, policy),
    endNotice(file, 'redirected'),
  ],
  DeclineReferral: ({ command, file }) => [
    { type: 'ReferralDeclined', data: { reason: command.data.reason } },
    endNotice(file, 'declined'),
  ],
  AssignCounsellor: ({ command }) => [{ type: 'CounsellorAssigned', data: { counsellorId: command.data.counsellorId } }],
  RecordReviewItem: ({ command }) => [{ type: 'ReviewItemRecorded', data: command.data }],
  CompleteReview: ({ file }) => [
    {
      type: 'ReviewCompleted',
      data: {
        itemsNeedingAction: Object.entries(file.review)
          .filter(([, finding]) => finding === 'needs-action')
          .map(([item]) => item as keyof typeof file.review),
      },
    },
  ],
  RecordContactAttempt: ({ command, file, policy, step }) => {
    const { direction, reached } = command.data;
    // Only the counsellor's calls that did not get through count as failed: a missed call from the person shows they are there.
    const failedAttempts = file.failedContactAttempts + (!reached && direction === 'outgoing' ? 1 : 0);
    const attempt: DomainEvent = {
      type: 'ContactAttempted',
      data: { ...command.data, attempt: file.contactAttempts + 1, failedAttempts },
    };
    // Only a person never reached is "unreachable", and only the contact step closes for it (as
    // before calls were allowed at every step): once reached, failed calls no longer close the case.
    const unreachable =
      step.startsWith('contact') && failedAttempts > file.failedContactAttempts && file.firstContactAt === null && failedAttempts >= policy.unreachableAfterAttempts;
    return unreachable ? [attempt, ...closing(file, 'unreachable')] : [attempt];
  },
  ...appointmentProposers,
  ...reviewFollowUpProposers,
  RecordConsent: ({ command, file, policy, today }) => {
    const { decision, mode } = command.data;
    const sharingWith = decision === 'given' ? unique(command.data.sharingWith) : [];
    const recorded: DomainEvent = { type: 'ConsentRecorded', data: { decision, mode, sharingWith } };
    if (command.data.decision === 'refused') return [recorded, ...closing(file, 'consent-refused')];
    const remote = file.referral?.consent.kind === 'remote-pending-confirmation' && command.data.mode !== 'signed-form';
    if (!remote || file.welcomeLetterDueBy !== null) return [recorded];
    return [recorded, { type: 'WelcomeLetterDue', data: { dueBy: addDays(today, policy.welcomeLetterWithinDays) } }];
  },
  ChangeConsentScope: ({ command }) => [{ type: 'ConsentScopeChanged', data: { sharingWith: unique(command.data.sharingWith) } }],
  WithdrawConsent: ({ file }) => [{ type: 'ConsentWithdrawn', data: {} }, ...closing(file, 'consent-withdrawn')],
  OverrideConsent: ({ command }) => [{ type: 'ConsentOverridden', data: command.data }],
  RecordEvaluationObjection: ({ command }) => [{ type: 'EvaluationObjectionRecorded', data: command.data }],
  RectifyPersonalData: ({ command }) => [{ type: 'PersonalDataRectified', data: { ...command.data, fields: unique(command.data.fields) } }],
  RequestErasure: ({ command, file, step, open }) => {
    const requested: DomainEvent = { type: 'ErasureRequested', data: command.data };
    const erased: DomainEvent = { type: 'PersonalDataErased', data: { reason: 'erasure-request' } };
    // Nobody can be accompanied without their data: an open case ends first, as triage or as closure.
    if (!open) return [requested, erased];
    if (step === 'triage') {
      return [requested, { type: 'ReferralDeclined', data: { reason: 'erasure-requested' } }, endNotice(file, 'declined'), erased];
    }
    return [requested, ...closing(file, 'erasure-requested'), erased];
  },
  RecordWelcomeLetterSent: () => [{ type: 'WelcomeLetterSent', data: {} }],
  IdentifyNeeds: ({ command }) => [
    { type: 'NeedsIdentified', data: { problems: unique(command.data.problems), strands: unique(command.data.strands) } },
  ],
  AssessGpSearch: ({ command, policy, today }) => {
    const decision = gpSearchDecision(command.data.profile, policy, today);
    const { aldProtocolExpiresOn } = command.data.profile;
    return [
      {
        type: 'GpSearchAssessed',
        data: { outcome: decision.decision, criteriaMet: [...decision.criteriaMet], ...(aldProtocolExpiresOn ? { aldProtocolExpiresOn } : {}) },
      },
    ];
  },
  PlanAction: ({ command, newId }) => {
    const { actionId, ...action } = command.data;
    return [{ type: 'ActionPlanned', data: { actionId: actionId ?? newId(), ...action } }];
  },
  UpdateActionStatus: ({ command }) => [{ type: 'ActionStatusChanged', data: command.data }],
  ReferToPartner: ({ command, policy, today, newId }) => {
    const { referralId, followUpBy, ...referral } = command.data;
    return [
      {
        type: 'PartnerReferralMade',
        data: {
          referralId: referralId ?? newId(),
          followUpBy: followUpBy ?? addDays(today, policy.partnerFollowUpDays),
          ...referral,
        },
      },
    ];
  },
  UpdatePartnerReferral: ({ command }) => [{ type: 'PartnerReferralUpdated', data: command.data }],
  AgreePlan: ({ file }) => [{ type: 'PlanAgreed', data: {} }, ...startNotice(file)],
  RecordOutcome: ({ command }) => [{ type: 'OutcomeRecorded', data: command.data }],
  LogTime: ({ command }) => [{ type: 'TimeSpentLogged', data: command.data }],
  AddNote: ({ command }) => [{ type: 'NoteAdded', data: command.data }],
  CloseCase: ({ command, file }) => [
    { type: 'CaseClosed', data: { reason: command.data.reason, orientedTo: unique(command.data.orientedTo) } },
    endNotice(file, command.data.reason),
  ],
  ReopenCase: ({ command }) => [{ type: 'CaseReopened', data: command.data }],
  IssueReminder: ({ command }) => [{ type: 'ReminderIssued', data: command.data }],
  ErasePersonalData: ({ command }) => [{ type: 'PersonalDataErased', data: command.data }],
};

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * Decides what a command means for a case: the events to append, or the rule it breaks.
 * A refusal leaves nothing behind: decide has no side effect.
 */
export function decide(state: CaseState, command: DecidableCommand, context: DecisionContext): Decision {
  const now = context.now.toISOString();
  const occurredAt = command.occurredAt ?? now;
  const file = caseFileOf(state);
  if (occurredAt > now) {
    return { ok: false, rule: 'occurred-at-not-in-future', reason: `occurredAt ${occurredAt} is after now (${now})` };
  }
  if (file.lastOccurredAt !== null && occurredAt < file.lastOccurredAt) {
    return {
      ok: false,
      rule: 'occurred-at-in-order',
      reason: `occurredAt ${occurredAt} is before the case's latest fact (${file.lastOccurredAt})`,
    };
  }

  const propose = proposers[command.type] as Proposer<typeof command.type>;
  const events = propose({
    command: command as never,
    file,
    step: statusOf(state),
    open: isOpen(state),
    policy: context.policy,
    today: dayOf(occurredAt),
    newId: context.newId,
  });

  let probe = state;
  for (const event of events) {
    const lifecycleEvent = { ...event, occurredAt, actor: command.actor };
    // One table lookup per event: the transition, or why the lifecycle refuses it.
    const next = applyLifecycleEvent(probe, lifecycleEvent, probe.version + 1);
    if ('refusal' in next) return { ok: false, ...next.refusal };
    probe = next.state;
  }

  const broken = brokenRule(command, { file, policy: context.policy, occurredAt, now });
  if (broken) return { ok: false, ...broken };
  return { ok: true, events, occurredAt, state: probe };
}
