/**
 * Every event of a case, with its payload schema, current schema version and meaning.
 *
 * Events are facts: they are named in the past tense and never hold personal data. Identity,
 * contact details, the NIR and free text live in the personal-data vault under `subjectRef`.
 * `docs/events.md` is generated from this file.
 */
import { z } from 'zod';
import { ReferralFacts } from '../referral.ts';
import { GpCriterion } from '../screening.ts';
import {
  ActionKind,
  AgeBand,
  ActionStatus,
  CareType,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReferralChannel,
  ReviewFinding,
  ReviewItem,
  RightOpened,
} from '../vocabulary.ts';
import { BusinessDay } from '../business-dates.ts';
import { appointmentEventDefinitions, ContactDirection } from './appointment-events.ts';
import { reviewEventDefinitions } from './review-events.ts';
import { defineEvent } from './define-event.ts';
import { Id } from '../id.ts';
import { DetectorNotificationRequested } from './detector-notice.ts';

/** A counsellor or supervisor id: pseudonymous, from the fund's staff directory. */
const StaffId = Id;

/** What a counsellor was doing when logging time, for the workload indicator. */
export const WorkActivity = z.enum([
  'triage',
  'administrative-review',
  'contact',
  'planning',
  'follow-up',
  'partner-coordination',
  'paperwork',
  'unspecified',
]);
export type WorkActivity = z.infer<typeof WorkActivity>;

/** Who carries out an action of the plan. */
export const ActionOwner = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('counsellor'), counsellorId: StaffId }),
  z.strictObject({ kind: z.literal('person') }),
  z.strictObject({ kind: z.literal('partner'), partner: Partner }),
]);
export type ActionOwner = z.infer<typeof ActionOwner>;

/** A gain of the accompaniment, as counted by the headline indicators. */
export const Outcome = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('right-opened'), right: RightOpened }),
  z.strictObject({ kind: z.literal('care-carried-out'), careType: CareType }),
  z.strictObject({
    kind: z.literal('out-of-pocket-saved'),
    /** Euro cents saved on the person's out-of-pocket cost (reste à charge). */
    amountCents: z.number().int().positive(),
    careType: CareType.optional(),
  }),
]);
export type Outcome = z.infer<typeof Outcome>;

/** Why a closed case is reopened. */
export const ReopenReason = z.enum(['new-need', 'person-request', 'partner-request', 'closed-in-error']);
export type ReopenReason = z.infer<typeof ReopenReason>;

export { DetectorNotice, NotStartedReason } from './detector-notice.ts';

/** How consent was collected or confirmed at contact. */
export const ConsentMode = z.enum(['signed-form', 'phone', 'in-person']);
export type ConsentMode = z.infer<typeof ConsentMode>;

/** What a reminder is about: each is a deadline that came due without the fact that clears it. */
export const ReminderKind = z.enum(['first-contact', 'action-due', 'partner-follow-up', 'welcome-letter', 'ald-protocol-expiry']);
export type ReminderKind = z.infer<typeof ReminderKind>;

/** Why personal data was erased. */
export const ErasureReason = z.enum(['retention-expired', 'erasure-request']);
export type ErasureReason = z.infer<typeof ErasureReason>;

/** What an override of consent lets happen without the person's consent. */
export const ConsentPurpose = z.enum(['accompaniment', 'partner-sharing']);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

/**
 * The legal ground a privileged role invokes to act without consent (RGPD art. 6 and 9): the
 * person's vital interest, a legal obligation of the fund, or a consent given on paper that is not
 * yet recorded.
 */
export const OverrideJustification = z.enum(['vital-interest', 'legal-obligation', 'paper-consent-not-yet-recorded']);
export type OverrideJustification = z.infer<typeof OverrideJustification>;

/** How a request of the person (erasure, access…) reached the fund. */
export const RequestChannel = z.enum(['letter', 'email', 'phone', 'in-person', 'online-account']);
export type RequestChannel = z.infer<typeof RequestChannel>;

/** The personal data a rectification may change: the person's identity and contact details. */
export const RectifiableField = z.enum(['lastName', 'firstName', 'birthDate', 'phone', 'email', 'nir']);
export type RectifiableField = z.infer<typeof RectifiableField>;

/** The outcome of the GP-search rule (recherche de médecin traitant). */
export const GpSearchOutcome = z.enum(['systematic-accompaniment', 'placeholder-gp-and-letter']);

export type { EventDefinition } from './define-event.ts';

export const ReferralReceived = defineEvent(
  'ReferralReceived',
  1,
  'A referral form (or a reaching-out flag, or the person themself) opened a case. Personal data went to the vault under `subjectRef`.',
  z.strictObject({
    fundId: Id,
    channel: ReferralChannel,
    subjectRef: Id,
    referral: ReferralFacts,
  }),
);

export const ReferralAccepted = defineEvent(
  'ReferralAccepted',
  1,
  'Triage found the referral relevant: the case is taken on and assigned; the first contact is due by `firstContactDueBy`.',
  z.strictObject({ counsellorId: StaffId, firstContactDueBy: BusinessDay }),
);

/** The hand-off to the social service, followed like a partner referral (`null` for redirections stored before it was tracked). */
export const SocialServiceHandOff = z.strictObject({ referralId: Id, followUpBy: BusinessDay });
export type SocialServiceHandOff = z.infer<typeof SocialServiceHandOff>;

export const ReferralRedirected = defineEvent(
  'ReferralRedirected',
  2,
  'The referral goes to the health-insurance social service instead of an accompaniment (complex social situation). `automatic` when the form itself required it. `handOff` is the referral to the social service, followed like a partner referral (status `sent`, answer due by `followUpBy`); `null` on v1 redirections, which were not tracked.',
  z.strictObject({ to: z.literal('social-service'), automatic: z.boolean(), handOff: SocialServiceHandOff.nullable() }),
);

export const ReferralDeclined = defineEvent(
  'ReferralDeclined',
  1,
  'Triage declined the referral, with a reason code.',
  z.strictObject({ reason: DeclineReason }),
);

export const CounsellorAssigned = defineEvent(
  'CounsellorAssigned',
  1,
  'The case changed hands: `counsellorId` owns it from now on.',
  z.strictObject({ counsellorId: StaffId }),
);

export const ReviewItemRecorded = defineEvent(
  'ReviewItemRecorded',
  1,
  'One item of the administrative review checklist was checked, with its finding.',
  z.strictObject({ item: ReviewItem, finding: ReviewFinding }),
);

export const ReviewCompleted = defineEvent(
  'ReviewCompleted',
  1,
  'Every checklist item has a finding; the items needing action are listed. Contact with the person can start.',
  z.strictObject({ itemsNeedingAction: z.array(ReviewItem) }),
);

export const ContactAttempted = defineEvent(
  'ContactAttempted',
  2,
  'A call or a message between the counsellor and the person, at any open step: `direction` says who started it, `reached` whether it reached the other side. In the contact step, the first one that reaches the person moves the case on. `attempt` counts every call or message; `failedAttempts` the outgoing ones that did not reach the person. A note, if any, is in the vault under `noteId`. v2 added `direction` (v1 attempts were the counsellor’s: `outgoing`) and `noteId`.',
  z.strictObject({
    channel: ContactChannel,
    direction: ContactDirection,
    reached: z.boolean(),
    attempt: z.number().int().min(1),
    failedAttempts: z.number().int().min(0),
    noteId: Id.optional(),
  }),
);

export const ConsentRecorded = defineEvent(
  'ConsentRecorded',
  2,
  "The person's consent to the accompaniment was collected or confirmed (`given`), or refused. `sharingWith` is its scope beyond the accompaniment: the partners the person agreed their data may be shared with. Who recorded it is the event's actor. v2 added `sharingWith`.",
  z.strictObject({ decision: z.enum(['given', 'refused']), mode: ConsentMode, sharingWith: z.array(Partner) }),
);

export const ConsentScopeChanged = defineEvent(
  'ConsentScopeChanged',
  1,
  'The person changed the scope of their consent: `sharingWith` replaces the partners their data may be shared with.',
  z.strictObject({ sharingWith: z.array(Partner) }),
);

export const ConsentWithdrawn = defineEvent(
  'ConsentWithdrawn',
  1,
  'The person withdrew their consent: to the accompaniment and to every sharing. The case closes with it.',
  z.strictObject({}),
);

export const ConsentOverridden = defineEvent(
  'ConsentOverridden',
  1,
  'A privileged role (supervisor, data-protection officer) let the case go on without consent — past contact (`accompaniment`) or sharing with one `partner` — on a legal ground. The actor is who decided.',
  z.strictObject({ purpose: ConsentPurpose, partner: Partner.optional(), justification: OverrideJustification }),
);

export const EvaluationObjectionRecorded = defineEvent(
  'EvaluationObjectionRecorded',
  1,
  'The person objected (`objects: true`) to their data being used for the national evaluation, or lifted that objection.',
  z.strictObject({ objects: z.boolean() }),
);

export const PersonalDataRectified = defineEvent(
  'PersonalDataRectified',
  1,
  "The person's identity or contact details were rectified: the new values are in the vault under `rectificationId`, the earlier ones stay there as history. `ageBand` is the band the rectified birth date gives.",
  z.strictObject({ rectificationId: Id, fields: z.array(RectifiableField).min(1), ageBand: AgeBand.optional() }),
);

export const ErasureRequested = defineEvent(
  'ErasureRequested',
  1,
  'The person asked for their personal data to be erased: when and how the request came, nothing about them. The erasure follows in the same command.',
  z.strictObject({ requestedOn: BusinessDay, channel: RequestChannel }),
);

export const WelcomeLetterDue = defineEvent(
  'WelcomeLetterDue',
  1,
  'Consent was given remotely: a welcome letter explaining the service and the person’s rights is due by `dueBy`.',
  z.strictObject({ dueBy: BusinessDay }),
);

export const WelcomeLetterSent = defineEvent('WelcomeLetterSent', 1, 'The welcome letter was sent.', z.strictObject({}));

export const NeedsIdentified = defineEvent(
  'NeedsIdentified',
  1,
  'The problems of the person and the strands of the plan were identified with them (replaces any earlier list).',
  z.strictObject({
    problems: z.array(ProblemCategory).min(1),
    strands: z.array(PlanStrand).min(1),
  }),
);

export const GpSearchAssessed = defineEvent(
  'GpSearchAssessed',
  1,
  "The fund's GP-search rule was applied: a systematic accompaniment to find a GP, or a placeholder GP and a letter.",
  z.strictObject({
    outcome: GpSearchOutcome,
    criteriaMet: z.array(GpCriterion),
    /** End of the person's ALD protocol, when there is one: the scheduler reminds before it. */
    aldProtocolExpiresOn: BusinessDay.optional(),
  }),
);

export const ActionPlanned = defineEvent(
  'ActionPlanned',
  1,
  'An action was added to a strand of the plan, with who carries it out and when it is due.',
  z.strictObject({
    actionId: Id,
    strand: PlanStrand,
    kind: ActionKind,
    owner: ActionOwner,
    dueDate: BusinessDay,
  }),
);

export const ActionStatusChanged = defineEvent(
  'ActionStatusChanged',
  1,
  'An action of the plan progressed, was completed or was cancelled.',
  z.strictObject({ actionId: Id, status: ActionStatus }),
);

export const PartnerReferralMade = defineEvent(
  'PartnerReferralMade',
  1,
  'The person was referred to a partner of the catalogue; the answer is to be followed up by `followUpBy`.',
  z.strictObject({
    referralId: Id,
    partner: Partner,
    strand: PlanStrand,
    followUpBy: BusinessDay,
    sharesPersonalData: z.boolean(),
  }),
);

export const PartnerReferralUpdated = defineEvent(
  'PartnerReferralUpdated',
  1,
  'A partner acknowledged, took on, completed or refused a referral.',
  z.strictObject({ referralId: Id, status: PartnerReferralStatus }),
);

export const PlanAgreed = defineEvent(
  'PlanAgreed',
  1,
  'The accompaniment plan was agreed with the person: the accompaniment starts.',
  z.strictObject({}),
);

export const OutcomeRecorded = defineEvent(
  'OutcomeRecorded',
  1,
  'A gain of the accompaniment: a right opened, care carried out, or out-of-pocket cost saved.',
  z.strictObject({ outcome: Outcome }),
);

export const TimeSpentLogged = defineEvent(
  'TimeSpentLogged',
  2,
  'Counsellor time spent on the case, for the workload indicator. v2 added `activity` and `strand`.',
  z.strictObject({
    minutes: z.number().int().min(1).max(24 * 60),
    activity: WorkActivity,
    strand: PlanStrand.optional(),
  }),
);

export const NoteAdded = defineEvent(
  'NoteAdded',
  1,
  'A free-text note was written; its text is in the vault under `noteId`.',
  z.strictObject({ noteId: Id }),
);

export const CaseClosed = defineEvent(
  'CaseClosed',
  1,
  'The accompaniment ended, with a reason and the partners the person was oriented to. Retention of personal data runs from here.',
  z.strictObject({ reason: ClosureReason, orientedTo: z.array(Partner) }),
);

export const CaseReopened = defineEvent(
  'CaseReopened',
  1,
  "A closed case was reopened within the fund's reopen window.",
  z.strictObject({ reason: ReopenReason }),
);

export { DetectorNotificationRequested };

export const ReminderIssued = defineEvent(
  'ReminderIssued',
  1,
  'The scheduler reminded the counsellor of a deadline that came due: `kind`, the action or referral it concerns (`ref`), and the due date.',
  z.strictObject({ kind: ReminderKind, ref: Id.optional(), dueOn: BusinessDay }),
);

export const PersonalDataErased = defineEvent(
  'PersonalDataErased',
  1,
  "The person's key was destroyed: every copy of their personal data is unreadable for good. The case's non-personal facts stay for statistics.",
  z.strictObject({ reason: ErasureReason }),
);

/** All event definitions, in lifecycle order. */
export const eventDefinitions = [
  ReferralReceived,
  ReferralAccepted,
  ReferralRedirected,
  ReferralDeclined,
  CounsellorAssigned,
  ReviewItemRecorded,
  ReviewCompleted,
  ...reviewEventDefinitions,
  ContactAttempted,
  ...appointmentEventDefinitions,
  ConsentRecorded,
  ConsentScopeChanged,
  ConsentWithdrawn,
  ConsentOverridden,
  WelcomeLetterDue,
  WelcomeLetterSent,
  NeedsIdentified,
  GpSearchAssessed,
  ActionPlanned,
  ActionStatusChanged,
  PartnerReferralMade,
  PartnerReferralUpdated,
  PlanAgreed,
  OutcomeRecorded,
  TimeSpentLogged,
  NoteAdded,
  CaseClosed,
  CaseReopened,
  DetectorNotificationRequested,
  ReminderIssued,
  EvaluationObjectionRecorded,
  PersonalDataRectified,
  ErasureRequested,
  PersonalDataErased,
] as const;

type Definitions = (typeof eventDefinitions)[number];

/** The name of every event type. */
export type CaseEventType = Definitions['type'];

/** An event's type and payload, as the domain produces it (no metadata yet). */
export type DomainEvent = {
  [D in Definitions as D['type']]: { type: D['type']; data: z.infer<D['data']> };
}[CaseEventType];

/** The payload of one event type. */
export type EventData<T extends CaseEventType> = Extract<DomainEvent, { type: T }>['data'];

const definitionsByType = new Map<string, Definitions>(eventDefinitions.map((d) => [d.type, d]));

/** The definition of an event type, or undefined for a type this library does not know. */
export function eventDefinition(type: string): Definitions | undefined {
  return definitionsByType.get(type);
}
