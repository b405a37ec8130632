/**
 * The retention schedule: when each person's personal data must be erased. The information
 * notice promises at most 18 months after the end of the accompaniment; the fund's policy may say
 * less (`retentionMonthsAfterClosure`). The end is the closure, or the triage decision for a
 * referral declined or redirected (it never became an accompaniment). A reopened case leaves the
 * schedule and comes back at its next closure; an erased one leaves it for good.
 *
 * The policy is read when the end is projected: after a fund changes its retention, rebuild the
 * projection to reschedule the cases already ended.
 */
import { z } from 'zod';
import { addMonths, Day, dayOf, defaultPolicies, type PolicyProvider, type ProjectionTransaction } from '@misas/core';
import type { Projection } from '../../engine/projection.ts';
import { decodeDocument } from '../shared/documents.ts';

/** Name (and checkpoint) of the retention projection. */
export const retentionName = 'retention';
/** Each case's retention status, keyed by case id. */
export const retentionCasesCollection = 'cases';
/** The erasures to come, keyed `eraseOn/caseId` so that they list in date order. */
export const retentionScheduleCollection = 'schedule';

/** What ended the case's use of personal data. */
export const RetentionEnd = z.enum(['closed', 'declined', 'redirected']);
export type RetentionEnd = z.infer<typeof RetentionEnd>;

const caseShape = { caseId: z.string().min(1), fundId: z.string().min(1), subjectRef: z.string().min(1) };

/** A scheduled erasure: the subject to shred, from which day, and why that day. */
export const ScheduledErasure = z.strictObject({
  ...caseShape,
  endReason: RetentionEnd,
  endedOn: Day,
  retentionMonths: z.number().int().min(1),
  /** `endedOn` plus `retentionMonths` (clamped to the month's end): erase on this day at the latest. */
  eraseOn: Day,
});
export type ScheduledErasure = z.infer<typeof ScheduledErasure>;

/** Where a case stands: still open, scheduled for erasure, or erased. */
export const RetentionStatus = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('open'), ...caseShape }),
  z.strictObject({ state: z.literal('scheduled'), ...ScheduledErasure.shape }),
  z.strictObject({ state: z.literal('erased'), ...caseShape, erasedOn: Day }),
]);
export type RetentionStatus = z.infer<typeof RetentionStatus>;

/** The schedule key of an erasure. */
export function scheduleKey(erasure: Pick<ScheduledErasure, 'eraseOn' | 'caseId'>): string {
  return `${erasure.eraseOn}/${erasure.caseId}`;
}

const endOf = { CaseClosed: 'closed', ReferralDeclined: 'declined', ReferralRedirected: 'redirected' } as const;

async function statusOf(tx: ProjectionTransaction, caseId: string): Promise<RetentionStatus> {
  const status = decodeDocument(RetentionStatus, await tx.get(retentionCasesCollection, caseId), retentionCasesCollection, caseId);
  if (status === undefined) throw new Error(`${retentionName}: case ${caseId} has no ReferralReceived`);
  return status;
}

/**
 * The retention schedule, with each fund's retention from `policies` (default: 18 months
 * everywhere). A provider that does not know a case's fund throws, and the projection stops
 * there until the fund is configured: guessing a retention period would be worse.
 */
export function retentionProjection(options: { readonly policies?: PolicyProvider } = {}): Projection {
  const policies = options.policies ?? defaultPolicies;
  return {
    name: retentionName,
    handles: ['ReferralReceived', 'ReferralDeclined', 'ReferralRedirected', 'CaseClosed', 'CaseReopened', 'PersonalDataErased'],
    collections: [retentionCasesCollection, retentionScheduleCollection],
    async apply(event, tx) {
      const { caseId } = event.meta;
      if (event.type === 'ReferralReceived') {
        const { fundId, subjectRef } = event.data;
        await tx.put(retentionCasesCollection, caseId, { state: 'open', caseId, fundId, subjectRef });
        return;
      }
      const current = await statusOf(tx, caseId);
      if (current.state === 'scheduled') await tx.delete(retentionScheduleCollection, scheduleKey(current));
      const { caseId: id, fundId, subjectRef } = current;
      switch (event.type) {
        case 'CaseReopened':
          await tx.put(retentionCasesCollection, caseId, { state: 'open', caseId: id, fundId, subjectRef });
          return;
        case 'PersonalDataErased':
          await tx.put(retentionCasesCollection, caseId, { state: 'erased', caseId: id, fundId, subjectRef, erasedOn: dayOf(event.meta.occurredAt) });
          return;
        case 'CaseClosed':
        case 'ReferralDeclined':
        case 'ReferralRedirected': {
          const endedOn = dayOf(event.meta.occurredAt);
          const retentionMonths = policies(fundId).retentionMonthsAfterClosure;
          const erasure: ScheduledErasure = { caseId: id, fundId, subjectRef, endReason: endOf[event.type], endedOn, retentionMonths, eraseOn: addMonths(endedOn, retentionMonths) };
          await tx.put(retentionScheduleCollection, scheduleKey(erasure), erasure);
          await tx.put(retentionCasesCollection, caseId, { state: 'scheduled', ...erasure });
          return;
        }
        default:
          return;
      }
    },
  };
}
