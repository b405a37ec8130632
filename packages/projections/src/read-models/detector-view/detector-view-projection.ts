/**
 * What a detector may see of the referrals they made: that the accompaniment started and that it
 * ended, with dates — nothing more (DOMAIN: "A detector is told when the accompaniment starts and
 * when it ends, and nothing more"). The log has no detector id: the detector is the actor (role
 * `detector`) who recorded the `ReferralReceived`. A referral recorded by anyone else (a
 * counsellor keying a form in, a reaching-out query) has no detector to show it to.
 */
import { z } from 'zod';
import { Day } from '@misas/core';
import { caseProjection } from '../../engine/case-projection.ts';
import type { Projection } from '../../engine/projection.ts';
import { decodeDocument, keyPart } from '../shared/documents.ts';
import { utcDayOf } from '../shared/fast-calendar.ts';

/** Name (and checkpoint) of the detector view projection. */
export const detectorViewName = 'detector-view';
/**
 * The detector-facing documents, keyed `fund/detector/referralDate/caseId` (oldest referral
 * first). A detector id means something only in its fund: a detector of another fund with the
 * same id has another prefix, and sees none of these.
 */
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

/** A detector as the view knows them: their id within their fund. */
export interface DetectorRef {
  readonly fundId: string;
  readonly detectorId: string;
}

/** The key prefix of one detector's referrals, in their fund. */
export function detectorPrefix(detector: DetectorRef): string {
  return `${keyPart(detector.fundId)}/${keyPart(detector.detectorId)}/`;
}

/** What the view holds of one case: its detector-facing document, and where that is. */
interface DetectorCase {
  readonly key: string;
  readonly referral: DetectorReferral;
}

/** The detector view: one {@link DetectorReferral} per referral a detector recorded. */
export function detectorViewProjection(): Projection {
  return caseProjection<DetectorCase>({
    name: detectorViewName,
    handles: ['ReferralReceived', 'ReferralAccepted', 'ReferralRedirected', 'ReferralDeclined', 'CaseClosed', 'CaseReopened', 'PersonalDataErased'],
    collections: [detectorReferralsCollection, detectorRoutingCollection],
    async load(source, caseId) {
      const routing = decodeDocument(Routing, await source.get(detectorRoutingCollection, caseId), detectorRoutingCollection, caseId);
      if (routing === undefined) return undefined;
      const referral = decodeDocument(DetectorReferral, await source.get(detectorReferralsCollection, routing.key), detectorReferralsCollection, routing.key);
      if (referral === undefined) throw new Error(`${detectorViewName}: routing of case ${caseId} points at a missing document`);
      return { key: routing.key, referral };
    },
    evolve(current, event) {
      const { caseId, actor, occurredAt } = event.meta;
      if (event.type === 'ReferralReceived') {
        if (actor.role !== 'detector') return current;
        const referralDate = event.data.referral.referralDate;
        const prefix = detectorPrefix({ fundId: event.data.fundId, detectorId: actor.id });
        return { key: `${prefix}${referralDate}/${caseId}`, referral: { caseId, referralDate, startedOn: null, endedOn: null } };
      }
      if (current === undefined) return undefined;
      // Once the person is erased, even "this referral of yours" is no longer kept for anyone.
      if (event.type === 'PersonalDataErased') return undefined;
      const day = utcDayOf(occurredAt);
      const { referral } = current;
      const next: DetectorReferral =
        event.type === 'ReferralAccepted'
          ? { ...referral, startedOn: day }
          : event.type === 'CaseReopened'
            ? { ...referral, endedOn: null }
            : { ...referral, endedOn: day };
      return { key: current.key, referral: next };
    },
    documents: (caseId, { key, referral }) => [
      { collection: detectorReferralsCollection, key, value: referral },
      { collection: detectorRoutingCollection, key: caseId, value: { key } },
    ],
  });
}
