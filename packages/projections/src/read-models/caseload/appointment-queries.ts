/**
 * A counsellor's appointments of one day, from the caseload's day index. What is returned is
 * decided on the case documents themselves (fund, open step, counsellor, day), never on the index
 * alone: an index entry is a pointer, not a permission.
 */
import { z } from 'zod';
import { dayOf } from '@misas/core';
import type { ReadModelReader } from '../../engine/generations.ts';
import { isOpenStep, type CaseStep } from '../shared/case-step.ts';
import { requireDay } from '../shared/days.ts';
import { compareKeys, decodeDocument, scanDocuments } from '../shared/documents.ts';
import { CaseloadCase, type CaseloadAppointment } from './caseload-case.ts';
import { appointmentDayPrefix, appointmentsByDayCollection, caseloadCasesCollection, type CounsellorRef } from './caseload-projection.ts';

/** One appointment on a counsellor's day: the case, its step, and the appointment (no personal data). */
export type DayAppointment = CaseloadAppointment & {
  /** The case the appointment belongs to. */
  readonly caseId: string;
  /** The step that case is at now (always an open step). */
  readonly caseStatus: CaseStep;
};

const IndexEntry = z.strictObject({ caseId: z.string().min(1), appointmentId: z.string().min(1) });

/**
 * The appointments of `counsellor` on `day` (a UTC calendar day), on open cases of their fund:
 * planned, held or missed — cancelled ones are off the agenda, moved ones are on their new day.
 * In time order.
 */
export async function appointmentsOfDay(reader: ReadModelReader, counsellor: CounsellorRef, options: { readonly day: string }): Promise<DayAppointment[]> {
  const day = requireDay(options.day, 'day');
  const found: DayAppointment[] = [];
  const cases = new Map<string, CaseloadCase | undefined>();
  for await (const entry of scanDocuments(reader, appointmentsByDayCollection, { prefix: appointmentDayPrefix(counsellor, day) })) {
    const pointer = IndexEntry.safeParse(entry.value);
    if (!pointer.success) continue;
    const { caseId, appointmentId } = pointer.data;
    if (!cases.has(caseId)) cases.set(caseId, decodeDocument(CaseloadCase, await reader.get(caseloadCasesCollection, caseId), caseloadCasesCollection, caseId));
    const file = cases.get(caseId);
    if (file === undefined || file.fundId !== counsellor.fundId || !isOpenStep(file.status)) continue;
    const appointment = file.appointments.find((candidate) => candidate.appointmentId === appointmentId);
    // The index and the case are written in one transaction; a stale entry is skipped, not trusted.
    if (appointment === undefined || appointment.counsellorId !== counsellor.counsellorId || appointment.status === 'cancelled' || dayOf(appointment.at) !== day) continue;
    found.push({ ...appointment, caseId, caseStatus: file.status });
  }
  return found.sort((a, b) => compareKeys(a.at, b.at) || compareKeys(a.caseId, b.caseId) || compareKeys(a.appointmentId, b.appointmentId));
}
