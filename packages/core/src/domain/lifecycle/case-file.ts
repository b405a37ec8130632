/**
 * The case file: everything the lifecycle knows about a case, rebuilt from its events.
 * It holds facts and references only — never a name, a phone number or a NIR.
 */
import { z } from 'zod';
import { ReferralFacts } from '../referral.ts';
import {
  ActionOwner,
  ConsentMode,
  ConsentPurpose,
  ErasureRequested,
  GpSearchAssessed,
  OverrideJustification,
  Outcome,
  type CaseEventType,
  type DomainEvent,
  type EventData,
} from '../events/catalogue.ts';
import { Actor, Day, Instant } from '../events/metadata.ts';
import { AppointmentRecord, appointmentReducers } from './appointment-file.ts';
import { dayOf } from '../calendar.ts';
import { Id, idRecord, ownValue } from '../id.ts';
import {
  ActionKind,
  ActionStatus,
  ClosureReason,
  DeclineReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReferralChannel,
  ReviewFinding,
  ReviewItem,
} from '../vocabulary.ts';

/** A domain event as the state machine receives it: the fact, when it happened, and who recorded it. */
export type LifecycleEvent = DomainEvent & { readonly occurredAt: string; readonly actor: Actor };

/** Where consent stands. `on-form` means signed on the referral form. */
export const ConsentStatus = z.enum(['pending-confirmation', 'on-form', 'given', 'refused', 'withdrawn']);
export type ConsentStatus = z.infer<typeof ConsentStatus>;

/**
 * The consent in force: how it was given, when, who recorded it, and its scope. The accompaniment
 * itself is always in scope; `sharingWith` lists the partners the person agreed their data may go to.
 */
export const ConsentRecord = z.strictObject({
  mode: ConsentMode,
  givenOn: Day,
  recordedAt: Instant,
  recordedBy: Actor,
  sharingWith: z.array(Partner),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** A decision of a privileged role to go on without consent, kept with who took it and why. */
export const ConsentOverride = z.strictObject({
  purpose: ConsentPurpose,
  partner: Partner.optional(),
  justification: OverrideJustification,
  by: Actor,
  at: Instant,
});
export type ConsentOverride = z.infer<typeof ConsentOverride>;

export const PlannedAction = z.strictObject({
  strand: PlanStrand,
  kind: ActionKind,
  owner: ActionOwner,
  dueDate: Day,
  status: ActionStatus,
});
export type PlannedAction = z.infer<typeof PlannedAction>;

export const PartnerReferral = z.strictObject({
  partner: Partner,
  strand: PlanStrand,
  status: PartnerReferralStatus,
  followUpBy: Day,
  sharesPersonalData: z.boolean(),
  madeAt: Instant,
});
export type PartnerReferral = z.infer<typeof PartnerReferral>;

/**
 * The machine's context. Dates are the `occurredAt` of the events that set them. A schema, not just
 * a type, so that a persisted snapshot is validated before it is trusted.
 */
export const CaseFile = z.strictObject({
  fundId: Id.nullable(),
  subjectRef: Id.nullable(),
  channel: ReferralChannel.nullable(),
  referral: ReferralFacts.nullable(),
  counsellorId: Id.nullable(),
  receivedAt: Instant.nullable(),
  /** Who recorded the referral (a detector, or a counsellor keying a form in). */
  referredBy: Actor.nullable(),
  triagedAt: Instant.nullable(),
  declineReason: DeclineReason.nullable(),
  firstContactDueBy: Day.nullable(),
  review: z.partialRecord(ReviewItem, ReviewFinding),
  reviewCompletedAt: Instant.nullable(),
  contactAttempts: z.number().int().min(0),
  failedContactAttempts: z.number().int().min(0),
  firstContactAt: Instant.nullable(),
  /** Appointments with the person, by id (notes in the vault). */
  appointments: idRecord(AppointmentRecord),
  consent: ConsentStatus,
  consentMode: ConsentMode.nullable(),
  /** The consent given (on the form or at contact); kept after a refusal or withdrawal, for history. */
  consentRecord: ConsentRecord.nullable(),
  consentWithdrawnAt: Instant.nullable(),
  /** Overrides in force; a withdrawal of consent ends them. */
  consentOverrides: z.array(ConsentOverride),
  /** The person objects to the use of their data for the national evaluation. */
  objectsToEvaluation: z.boolean(),
  /** Rectifications of personal data, in order (their values are in the vault). */
  rectificationIds: z.array(Id),
  erasureRequest: ErasureRequested.data.nullable(),
  welcomeLetterDueBy: Day.nullable(),
  welcomeLetterSentAt: Instant.nullable(),
  problems: z.array(ProblemCategory),
  strands: z.array(PlanStrand),
  gpSearch: GpSearchAssessed.data.nullable(),
  actions: idRecord(PlannedAction),
  partnerReferrals: idRecord(PartnerReferral),
  planAgreedAt: Instant.nullable(),
  outcomes: z.array(Outcome),
  minutesSpent: z.number().int().min(0),
  noteIds: z.array(Id),
  closure: z.strictObject({ reason: ClosureReason, at: Instant, orientedTo: z.array(Partner) }).nullable(),
  reopenCount: z.number().int().min(0),
  /** Reminders already issued, as `kind/ref/dueOn`: the scheduler issues each one once. */
  reminders: z.array(z.string()),
  personalDataErased: z.boolean(),
  /** `occurredAt` of the latest event: a new fact may not be dated before it. */
  lastOccurredAt: Instant.nullable(),
});
export type CaseFile = z.infer<typeof CaseFile>;

/** The file of a case that does not exist yet. */
export const emptyCaseFile: CaseFile = {
  fundId: null,
  subjectRef: null,
  channel: null,
  referral: null,
  counsellorId: null,
  receivedAt: null,
  referredBy: null,
  triagedAt: null,
  declineReason: null,
  firstContactDueBy: null,
  review: {},
  reviewCompletedAt: null,
  contactAttempts: 0,
  failedContactAttempts: 0,
  firstContactAt: null,
  appointments: {},
  consent: 'pending-confirmation',
  consentMode: null,
  consentRecord: null,
  consentWithdrawnAt: null,
  consentOverrides: [],
  objectsToEvaluation: false,
  rectificationIds: [],
  erasureRequest: null,
  welcomeLetterDueBy: null,
  welcomeLetterSentAt: null,
  problems: [],
  strands: [],
  gpSearch: null,
  actions: {},
  partnerReferrals: {},
  planAgreedAt: null,
  outcomes: [],
  minutesSpent: 0,
  noteIds: [],
  closure: null,
  reopenCount: 0,
  reminders: [],
  personalDataErased: false,
  lastOccurredAt: null,
};

type Reducer<T extends CaseEventType> = (
  file: CaseFile,
  data: EventData<T>,
  occurredAt: string,
  actor: Actor,
) => CaseFile;

/**
 * How each event changes the file. The machine decides *whether* an event may happen;
 * these functions only record *what* it changes.
 */
const reducers: { readonly [T in CaseEventType]: Reducer<T> } = {
  ReferralReceived: (file, data, at, actor) => {
    const signed = data.referral.consent;
    return {
      ...file,
      fundId: data.fundId,
      subjectRef: data.subjectRef,
      channel: data.channel,
      referral: data.referral,
      receivedAt: at,
      referredBy: actor,
      consent: signed.kind === 'signed' ? 'on-form' : 'pending-confirmation',
      consentRecord:
        signed.kind === 'signed'
          ? { mode: 'signed-form', givenOn: signed.signedOn, recordedAt: at, recordedBy: actor, sharingWith: [] }
          : null,
      objectsToEvaluation: data.referral.objectsToEvaluation,
    };
  },
  ReferralAccepted: (file, data, at) => ({
    ...file,
    counsellorId: data.counsellorId,
    triagedAt: at,
    firstContactDueBy: data.firstContactDueBy,
  }),
  ReferralRedirected: (file, _data, at) => ({ ...file, triagedAt: at }),
  ReferralDeclined: (file, data, at) => ({ ...file, triagedAt: at, declineReason: data.reason }),
  CounsellorAssigned: (file, data) => ({ ...file, counsellorId: data.counsellorId }),
  ReviewItemRecorded: (file, data) => ({ ...file, review: { ...file.review, [data.item]: data.finding } }),
  ReviewCompleted: (file, _data, at) => ({ ...file, reviewCompletedAt: at }),
  ContactAttempted: (file, data, at) => ({
    ...file,
    contactAttempts: data.attempt,
    failedContactAttempts: data.failedAttempts,
    firstContactAt: file.firstContactAt ?? (data.reached ? at : null),
  }),
  AppointmentPlanned: (file, data) => ({ ...file, appointments: appointmentReducers.AppointmentPlanned(file.appointments, data) }),
  AppointmentMoved: (file, data) => ({ ...file, appointments: appointmentReducers.AppointmentMoved(file.appointments, data) }),
  // Meeting the person is reaching them: failed calls no longer make them "unreachable".
  AppointmentHeld: (file, data, at) => ({ ...file, appointments: appointmentReducers.AppointmentHeld(file.appointments, data), firstContactAt: file.firstContactAt ?? at }),
  AppointmentMissed: (file, data) => ({ ...file, appointments: appointmentReducers.AppointmentMissed(file.appointments, data) }),
  AppointmentCancelled: (file, data) => ({ ...file, appointments: appointmentReducers.AppointmentCancelled(file.appointments, data) }),
  ConsentRecorded: (file, data, at, actor) => ({
    ...file,
    consent: data.decision,
    consentMode: data.mode,
    consentRecord:
      data.decision === 'given'
        ? { mode: data.mode, givenOn: dayOf(at), recordedAt: at, recordedBy: actor, sharingWith: data.sharingWith }
        : file.consentRecord,
  }),
  ConsentScopeChanged: (file, data) =>
    file.consentRecord ? { ...file, consentRecord: { ...file.consentRecord, sharingWith: data.sharingWith } } : file,
  ConsentWithdrawn: (file, _data, at) => ({
    ...file,
    consent: 'withdrawn',
    consentRecord: file.consentRecord ? { ...file.consentRecord, sharingWith: [] } : null,
    consentWithdrawnAt: at,
    consentOverrides: [],
  }),
  ConsentOverridden: (file, data, at, actor) => ({
    ...file,
    consentOverrides: [...file.consentOverrides, { ...data, by: actor, at }],
  }),
  WelcomeLetterDue: (file, data) => ({ ...file, welcomeLetterDueBy: data.dueBy }),
  WelcomeLetterSent: (file, _data, at) => ({ ...file, welcomeLetterSentAt: at }),
  NeedsIdentified: (file, data) => ({ ...file, problems: data.problems, strands: data.strands }),
  GpSearchAssessed: (file, data) => ({ ...file, gpSearch: data }),
  ActionPlanned: (file, data) => ({
    ...file,
    actions: {
      ...file.actions,
      [data.actionId]: { strand: data.strand, kind: data.kind, owner: data.owner, dueDate: data.dueDate, status: 'planned' },
    },
  }),
  ActionStatusChanged: (file, data) => {
    const action = ownValue(file.actions, data.actionId);
    if (!action) return file;
    return { ...file, actions: { ...file.actions, [data.actionId]: { ...action, status: data.status } } };
  },
  PartnerReferralMade: (file, data, at) => ({
    ...file,
    partnerReferrals: {
      ...file.partnerReferrals,
      [data.referralId]: {
        partner: data.partner,
        strand: data.strand,
        status: 'sent',
        followUpBy: data.followUpBy,
        sharesPersonalData: data.sharesPersonalData,
        madeAt: at,
      },
    },
  }),
  PartnerReferralUpdated: (file, data) => {
    const referral = ownValue(file.partnerReferrals, data.referralId);
    if (!referral) return file;
    return {
      ...file,
      partnerReferrals: { ...file.partnerReferrals, [data.referralId]: { ...referral, status: data.status } },
    };
  },
  PlanAgreed: (file, _data, at) => ({ ...file, planAgreedAt: file.planAgreedAt ?? at }),
  OutcomeRecorded: (file, data) => ({ ...file, outcomes: [...file.outcomes, data.outcome] }),
  TimeSpentLogged: (file, data) => ({ ...file, minutesSpent: file.minutesSpent + data.minutes }),
  NoteAdded: (file, data) => ({ ...file, noteIds: [...file.noteIds, data.noteId] }),
  CaseClosed: (file, data, at) => ({ ...file, closure: { reason: data.reason, at, orientedTo: data.orientedTo } }),
  // A reopened case gets a fresh set of tries before it counts as unreachable again.
  CaseReopened: (file) => ({ ...file, closure: null, reopenCount: file.reopenCount + 1, failedContactAttempts: 0 }),
  DetectorNotificationRequested: (file) => file,
  ReminderIssued: (file, data) => ({ ...file, reminders: [...file.reminders, reminderKey(data)] }),
  EvaluationObjectionRecorded: (file, data) => ({ ...file, objectsToEvaluation: data.objects }),
  PersonalDataRectified: (file, data) => ({ ...file, rectificationIds: [...file.rectificationIds, data.rectificationId] }),
  ErasureRequested: (file, data) => ({ ...file, erasureRequest: data }),
  PersonalDataErased: (file) => ({ ...file, personalDataErased: true }),
};

/** The identity of a reminder: one per kind, subject (action, referral) and due date. */
export function reminderKey(reminder: { readonly kind: string; readonly ref?: string | undefined; readonly dueOn: string }): string {
  return `${reminder.kind}/${reminder.ref ?? ''}/${reminder.dueOn}`;
}

/** Records one event in the file (pure). */
export function applyEvent(file: CaseFile, event: LifecycleEvent): CaseFile {
  const reducer = reducers[event.type] as Reducer<typeof event.type>;
  const next = reducer(file, event.data as never, event.occurredAt, event.actor);
  if (next === file) return { ...file, lastOccurredAt: event.occurredAt };
  // Every reducer that changes the file returns a fresh copy made just above, seen by nobody yet:
  // stamping it in place spares a second copy of the whole file on every event of a replay.
  const fresh: { -readonly [K in keyof CaseFile]: CaseFile[K] } = next;
  fresh.lastOccurredAt = event.occurredAt;
  return fresh;
}

/** Whether the person's consent allows the accompaniment: given (on the form or at contact), or overridden. */
export function consentAllowsAccompaniment(file: CaseFile): boolean {
  return file.consent === 'on-form' || file.consent === 'given' || file.consentOverrides.some((o) => o.purpose === 'accompaniment');
}

/** Whether the person's data may be shared with `partner`: in the consent's scope, or overridden for it. */
export function consentAllowsSharingWith(file: CaseFile, partner: Partner): boolean {
  const consented = (file.consent === 'on-form' || file.consent === 'given') && (file.consentRecord?.sharingWith.includes(partner) ?? false);
  return consented || file.consentOverrides.some((o) => o.purpose === 'partner-sharing' && o.partner === partner);
}
