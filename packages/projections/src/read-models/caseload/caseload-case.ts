/**
 * What a counsellor's caseload and agenda need to know about one case: its owner and step, when it
 * was accepted and last contacted, its appointments, its actions and its partner referrals. No personal data.
 */
import { z } from 'zod';
import { ActionKind, ActionOwner, ActionStatus, AppointmentPlace, AppointmentStatus, Day, Instant, Partner, PartnerReferralStatus, PlanStrand } from '@misas/core';
import { CaseStep } from '../shared/case-step.ts';

/** One action of a case's plan. */
export const CaseloadAction = z.strictObject({
  actionId: z.string().min(1),
  strand: PlanStrand,
  kind: ActionKind,
  owner: ActionOwner,
  dueDate: Day,
  status: ActionStatus,
});
export type CaseloadAction = z.infer<typeof CaseloadAction>;

/** One referral of the person to a partner, with the partner's latest answer. */
export const CaseloadPartnerReferral = z.strictObject({
  referralId: z.string().min(1),
  partner: Partner,
  strand: PlanStrand,
  status: PartnerReferralStatus,
  followUpBy: Day,
  madeAt: Instant,
});
export type CaseloadPartnerReferral = z.infer<typeof CaseloadPartnerReferral>;

/** One appointment with the person, where it stands (its note stays in the vault). */
export const CaseloadAppointment = z.strictObject({
  appointmentId: z.string().min(1),
  at: Instant,
  place: AppointmentPlace,
  counsellorId: z.string().min(1),
  status: AppointmentStatus,
});
export type CaseloadAppointment = z.infer<typeof CaseloadAppointment>;

/** A case as the caseload sees it. */
export const CaseloadCase = z.strictObject({
  caseId: z.string().min(1),
  fundId: z.string().min(1),
  counsellorId: z.string().min(1).nullable(),
  status: CaseStep,
  /** A plan was agreed once: a reopened case then goes back to the accompaniment. */
  planAgreed: z.boolean(),
  acceptedAt: Instant.nullable(),
  /** The latest reopening: the case came back on the desk then. */
  reopenedAt: Instant.nullable(),
  lastContactAttemptAt: Instant.nullable(),
  /**
   * The latest contact with the person: a call or message that reached them (either way), or an
   * appointment held. Defaults for documents written before it existed (rebuild to fill it).
   */
  lastContactAt: Instant.nullable().default(null),
  appointments: z.array(CaseloadAppointment).default([]),
  actions: z.array(CaseloadAction),
  partnerReferrals: z.array(CaseloadPartnerReferral),
});
export type CaseloadCase = z.infer<typeof CaseloadCase>;
