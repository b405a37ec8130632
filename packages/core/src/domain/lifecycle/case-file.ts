/**
 * The case file: everything the lifecycle knows about a case, rebuilt from its events.
 * It holds facts and references only — never a name, a phone number or a NIR. How each event
 * changes it is in `case-file-events.ts`.
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
  type DomainEvent,
} from '../events/catalogue.ts';
import { Actor, Day, Instant } from '../events/metadata.ts';
import { AppointmentRecord } from './appointment-file.ts';
import { Id, idRecord } from '../id.ts';
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
  /** When a finding was last updated after the review (ReviewFindingUpdated), if ever. */
  reviewUpdatedAt: Instant.nullable(),
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
  /** The day the placeholder GP number was set, when the GP rule offered no GP search. */
  placeholderGpSetOn: Day.nullable(),
  actions: idRecord(PlannedAction),
  partnerReferrals: idRecord(PartnerReferral),
  planAgreedAt: Instant.nullable(),
  /**
   * When the detector was first told the accompaniment started (for streams of v1 notices, at
   * triage): a closure after it is "ended", one before it "not started".
   */
  detectorToldStartedAt: Instant.nullable(),
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
  reviewUpdatedAt: null,
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
  placeholderGpSetOn: null,
  actions: {},
  partnerReferrals: {},
  planAgreedAt: null,
  detectorToldStartedAt: null,
  outcomes: [],
  minutesSpent: 0,
  noteIds: [],
  closure: null,
  reopenCount: 0,
  reminders: [],
  personalDataErased: false,
  lastOccurredAt: null,
};

/** Whether the person's consent allows the accompaniment: given (on the form or at contact), or overridden. */
export function consentAllowsAccompaniment(file: CaseFile): boolean {
  return file.consent === 'on-form' || file.consent === 'given' || file.consentOverrides.some((o) => o.purpose === 'accompaniment');
}

/** Whether the person's data may be shared with `partner`: in the consent's scope, or overridden for it. */
export function consentAllowsSharingWith(file: CaseFile, partner: Partner): boolean {
  const consented = (file.consent === 'on-form' || file.consent === 'given') && (file.consentRecord?.sharingWith.includes(partner) ?? false);
  return consented || file.consentOverrides.some((o) => o.purpose === 'partner-sharing' && o.partner === partner);
}
