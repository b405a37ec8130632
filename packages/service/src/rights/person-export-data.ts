/**
 * What the right of access hands over: everything held about the person of one case, as one
 * JSON object. The schema is strict everywhere, so a field added by mistake fails validation
 * instead of slipping into what the person (and the fund's kept copy) receives.
 */
import { z } from 'zod';
import {
  Actor,
  ActorRole,
  CaseFile,
  ConsentOverride,
  ConsentRecord,
  ConsentStatus,
  Day,
  DetectorKind,
  DetectorNotice,
  ErasureReason,
  Instant,
  NotStartedReason,
  PartnerReferral,
  PlannedAction,
  RectifiableField,
  ReferralChannel,
  ReferralFacts,
  ReferralPersonalData,
} from '@misas/core';
import { ExportedContacts } from './person-export-contacts.ts';

const Id = z.string().min(1);

/** The case: where it stands and the facts of the referral and the plan (no personal data). */
export const ExportedCase = z.strictObject({
  caseId: Id,
  fundId: Id,
  /** The lifecycle step, e.g. `accompaniment` or `closed`. */
  step: Id,
  channel: ReferralChannel.nullable(),
  receivedAt: Instant.nullable(),
  /** Who recorded the referral (pseudonymous id). */
  referredBy: Actor.nullable(),
  counsellorId: Id.nullable(),
  referral: ReferralFacts.nullable(),
  review: CaseFile.shape.review,
  /** When a review finding was last updated after the review (a right opened since…). */
  reviewUpdatedAt: CaseFile.shape.reviewUpdatedAt,
  problems: CaseFile.shape.problems,
  strands: CaseFile.shape.strands,
  gpSearch: CaseFile.shape.gpSearch,
  /** The day the placeholder GP number was set in the person's file, if it was. */
  placeholderGpSetOn: CaseFile.shape.placeholderGpSetOn,
  actions: z.array(PlannedAction.extend({ actionId: Id })),
  outcomes: CaseFile.shape.outcomes,
  closure: CaseFile.shape.closure,
});
export type ExportedCase = z.infer<typeof ExportedCase>;

/** The personal data: as it stands and as filed, or the fact that it was erased. */
export const ExportedPersonalData = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('held'), current: ReferralPersonalData, asFiled: ReferralPersonalData }),
  z.strictObject({ status: z.literal('erased'), erasedAt: Instant.nullable(), reason: ErasureReason.nullable() }),
  /** The case names a person the vault holds nothing about. */
  z.strictObject({ status: z.literal('missing') }),
]);
export type ExportedPersonalData = z.infer<typeof ExportedPersonalData>;

/** One field a rectification changed: the value before and after (`null`: none, e.g. a removed phone). */
export const FieldChange = z.strictObject({ field: RectifiableField, from: z.string().nullable(), to: z.string().nullable() });
export type FieldChange = z.infer<typeof FieldChange>;

/** One rectification: when, by whom, which fields; the values while they are held. */
export const ExportedRectification = z.strictObject({
  rectificationId: Id,
  at: Instant,
  by: Actor,
  fields: z.array(RectifiableField).min(1),
  /** `null` once the data is erased (or when the vault no longer holds this rectification). */
  changes: z.array(FieldChange).nullable(),
});
export type ExportedRectification = z.infer<typeof ExportedRectification>;

/** One note about the person. */
export const ExportedNote = z.strictObject({
  noteId: Id,
  at: Instant,
  by: Actor,
  /** `null` once the data is erased. */
  text: z.string().nullable(),
});
export type ExportedNote = z.infer<typeof ExportedNote>;

/** The consent: the record in force, its withdrawal, and every override made (with who and why). */
export const ExportedConsent = z.strictObject({
  status: ConsentStatus,
  record: ConsentRecord.nullable(),
  withdrawnAt: Instant.nullable(),
  /** Every override ever made; `inForce` is false once a withdrawal ended it. */
  overrides: z.array(ConsentOverride.extend({ inForce: z.boolean() })),
});
export type ExportedConsent = z.infer<typeof ExportedConsent>;

/** Who was told about the person: the detector (start and end only) and the partners referred to. */
export const ExportedRecipients = z.strictObject({
  detector: z
    .strictObject({
      kind: DetectorKind,
      service: z.string(),
      /** What the detector was told, with why the accompaniment never started when it did not. */
      notices: z.array(z.strictObject({ notice: DetectorNotice, reason: NotStartedReason.optional(), at: Instant })),
    })
    .nullable(),
  partners: z.array(
    PartnerReferral.omit({ sharesPersonalData: true }).extend({
      referralId: Id,
      /** Whether the person's name and contact details went with the referral (their consent allowed it). */
      personalDataShared: z.boolean(),
    }),
  ),
});
export type ExportedRecipients = z.infer<typeof ExportedRecipients>;

/** One event of the case, in words. */
export const TimelineEntry = z.strictObject({
  at: Instant,
  type: Id,
  description: z.string(),
  actorRole: ActorRole,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** How long the personal data is kept, counted from the end of the case. */
export const ExportedRetention = z.strictObject({
  /** The fund's retention after the end of the case. */
  retentionMonths: z.number().int().min(1),
  /** What ended the case (the closure, or a triage decision); `null` while it is open. */
  endedBy: z.enum(['closed', 'declined', 'redirected']).nullable(),
  endedOn: Day.nullable(),
  /** The day the personal data will be erased at the latest; `null` while the case is open. */
  eraseBy: Day.nullable(),
  /** The day it was erased, when it was. */
  erasedOn: Day.nullable(),
});
export type ExportedRetention = z.infer<typeof ExportedRetention>;

/** One access to the case recorded in the audit trail (staff ids are pseudonymous). */
export const ExportedAccess = z.strictObject({
  at: Instant,
  role: ActorRole,
  principalId: Id,
  action: z.enum(['change', 'read']),
  /** The command or query, e.g. `case-detail`, `AddNote`. */
  what: Id,
  outcome: z.enum(['allowed', 'denied']),
  personalData: z.boolean(),
});
export type ExportedAccess = z.infer<typeof ExportedAccess>;

/** Everything held about the person of one case. */
export const PersonExportData = z.strictObject({
  exportId: Id,
  generatedAt: Instant,
  case: ExportedCase,
  personalData: ExportedPersonalData,
  rectifications: z.array(ExportedRectification),
  notes: z.array(ExportedNote),
  /** The calls, messages and appointments, with their notes while they are held. */
  contacts: ExportedContacts,
  consent: ExportedConsent,
  evaluation: z.strictObject({ objects: z.boolean() }),
  recipients: ExportedRecipients,
  timeline: z.array(TimelineEntry),
  retention: ExportedRetention,
  accesses: z.array(ExportedAccess),
});
export type PersonExportData = z.infer<typeof PersonExportData>;
