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
import { Day, defaultPolicies, type PolicyProvider } from '@misas/core';
import { caseProjection } from '../../engine/case-projection.ts';
import type { Projection } from '../../engine/projection.ts';
import { decodeDocument } from '../shared/documents.ts';
import { plusMonths, utcDayOf } from '../shared/fast-calendar.ts';

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

/** The erasure a scheduled case is listed under. */
function erasureOf(status: Extract<RetentionStatus, { state: 'scheduled' }>): ScheduledErasure {
  const { caseId, fundId, subjectRef, endReason, endedOn, retentionMonths, eraseOn } = status;
  return { caseId, fundId, subjectRef, endReason, endedOn, retentionMonths, eraseOn };
}

/**
 * The retention schedule, with each fund's retention from `policies` (default: 18 months
 * everywhere). A provider that does not know a case's fund throws, and the projection stops
 * there until the fund is configured: guessing a retention period would be worse.
 */
export function retentionProjection(options: { readonly policies?: PolicyProvider } = {}): Projection {
  const policies = options.policies ?? defaultPolicies;
  return caseProjection<RetentionStatus>({
    name: retentionName,
    handles: ['ReferralReceived', 'ReferralDeclined', 'ReferralRedirected', 'CaseClosed', 'CaseReopened', 'PersonalDataErased'],
    collections: [retentionCasesCollection, retentionScheduleCollection],
    load: async (source, caseId) => decodeDocument(RetentionStatus, await source.get(retentionCasesCollection, caseId), retentionCasesCollection, caseId),
    evolve(current, event) {
      if (event.type === 'ReferralReceived') {
        const { fundId, subjectRef } = event.data;
        return { state: 'open', caseId: event.meta.caseId, fundId, subjectRef };
      }
      if (current === undefined) throw new Error(`${retentionName}: case ${event.meta.caseId} has no ReferralReceived`);
      const { caseId, fundId, subjectRef } = current;
      switch (event.type) {
        case 'CaseReopened':
          return { state: 'open', caseId, fundId, subjectRef };
        case 'PersonalDataErased':
          return { state: 'erased', caseId, fundId, subjectRef, erasedOn: utcDayOf(event.meta.occurredAt) };
        case 'CaseClosed':
        case 'ReferralDeclined':
        case 'ReferralRedirected': {
          const endedOn = utcDayOf(event.meta.occurredAt);
          const retentionMonths = policies(fundId).retentionMonthsAfterClosure;
          return { state: 'scheduled', caseId, fundId, subjectRef, endReason: endOf[event.type], endedOn, retentionMonths, eraseOn: plusMonths(endedOn, retentionMonths) };
        }
        default:
          return current;
      }
    },
    documents: (caseId, status) => [
      { collection: retentionCasesCollection, key: caseId, value: status },
      ...(status.state === 'scheduled' ? [{ collection: retentionScheduleCollection, key: scheduleKey(status), value: erasureOf(status) }] : []),
    ],
  });
}
