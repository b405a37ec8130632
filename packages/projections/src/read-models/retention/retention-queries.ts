/**
 * Queries over the retention schedule. `today` comes from the caller (never a clock), so an
 * erasure run can be replayed or checked for any day.
 */
import type { ReadModelReader } from '../../engine/generations.ts';
import { requireDay } from '../shared/days.ts';
import { decodeDocument, scanDocuments } from '../shared/documents.ts';
import { RetentionStatus, ScheduledErasure, retentionCasesCollection, retentionScheduleCollection } from './retention-projection.ts';

/**
 * The erasures due on `today`: every scheduled case whose `eraseOn` is on or before it, oldest
 * first. A case stays listed until its `PersonalDataErased` event is projected, so an erasure run
 * that stopped half-way is simply run again (shredding is idempotent).
 */
export async function dueForErasure(reader: ReadModelReader, today: string): Promise<ScheduledErasure[]> {
  requireDay(today, 'today');
  const due: ScheduledErasure[] = [];
  for await (const document of scanDocuments(reader, retentionScheduleCollection)) {
    const erasure = decodeDocument(ScheduledErasure, document.value, retentionScheduleCollection, document.key);
    // Keys start with the date: the first one after today ends the list.
    if (erasure === undefined || erasure.eraseOn > today) break;
    due.push(erasure);
  }
  return due;
}

/** Where a case stands for retention, or `undefined` for a case the projection does not know. */
export async function retentionOf(reader: ReadModelReader, caseId: string): Promise<RetentionStatus | undefined> {
  return decodeDocument(RetentionStatus, await reader.get(retentionCasesCollection, caseId), retentionCasesCollection, caseId);
}
