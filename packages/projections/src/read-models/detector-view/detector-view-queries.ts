/**
 * The detector's query. Whoever calls it must have authenticated the detector as `detectorId`:
 * the read model answers for the id it is given.
 */
import type { ReadModelReader } from '../../engine/generations.ts';
import { readAllDocuments } from '../shared/documents.ts';
import { DetectorReferral, detectorPrefix, detectorReferralsCollection } from './detector-view-projection.ts';

/** The referrals `detectorId` made, oldest referral date first (then by case id). */
export async function referralsOfDetector(reader: ReadModelReader, detectorId: string): Promise<DetectorReferral[]> {
  return readAllDocuments(reader, detectorReferralsCollection, DetectorReferral, { prefix: detectorPrefix(detectorId) });
}
