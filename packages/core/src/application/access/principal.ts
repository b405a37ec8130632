/**
 * Who is asking: the authenticated user, as the embedding application vouches for them. The
 * library does not authenticate anyone; it decides what an authenticated principal may do.
 */
import { z } from 'zod';
import { Id } from '../../domain/id.ts';
import { Partner } from '../../domain/vocabulary.ts';

const FundId = Id;

/** Detectors the access rules know: the kinds of people who file referrals themselves. */
export const DetectorOrigin = z.enum(['health-insurance-service', 'health-professional', 'external-partner']);
export type DetectorOrigin = z.infer<typeof DetectorOrigin>;

/** An authenticated user and what their role is scoped to. */
export const Principal = z.discriminatedUnion('role', [
  /** Files referrals and sees the start and end of their own. Only an internal service may file the internal form (NIR). */
  z.strictObject({ role: z.literal('detector'), id: Id, fundId: FundId, origin: DetectorOrigin }),
  /** Works their own cases and their team's (`team`: the counsellor ids of their team), and the fund's unassigned referrals. */
  z.strictObject({ role: z.literal('counsellor'), id: Id, fundId: FundId, team: z.array(Id).default([]) }),
  /** Assigns cases and reads their fund's cases and figures. */
  z.strictObject({ role: z.literal('supervisor'), id: Id, fundId: FundId }),
  /** Handles the person's rights (access, rectification, erasure) in their fund. */
  z.strictObject({ role: z.literal('data-protection-officer'), id: Id, fundId: FundId }),
  /** Reads the audit trail of their fund. */
  z.strictObject({ role: z.literal('auditor'), id: Id, fundId: FundId }),
  /** A partner of the accompaniment: answers the referrals made to it in one fund. */
  z.strictObject({ role: z.literal('partner'), id: Id, fundId: FundId, partner: Partner }),
  /** National (CNAM): aggregated, non-personal figures across funds, and the evaluation extract. */
  z.strictObject({ role: z.literal('national-analyst'), id: Id }),
  /** National: reads the audit entries filed under no fund — what national roles did or were refused. */
  z.strictObject({ role: z.literal('national-auditor'), id: Id }),
  /** The library's own processes (scheduler): reminders, closures and erasures that fall due. */
  z.strictObject({ role: z.literal('system'), id: Id, fundId: FundId.optional() }),
]);
export type Principal = z.infer<typeof Principal>;
/** A principal as a caller may write it (defaults optional). */
export type PrincipalInput = z.input<typeof Principal>;

/** The principal's fund, or `null` for a national role (or a system process serving every fund). */
export function fundOf(principal: Principal): string | null {
  return 'fundId' in principal ? (principal.fundId ?? null) : null;
}
