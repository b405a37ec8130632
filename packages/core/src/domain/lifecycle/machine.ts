/**
 * The case lifecycle as an XState v5 state machine: the single place that says which fact may
 * happen in which state. It is driven by domain events, so replaying a stream through it rebuilds
 * the case; `decide` asks it whether a command's events are allowed before anything is appended.
 *
 * Guards only read facts already recorded (never the fund's policy), so a stream stays replayable
 * when a fund changes its rules. Policy rules live in `rules.ts`.
 */
import { assign, setup } from 'xstate';
import { ownValue } from '../id.ts';
import { consentAllowsAccompaniment, emptyCaseFile, type CaseFile, type LifecycleEvent } from './case-file.ts';
import { applyEvent } from './case-file-events.ts';

/**
 * Bumped whenever states or transitions change. A persisted snapshot made under another version
 * is never trusted: the case is rebuilt from its events instead.
 */
export const caseMachineVersion = '2026.12.02.3';

const record = 'record' as const;

/**
 * What every existing case accepts: time and notes, delivery of a detector notice, and the
 * person's rights (objection to the evaluation, rectification, erasure request), whatever the step.
 */
const records = {
  TimeSpentLogged: { actions: record },
  NoteAdded: { actions: record },
  DetectorNotificationRequested: { actions: record },
  EvaluationObjectionRecorded: { actions: record },
  PersonalDataRectified: { actions: record },
  ErasureRequested: { actions: record },
} as const;

/** What any open case accepts, whatever its step: bookkeeping that does not move it. */
const bookkeeping = {
  ...records,
  CounsellorAssigned: { actions: record },
  ReminderIssued: { actions: record },
} as const;

/**
 * Calls, messages and appointments with the person: any open step accepts them without moving
 * (seed 000: "à distance par téléphone ou lors de rendez-vous"). Whether an appointment exists and
 * is still planned is a rule of its command (`appointment-rules.ts`), so a refusal names it.
 */
const contactWork = {
  ContactAttempted: { actions: record },
  AppointmentPlanned: { actions: record },
  AppointmentMoved: { actions: record },
  AppointmentHeld: { actions: record },
  AppointmentMissed: { actions: record },
  AppointmentCancelled: { actions: record },
} as const;

/**
 * The review after its step: once complete, a finding may change at any later open step (a right
 * opened since). That the review is complete and the finding changes are rules of the command.
 */
const reviewFollowUp = { ReviewFindingUpdated: { actions: record } } as const;

/** What an ended case accepts: bookkeeping, and the erasure of its personal data. */
const ended = {
  ...records,
  PersonalDataErased: { actions: record },
} as const;

/** What a case accepts once triage took it on, until it closes: the person may withdraw consent at any time. */
const engaged = {
  ...bookkeeping,
  ...contactWork,
  ConsentWithdrawn: { guard: 'consent-held', actions: record },
  CaseClosed: { target: '#case.closed', actions: record },
} as const;

/** Once the person is reached: the scope of consent may change, and a privileged role may override it. */
const consentWork = {
  ConsentScopeChanged: { guard: 'consent-held', actions: record },
  ConsentOverridden: { actions: record },
} as const;

/** A welcome letter is sent once remote consent made it due, i.e. after contact. */
const welcomeLetter = { WelcomeLetterSent: { actions: record } } as const;

/** What the plan accepts while it is being drafted and while it is carried out. */
const planWork = {
  NeedsIdentified: { actions: record },
  GpSearchAssessed: { actions: record },
  PlaceholderGpRecorded: { actions: record },
  ActionPlanned: { actions: record },
  ActionStatusChanged: { guard: 'action-exists', actions: record },
  PartnerReferralMade: { actions: record },
  PartnerReferralUpdated: { guard: 'partner-referral-exists', actions: record },
} as const;

export const caseMachine = setup({
  types: {
    context: {} as CaseFile,
    events: {} as LifecycleEvent,
  },
  actions: {
    record: assign(({ context, event }) => applyEvent(context, event)),
  },
  guards: {
    'contact-reached': ({ event }) => event.type === 'ContactAttempted' && event.data.reached,
    'consent-refused': ({ event }) => event.type === 'ConsentRecorded' && event.data.decision === 'refused',
    'consent-valid': ({ context }) => consentAllowsAccompaniment(context),
    'consent-held': ({ context }) => context.consent === 'on-form' || context.consent === 'given',
    'plan-has-items': ({ context }) =>
      Object.keys(context.actions).length > 0 || Object.keys(context.partnerReferrals).length > 0,
    'plan-was-agreed': ({ context }) => context.planAgreedAt !== null,
    'action-exists': ({ context, event }) =>
      event.type === 'ActionStatusChanged' && ownValue(context.actions, event.data.actionId) !== undefined,
    'partner-referral-exists': ({ context, event }) =>
      event.type === 'PartnerReferralUpdated' && ownValue(context.partnerReferrals, event.data.referralId) !== undefined,
  },
}).createMachine({
  id: 'case',
  context: emptyCaseFile,
  initial: 'none',
  states: {
    none: {
      description: 'No referral yet: the stream is empty.',
      on: { ReferralReceived: { target: 'triage', actions: record } },
    },
    triage: {
      description: 'The counsellor checks that the referral is relevant.',
      tags: ['open'],
      on: {
        ...bookkeeping,
        ...contactWork,
        ReferralAccepted: { target: 'review', actions: record },
        ReferralRedirected: { target: 'redirected', actions: record },
        ReferralDeclined: { target: 'declined', actions: record },
      },
    },
    review: {
      description: 'Administrative review: cover, complementary cover, carte Vitale, GP, ameli account, history, debts.',
      tags: ['open'],
      on: {
        ...engaged,
        // Accepted here so that an update during the review is refused by its rule, which names RecordReviewItem.
        ...reviewFollowUp,
        ReviewItemRecorded: { actions: record },
        ReviewCompleted: { target: 'contact', actions: record },
      },
    },
    contact: {
      description: 'Reaching the person by phone, and collecting or confirming their consent.',
      tags: ['open'],
      initial: 'awaiting',
      on: { ...engaged, ...reviewFollowUp },
      states: {
        awaiting: {
          description: 'Nobody reached yet: the first call or message that reaches the person moves the case on.',
          on: {
            ContactAttempted: [{ guard: 'contact-reached', target: 'reached', actions: record }, { actions: record }],
          },
        },
        reached: {
          description: 'The person was reached; consent must be valid before the plan.',
          on: {
            ...welcomeLetter,
            ...consentWork,
            WelcomeLetterDue: { actions: record },
            ConsentRecorded: [
              { guard: 'consent-refused', target: 'consentRefused', actions: record },
              { actions: record },
            ],
            NeedsIdentified: { guard: 'consent-valid', target: '#case.planning', actions: record },
          },
        },
        consentRefused: {
          description: 'The person refused: the only way on is closure.',
        },
      },
    },
    planning: {
      description: 'Needs and plan: problems, strands, actions and partner referrals, built with the person.',
      tags: ['open'],
      on: {
        ...engaged,
        ...reviewFollowUp,
        ...welcomeLetter,
        ...planWork,
        ...consentWork,
        PlanAgreed: { guard: 'plan-has-items', target: 'accompaniment', actions: record },
      },
    },
    accompaniment: {
      description: 'The plan is carried out: actions progress, partners answer, outcomes are recorded.',
      tags: ['open'],
      on: {
        ...engaged,
        ...reviewFollowUp,
        ...welcomeLetter,
        ...planWork,
        ...consentWork,
        OutcomeRecorded: { actions: record },
      },
    },
    closed: {
      description: 'The accompaniment ended. It can be reopened within the fund’s window.',
      tags: ['ended'],
      on: {
        ...ended,
        CaseReopened: [
          { guard: 'plan-was-agreed', target: 'accompaniment', actions: record },
          { target: 'contact', actions: record },
        ],
      },
    },
    redirected: {
      description: 'Sent to the health-insurance social service (complex social situation); the social service answers the hand-off.',
      tags: ['ended'],
      on: {
        ...ended,
        // The hand-off made at redirection is followed like a partner referral: acknowledged, taken up or declined.
        PartnerReferralUpdated: { guard: 'partner-referral-exists', actions: record },
      },
    },
    declined: {
      description: 'Triage found the referral not relevant.',
      tags: ['ended'],
      on: ended,
    },
  },
});

/** The machine's type, for typed snapshots. */
export type CaseMachine = typeof caseMachine;
