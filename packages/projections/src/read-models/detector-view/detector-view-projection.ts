/**
 * What a detector may see of the referrals they made: that the accompaniment started and that it
 * ended, with dates — nothing more (DOMAIN: "A detector is told when the accompaniment starts and
 * when it ends, and nothing more"). The log has no detector id: the detector is the actor (role
 * `detector`) who recorded the `ReferralReceived`. A referral recorded by anyone else (a
 * counsellor keying a form in, a reaching-out query) has no detector to show it to.
 */
import { z } from 'zod';
import { Day, dayOf } from '@misas/core';
import type { Projection } from '../../engine/projection.ts';
import { decodeDocument, keyPart } from '../shared/documents.ts';

/** Name (and checkpoint) of the detector view projection. */
export const detectorViewName = 'detector-view';
/** The detector-facing documents, keyed `detector/referralDate/caseId` (oldest referral first). */
export const detectorReferralsCollection = 'referrals';
/** Internal routing `caseId` → the key of its detector-facing document; never shown to a detector. */
export const detectorRoutingCollection = 'routing';

/**
 * One referral as its detector sees it: the case, the referral date, and the days the
 * accompaniment started and ended (`null` until then). Strict: a field added here by mistake
 * fails validation instead of reaching a detector.
 */
export const DetectorReferral = z.strictObject({
  caseId: z.string().min(1),
  referralDate: Day,
  /** The referral was accepted: the accompaniment started. */
  startedOn: Day.nullable(),
  /** The accompaniment ended (closure), or never started (declined, redirected). `null` again after a reopening. */
  endedOn: Day.nullable(),
});
export type DetectorReferral = z.infer<typeof DetectorReferral>;

const Routing = z.strictObject({ key: z.string().min(1) });

/** The key prefix of one detector's referrals. */
export function detectorPrefix(detectorId: string): string {
  return `${keyPart(detectorId)}/`;
}

/** The detector view: one {@link DetectorReferral} per referral a detector recorded. */
export function detectorViewProjection(): Projection {
  return {
    name: detectorViewName,
    handles: ['ReferralReceived', 'ReferralAccepted', 'ReferralRedirected', 'ReferralDeclined', 'CaseClosed', 'CaseReopened', 'PersonalDataErased'],
    collections: [detectorReferralsCollection, detectorRoutingCollection],
    async apply(event, tx) {
      const { caseId, actor, occurredAt } = event.meta;
      if (event.type === 'ReferralReceived') {
        if (actor.role !== 'detector') return;
        const referralDate = event.data.referral.referralDate;
        const key = `${detectorPrefix(actor.id)}${referralDate}/${caseId}`;
        const referral: DetectorReferral = { caseId, referralDate, startedOn: null, endedOn: null };
        await tx.put(detectorReferralsCollection, key, referral);
        await tx.put(detectorRoutingCollection, caseId, { key });
        return;
      }
      const routing = decodeDocument(Routing, await tx.get(detectorRoutingCollection, caseId), detectorRoutingCollection, caseId);
      if (routing === undefined) return;
      if (event.type === 'PersonalDataErased') {
        // Once the person is erased, even "this referral of yours" is no longer kept for anyone.
        await tx.delete(detectorReferralsCollection, routing.key);
        await tx.delete(detectorRoutingCollection, caseId);
        return;
      }
      const current = decodeDocument(DetectorReferral, await tx.get(detectorReferralsCollection, routing.key), detectorReferralsCollection, routing.key);
      if (current === undefined) throw new Error(`${detectorViewName}: routing of case ${caseId} points at a missing document`);
      const day = dayOf(occurredAt);
      const next: DetectorReferral =
        event.type === 'ReferralAccepted'
          ? { ...current, startedOn: day }
          : event.type === 'CaseReopened'
            ? { ...current, endedOn: null }
            : { ...current, endedOn: day };
      await tx.put(detectorReferralsCollection, routing.key, next);
    },
  };
}
