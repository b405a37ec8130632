/**
 * What a detector may see of the referrals they made: what they were told, with dates — that the
 * accompaniment started and that it ended, or that it never started and why — nothing more
 * (DOMAIN: "A detector is told when the accompaniment starts and when it ends, and nothing more").
 * The view follows the `DetectorNotificationRequested` facts, so it shows exactly what was sent. The log has no detector id: the detector is the actor (role
 * `detector`) who recorded the `ReferralReceived`. A referral recorded by anyone else (a
 * counsellor keying a form in, a reaching-out query) has no detector to show it to.
 */
import { z } from 'zod';
import { Day, NotStartedReason } from '@misas/core';
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
 * accompaniment started and ended, or the day it was found never to start and why (`null` until
 * then). Strict: a field added here by mistake fails validation instead of reaching a detector.
 */
export const DetectorReferral = z.strictObject({
  caseId: z.string().min(1),
  referralDate: Day,
  /** The plan was agreed with the consenting person: the accompaniment started (before v2 notices, the day of triage). */
  startedOn: Day.nullable(),
  /** The accompaniment ended (closure after its start). `null` again after a reopening. */
  endedOn: Day.nullable(),
  /** The referral ended before any accompaniment started. `null` again after a reopening. Defaults keep documents written before it readable. */
  notStartedOn: Day.nullable().default(null),
  /** Why it never started (declined, redirected, unreachable…). */
  notStartedReason: NotStartedReason.nullable().default(null),
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
    handles: ['ReferralReceived', 'DetectorNotificationRequested', 'CaseReopened', 'PersonalDataErased'],
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
        return {
          key: `${prefix}${referralDate}/${caseId}`,
          referral: { caseId, referralDate, startedOn: null, endedOn: null, notStartedOn: null, notStartedReason: null },
        };
      }
      if (current === undefined) return undefined;
      // Once the person is erased, even "this referral of yours" is no longer kept for anyone.
      if (event.type === 'PersonalDataErased') return undefined;
      const day = utcDayOf(occurredAt);
      const { referral } = current;
      if (event.type === 'CaseReopened') return { key: current.key, referral: { ...referral, endedOn: null, notStartedOn: null, notStartedReason: null } };
      if (event.type !== 'DetectorNotificationRequested') return current;
      const told = event.data;
      const next: DetectorReferral =
        told.notice === 'accompaniment-started'
          ? { ...referral, startedOn: referral.startedOn ?? day }
          : told.notice === 'accompaniment-ended'
            ? { ...referral, endedOn: day }
            : { ...referral, notStartedOn: day, notStartedReason: told.reason ?? null };
      return { key: current.key, referral: next };
    },
    documents: (caseId, { key, referral }) => [
      { collection: detectorReferralsCollection, key, value: referral },
      { collection: detectorRoutingCollection, key: caseId, value: { key } },
    ],
  });
}
