/**
 * One row of the national evaluation extract: a case of the register with every direct identifier
 * taken out. The person may object to this use of their data (the form's information notice), so
 * objectors never get a row; the others are known only by a keyed pseudonym.
 */
import { z } from 'zod';
import {
  AgeBand,
  CareType,
  ClosureReason,
  DeclineReason,
  DetectionMode,
  DetectorKind,
  Partner,
  PlanStrand,
  ProblemCategory,
  ReferralChannel,
  ReferralReason,
  RenunciationCause,
  RenunciationDuration,
} from '@misas/core';
import { CaseStep } from '../shared/case-step.ts';
import { RegisterDurations, RegisterOutcomes, TriageDecision } from '../register/register-row.ts';

/** A month `YYYY-MM`: the only date the extract gives, so that no exact day can single anyone out. */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

/** HMAC-SHA256 in lower-case hex. */
const Pseudonym = z.string().regex(/^[0-9a-f]{64}$/, 'an HMAC-SHA256 in hex');

/**
 * A case as the national evaluation sees it. Strict, and built field by field: a field added to
 * the register (an id, a free text, a date) cannot slip in; a row that does not match fails the
 * extract instead of leaving the fund.
 *
 * Left out on purpose: the case id, the subject reference, the counsellor, the detector's service
 * (free text, often a named practice), and every exact date (only the referral month and the
 * durations in days remain).
 */
export const EvaluationRow = z.strictObject({
  /** HMAC-SHA256 of the case id under the extract's key: the same case gets the same pseudonym in every extract made with that key. */
  pseudonym: Pseudonym,
  fundId: z.string().min(1),
  /** The month of the referral date written on the form. */
  referralMonth: Month,
  ageBand: AgeBand,
  channel: ReferralChannel,
  detectionMode: DetectionMode,
  detectorKind: DetectorKind,
  reasons: z.array(ReferralReason),
  careTypes: z.array(CareType),
  renunciationSince: RenunciationDuration.nullable(),
  renunciationCauses: z.array(RenunciationCause),
  triageDecision: TriageDecision.nullable(),
  declineReason: DeclineReason.nullable(),
  closureReason: ClosureReason.nullable(),
  problems: z.array(ProblemCategory),
  strands: z.array(PlanStrand),
  partnersSolicited: z.array(Partner),
  outcomes: RegisterOutcomes,
  durations: RegisterDurations,
  minutesTotal: z.number().int().min(0),
  reopenCount: z.number().int().min(0),
  /** The lifecycle step when the extract was made. */
  status: CaseStep,
});
export type EvaluationRow = z.infer<typeof EvaluationRow>;
