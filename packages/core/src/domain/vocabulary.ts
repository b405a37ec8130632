/**
 * The closed lists of the national referral form and of the standard path, as zod enums.
 *
 * Every code is English kebab-case; the French name a counsellor uses is in `docs/glossary.md`.
 * Adding a value is backwards compatible; renaming or removing one needs an upcaster.
 */
import { z } from 'zod';

/** Reasons ticked on the front of the referral form (one or more). */
export const ReferralReason = z.enum([
  'rights-access',
  'care-renunciation',
  'care-renunciation-disability',
  'digital-fragility',
  'complex-social-situation',
]);
export type ReferralReason = z.infer<typeof ReferralReason>;

/** How the detector met the person. */
export const DetectionMode = z.enum(['face-to-face', 'phone']);
export type DetectionMode = z.infer<typeof DetectionMode>;

/** Which way the case came in: a form (internal or external detector), a reaching-out query, or the person. */
export const ReferralChannel = z.enum(['internal-form', 'external-form', 'reaching-out', 'self-referral']);
export type ReferralChannel = z.infer<typeof ReferralChannel>;

/** The kind of detector, in the three families of DOMAIN.md. */
export const DetectorKind = z.enum([
  'health-insurance-service',
  'health-professional',
  'external-partner',
  'reaching-out-query',
  'the-person',
]);
export type DetectorKind = z.infer<typeof DetectorKind>;

/** What the detector already started before referring. */
export const DetectorAction = z.enum(['c2s-application', 'ass-application', 'other']);
export type DetectorAction = z.infer<typeof DetectorAction>;

/** Back of the form: which care is given up. */
export const CareType = z.enum([
  'consultation',
  'specialist-acts-and-exams',
  'medical-devices',
  'surgery',
  'pharmacy',
  'other',
]);
export type CareType = z.infer<typeof CareType>;

/** Back of the form: since when care is given up. */
export const RenunciationDuration = z.enum([
  'under-3-months',
  '3-to-12-months',
  'over-1-year',
  'over-2-years',
]);
export type RenunciationDuration = z.infer<typeof RenunciationDuration>;

/** Back of the form: why care is given up. */
export const RenunciationCause = z.enum([
  'rights',
  'transport',
  'out-of-pocket-cost',
  'fee-advance',
  'complex-procedures',
  'appointment-delays',
  'refused-by-professional',
  'other',
]);
export type RenunciationCause = z.infer<typeof RenunciationCause>;

/** Problem categories ticked on a case (problématiques). */
export const ProblemCategory = z.enum([
  'rights-and-procedures',
  'care-and-health',
  'disability',
  'digital-inclusion',
  'complex-social-situation',
  'other',
]);
export type ProblemCategory = z.infer<typeof ProblemCategory>;

/** Strands of an accompaniment plan (volets). */
export const PlanStrand = z.enum(['rights', 'care', 'prevention', 'social', 'digital']);
export type PlanStrand = z.infer<typeof PlanStrand>;

/**
 * The administrative review checklist (step 2 of the standard path). The CAF items come from seed
 * 002 ("Analyse de la situation des droits CPAM et CAF") and the RSA of seed 003's case: they were
 * added later, so they are optional (`requiredReviewItems` leaves them out) and older reviews stay
 * complete.
 */
export const ReviewItem = z.enum([
  'basic-cover',
  'complementary-cover',
  'carte-vitale',
  'declared-gp',
  'ameli-account',
  'reimbursement-history',
  'benefits-paid',
  'debts-or-overpayments',
  'pending-ass-requests',
  'contact-history',
  'caf-rights',
  'caf-rsa',
]);
export type ReviewItem = z.infer<typeof ReviewItem>;

/** The CAF items of the review checklist ("droits CAF"): optional, see `ReviewItem`. */
export const cafReviewItems = ['caf-rights', 'caf-rsa'] as const satisfies readonly ReviewItem[];

/** The checklist items every review must give a finding for before it completes. */
export const requiredReviewItems: readonly ReviewItem[] = ReviewItem.options.filter(
  (item) => !(cafReviewItems as readonly ReviewItem[]).includes(item),
);

/** What the counsellor found for one checklist item. */
export const ReviewFinding = z.enum(['in-order', 'needs-action', 'not-applicable']);
export type ReviewFinding = z.infer<typeof ReviewFinding>;

/** The partner catalogue a case can be referred to, in its three families. */
export const Partner = z.enum([
  // Health insurance
  'back-office',
  'mediator',
  'sophia-prado',
  'social-service',
  'medical-service',
  'health-check-centre',
  'prevention',
  // Health professionals
  'private-practitioners',
  'multi-professional-practice',
  'health-insurance-health-centre',
  'care-establishment',
  'cpts',
  // Other partners
  'association',
  'departmental-council',
  'ccas',
  'complementary-insurer',
  'caf-france-travail',
  'mdph',
  'digital-mediator',
]);
export type Partner = z.infer<typeof Partner>;

/** The family each partner belongs to, for reports and for the form's three columns. */
export const partnerFamily: Readonly<Record<Partner, 'health-insurance' | 'health-professionals' | 'other-partners'>> = {
  'back-office': 'health-insurance',
  mediator: 'health-insurance',
  'sophia-prado': 'health-insurance',
  'social-service': 'health-insurance',
  'medical-service': 'health-insurance',
  'health-check-centre': 'health-insurance',
  prevention: 'health-insurance',
  'private-practitioners': 'health-professionals',
  'multi-professional-practice': 'health-professionals',
  'health-insurance-health-centre': 'health-professionals',
  'care-establishment': 'health-professionals',
  cpts: 'health-professionals',
  association: 'other-partners',
  'departmental-council': 'other-partners',
  ccas: 'other-partners',
  'complementary-insurer': 'other-partners',
  'caf-france-travail': 'other-partners',
  mdph: 'other-partners',
  'digital-mediator': 'other-partners',
};

/** Why a referral is declined at triage. */
export const DeclineReason = z.enum([
  'not-relevant',
  'duplicate',
  'already-accompanied',
  'other-fund',
  'incomplete-referral',
  /** The person asked for their data to be erased before triage ended (`RequestErasure`). */
  'erasure-requested',
  'other',
]);
export type DeclineReason = z.infer<typeof DeclineReason>;

/** Why a case is closed. */
export const ClosureReason = z.enum([
  'objectives-met',
  'objectives-partly-met',
  'handed-over-to-partner',
  'person-withdrew',
  'consent-refused',
  /** The person withdrew the consent they had given (`WithdrawConsent`). */
  'consent-withdrawn',
  /** The person asked for their data to be erased while the case was open (`RequestErasure`). */
  'erasure-requested',
  'unreachable',
  'moved-away',
  'deceased',
  'other',
]);
export type ClosureReason = z.infer<typeof ClosureReason>;

/**
 * How a call or message went: by phone, email, letter, SMS, or the secure messaging of the
 * person's ameli account (`secure-message`, messagerie sécurisée). `appointment` is what earlier
 * versions recorded for a meeting; a meeting is now an appointment of its own (`PlanAppointment`).
 */
export const ContactChannel = z.enum(['phone', 'email', 'letter', 'sms', 'secure-message', 'appointment']);
export type ContactChannel = z.infer<typeof ContactChannel>;

/** Status of an action of the plan. */
export const ActionStatus = z.enum(['planned', 'in-progress', 'done', 'cancelled']);
export type ActionStatus = z.infer<typeof ActionStatus>;

/** What kind of action a plan holds (the accompaniment's toolbox). */
export const ActionKind = z.enum([
  'c2s-application',
  'ass-application',
  'basic-cover-update',
  'carte-vitale-request',
  'declare-gp',
  'ameli-account-setup',
  'orientation-in-care-system',
  'choose-professional',
  'book-appointment',
  'transport-arrangement',
  'out-of-pocket-reduction',
  'prevention-offer',
  'digital-workshop',
  'partner-hand-over',
  'other',
]);
export type ActionKind = z.infer<typeof ActionKind>;

/** Status of a referral to a partner. */
export const PartnerReferralStatus = z.enum(['sent', 'acknowledged', 'in-progress', 'completed', 'refused']);
export type PartnerReferralStatus = z.infer<typeof PartnerReferralStatus>;

/** A right the accompaniment opened or restored. */
export const RightOpened = z.enum([
  'basic-cover',
  'c2s',
  'c2s-with-contribution',
  'complementary-cover',
  'ald',
  'ass-aid',
  'carte-vitale',
  'declared-gp',
  'ameli-account',
  'disability-recognition',
  'other',
]);
export type RightOpened = z.infer<typeof RightOpened>;

/** Roles of the people and systems that act on a case. */
export const ActorRole = z.enum([
  'detector',
  'counsellor',
  'supervisor',
  'data-protection-officer',
  'auditor',
  /** A partner of the accompaniment (CAF, CCAS…) answering the referrals made to it. */
  'partner',
  /** A national role (CNAM): aggregated, non-personal figures across funds only. */
  'national-analyst',
  /** A national auditor: reads the audit entries filed under no fund (national roles' accesses). */
  'national-auditor',
  'system',
]);
export type ActorRole = z.infer<typeof ActorRole>;

/** Age bands kept in the log instead of the birth date, for statistics and rules. */
export const AgeBand = z.enum(['under-18', '18-25', '26-39', '40-59', '60-69', '70-79', '80-plus']);
export type AgeBand = z.infer<typeof AgeBand>;
