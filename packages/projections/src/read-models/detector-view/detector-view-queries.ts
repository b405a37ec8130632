/**
 * The detector's query. Whoever calls it must have authenticated the detector as `detectorId` of
 * `fundId`: the read model answers for the detector it is given.
 */
import type { ReadModelReader } from '../../engine/generations.ts';
import { readAllDocuments } from '../shared/documents.ts';
import { DetectorReferral, detectorPrefix, detectorReferralsCollection, type DetectorRef } from './detector-view-projection.ts';

/** The referrals `detector` made in their fund, oldest referral date first (then by case id). */
export async function referralsOfDetector(reader: ReadModelReader, detector: DetectorRef): Promise<DetectorReferral[]> {
  return readAllDocuments(reader, detectorReferralsCollection, DetectorReferral, { prefix: detectorPrefix(detector) });
}
