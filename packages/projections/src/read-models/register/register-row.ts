/**
 * One row of the case register — the summary table of the people accompanied (OGEPLANIR's
 * "tableau récapitulatif"). A row holds facts and references only: the person is `subjectRef`,
 * resolved from the vault at read time by {@link withPersonNames}, and only when allowed.
 */
import { z } from 'zod';
import {
  AgeBand,
  CareType,
  ClosureReason,
  ConsentStatus,
  Day,
  DeclineReason,
  DetectionMode,
  DetectorAction,
  DetectorKind,
  Instant,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReferralChannel,
  ReferralReason,
  RenunciationCause,
  RenunciationDuration,
  RightOpened,
  WorkActivity,
} from '@misas/core';
import { CaseStep } from '../shared/case-step.ts';

const Count = z.number().int().min(0);
const Days = z.number().int().nullable();

/** Time logged without a strand is kept under `none`, so that the strands add up to the total. */
export const StrandOrNone = z.enum([...PlanStrand.options, 'none']);
export type StrandOrNone = z.infer<typeof StrandOrNone>;

/** How triage ended: taken on, sent to the social service, or declined. */
export const TriageDecision = z.enum(['accepted', 'redirected', 'declined']);
export type TriageDecision = z.infer<typeof TriageDecision>;

/** One referral of the person to a partner of the catalogue, with the partner's latest answer. */
export const RegisterPartnerReferral = z.strictObject({
  referralId: z.string().min(1),
  partner: Partner,
  strand: PlanStrand,
  status: PartnerReferralStatus,
  madeAt: Instant,
  followUpBy: Day,
});
export type RegisterPartnerReferral = z.infer<typeof RegisterPartnerReferral>;

/** The moments of a case. Instants are the `occurredAt` of the events that set them. */
export const RegisterDates = z.strictObject({
  /** The date written on the referral form. */
  referralDate: Day,
  /** When the referral was recorded as received (`ReferralReceived`). */
  receivedAt: Instant,
  /** Triage decision: accepted, redirected or declined. */
  triagedAt: Instant.nullable(),
  /** The first contact attempt that reached the person. */
  firstContactAt: Instant.nullable(),
  /** The first time the plan was agreed: the accompaniment started. */
  planAgreedAt: Instant.nullable(),
  /** The latest closure; `null` while the case is open (again). */
  closedAt: Instant.nullable(),
});
export type RegisterDates = z.infer<typeof RegisterDates>;

/**
 * Whole calendar days (UTC) between the moments of a case, `null` until both ends exist. The
 * start of every "referral →" duration is the referral date on the form.
 */
export const RegisterDurations = z.strictObject({
  referralToTriage: Days,
  referralToFirstContact: Days,
  firstContactToPlan: Days,
  planToClosure: Days,
  referralToClosure: Days,
});
export type RegisterDurations = z.infer<typeof RegisterDurations>;

/** The gains recorded on the case (`OutcomeRecorded`), in the order recorded. */
export const RegisterOutcomes = z.strictObject({
  rightsOpened: z.array(RightOpened),
  careCarriedOut: z.array(CareType),
  /** Number of out-of-pocket savings recorded, and their total in euro cents. */
  savingsRecorded: Count,
  outOfPocketSavedCents: Count,
});
export type RegisterOutcomes = z.infer<typeof RegisterOutcomes>;

/** Counsellor time logged on the case, in minutes. */
export const RegisterMinutes = z.strictObject({
  total: Count,
  byActivity: z.record(WorkActivity, Count),
  byStrand: z.record(StrandOrNone, Count),
});
export type RegisterMinutes = z.infer<typeof RegisterMinutes>;

/** One case of the register. */
export const CaseRegisterRow = z.strictObject({
  caseId: z.string().min(1),
  fundId: z.string().min(1),
  /** The person, as a vault reference: never a name. */
  subjectRef: z.string().min(1),
  /** The lifecycle step, as the state machine names it (`triage`, `contact.awaiting`, `closed`…). */
  status: CaseStep,
  counsellorId: z.string().min(1).nullable(),
  channel: ReferralChannel,
  detectionMode: DetectionMode,
  detectorKind: DetectorKind,
  detectorService: z.string(),
  reasons: z.array(ReferralReason),
  alreadyStarted: z.array(DetectorAction),
  /** Back of the form; empty lists and `null` when no care is given up. */
  careTypes: z.array(CareType),
  renunciationSince: RenunciationDuration.nullable(),
  renunciationCauses: z.array(RenunciationCause),
  /** At the referral date; a rectified birth date gives the band again. */
  ageBand: AgeBand,
  /** The person objects to their data being passed on for evaluation: on the form, or recorded (or lifted) since. */
  objectsToEvaluation: z.boolean(),
  consent: ConsentStatus,
  /**
   * The partners the consent in force lets the person's data go to (`ConsentRecorded` given, then
   * `ConsentScopeChanged`); empty while consent is refused or once it is withdrawn.
   */
  consentSharingWith: z.array(Partner),
  /** A supervisor or the data-protection officer overrode consent, and the override is in force (a withdrawal ends it). */
  consentOverridden: z.boolean(),
  triageDecision: TriageDecision.nullable(),
  declineReason: DeclineReason.nullable(),
  problems: z.array(ProblemCategory),
  strands: z.array(PlanStrand),
  dates: RegisterDates,
  durations: RegisterDurations,
  outcomes: RegisterOutcomes,
  /** Reason of the latest closure; `null` while open. */
  closureReason: ClosureReason.nullable(),
  /** Partners the person was oriented to at the latest closure. */
  orientedTo: z.array(Partner),
  /** Partner referrals made during the accompaniment, in the order made. */
  partnerReferrals: z.array(RegisterPartnerReferral),
  /** The distinct partners of `partnerReferrals`, in the order first solicited. */
  partnersSolicited: z.array(Partner),
  minutes: RegisterMinutes,
  /** Every attempt to reach the person, and how many reached them. */
  contactAttempts: z.strictObject({ total: Count, reached: Count }),
  lastContactAttemptAt: Instant.nullable(),
  reopenCount: Count,
  /** How many times the person's identity or contact details were rectified (the values are in the vault). */
  rectificationCount: Count,
  /** The day the person asked for their data to be erased (`ErasureRequested`); `null` if they never did. */
  erasureRequestedOn: Day.nullable(),
  /** When the person's personal data was erased (crypto-shredded); `null` while it is kept. */
  personalDataErasedAt: Instant.nullable(),
  /** `occurredAt` of the latest event that changed this row. */
  updatedAt: Instant,
});
export type CaseRegisterRow = z.infer<typeof CaseRegisterRow>;
