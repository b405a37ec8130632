/**
 * The caseload projection: each case's agenda facts, and an index of the open cases of each
 * counsellor. Only open cases are indexed, so that a counsellor's agenda reads their current
 * caseload and not every case they ever held.
 */
import type { CaseEvent } from '@misas/core';
import { caseProjection } from '../../engine/case-projection.ts';
import type { Projection } from '../../engine/projection.ts';
import { isOpenStep, stepAfter } from '../shared/case-step.ts';
import { decodeDocument, keyPart } from '../shared/documents.ts';
import { dayOf } from '@misas/core';
import { CaseloadCase, type CaseloadAppointment } from './caseload-case.ts';

/** Name (and checkpoint) of the caseload projection. */
export const caseloadName = 'caseload';
/** The cases, keyed by case id. */
export const caseloadCasesCollection = 'cases';
/**
 * Index `fund/counsellor/caseId` → `{ caseId }` of the open cases of each counsellor. A counsellor
 * id means something only in its fund: a counsellor of another fund with the same id has another
 * prefix.
 */
export const caseloadByCounsellorCollection = 'open-by-counsellor';
/**
 * Index `fund/counsellor/day/caseId/appointmentId` → `{ caseId, appointmentId }` of the appointments
 * of open cases that are not cancelled, under the counsellor they are with and their (UTC) day:
 * a day's agenda is one prefix scan, however many cases the counsellor holds.
 */
export const appointmentsByDayCollection = 'appointments-by-day';

/** The index prefix of a counsellor's appointments on `day`, in their fund. */
export function appointmentDayPrefix(counsellor: CounsellorRef, day: string): string {
  return `${counsellorIndexPrefix(counsellor)}${keyPart(day)}/`;
}

/** A counsellor as the caseload knows them: their id within their fund. */
export interface CounsellorRef {
  readonly fundId: string;
  readonly counsellorId: string;
}

/** The index prefix of a counsellor's open cases, in their fund. */
export function counsellorIndexPrefix(counsellor: CounsellorRef): string {
  return `${keyPart(counsellor.fundId)}/${keyPart(counsellor.counsellorId)}/`;
}

/** The index key of a counsellor's open case. */
export function counsellorIndexKey(counsellor: CounsellorRef, caseId: string): string {
  return `${counsellorIndexPrefix(counsellor)}${caseId}`;
}

function withAppointment(current: CaseloadCase, appointmentId: string, change: (appointment: CaseloadAppointment) => CaseloadAppointment): CaseloadCase {
  return { ...current, appointments: current.appointments.map((appointment) => (appointment.appointmentId === appointmentId ? change(appointment) : appointment)) };
}

/** What one event changes in a case (the step and the index follow). */
function changed(current: CaseloadCase, event: CaseEvent): CaseloadCase | 'erased' {
  const at = event.meta.occurredAt;
  switch (event.type) {
    case 'ReferralAccepted':
      return { ...current, counsellorId: event.data.counsellorId, acceptedAt: at };
    // The hand-off to the social service, followed like a partner referral (v1 redirections had none).
    case 'ReferralRedirected': {
      if (!event.data.handOff) return current;
      const { referralId, followUpBy } = event.data.handOff;
      return { ...current, partnerReferrals: [...current.partnerReferrals, { referralId, partner: 'social-service', strand: 'social', status: 'sent', followUpBy, madeAt: at }] };
    }
    case 'CounsellorAssigned':
      return { ...current, counsellorId: event.data.counsellorId };
    case 'ContactAttempted':
      return { ...current, lastContactAttemptAt: at, ...(event.data.reached ? { lastContactAt: at } : {}) };
    case 'AppointmentPlanned': {
      const { appointmentId, at: time, place, counsellorId } = event.data;
      return { ...current, appointments: [...current.appointments, { appointmentId, at: time, place, counsellorId, status: 'planned' }] };
    }
    case 'AppointmentMoved': {
      const { at: time, place, counsellorId } = event.data;
      return withAppointment(current, event.data.appointmentId, (appointment) => ({ ...appointment, at: time, place, counsellorId }));
    }
    case 'AppointmentHeld':
      return { ...withAppointment(current, event.data.appointmentId, (appointment) => ({ ...appointment, status: 'held' })), lastContactAt: at };
    case 'AppointmentMissed':
      return withAppointment(current, event.data.appointmentId, (appointment) => ({ ...appointment, status: 'missed' }));
    case 'AppointmentCancelled':
      return withAppointment(current, event.data.appointmentId, (appointment) => ({ ...appointment, status: 'cancelled' }));
    case 'CaseReopened':
      return { ...current, reopenedAt: at };
    case 'PlanAgreed':
      return { ...current, planAgreed: true };
    case 'ActionPlanned': {
      const { actionId, strand, kind, owner, dueDate } = event.data;
      return { ...current, actions: [...current.actions, { actionId, strand, kind, owner, dueDate, status: 'planned' }] };
    }
    case 'ActionStatusChanged':
      return {
        ...current,
        actions: current.actions.map((action) => (action.actionId === event.data.actionId ? { ...action, status: event.data.status } : action)),
      };
    case 'PartnerReferralMade': {
      const { referralId, partner, strand, followUpBy } = event.data;
      return { ...current, partnerReferrals: [...current.partnerReferrals, { referralId, partner, strand, status: 'sent', followUpBy, madeAt: at }] };
    }
    case 'PartnerReferralUpdated':
      return {
        ...current,
        partnerReferrals: current.partnerReferrals.map((referral) =>
          referral.referralId === event.data.referralId ? { ...referral, status: event.data.status } : referral,
        ),
      };
    // An erased case can never be reopened: nothing of it is needed any more.
    case 'PersonalDataErased':
      return 'erased';
    default:
      return current;
  }
}

/** A case after an event: its facts, then its step; `undefined` once erased. */
function evolved(current: CaseloadCase, event: CaseEvent): CaseloadCase | undefined {
  const next = changed(current, event);
  if (next === 'erased') return undefined;
  const status = stepAfter(current.status, event, current.planAgreed);
  return next === current && status === current.status ? current : { ...next, status };
}

/** The caseload of every counsellor: {@link CaseloadCase} documents and the open-case index. */
export function caseloadProjection(): Projection {
  return caseProjection<CaseloadCase>({
    name: caseloadName,
    handles: [
      'ReferralReceived',
      'ReferralAccepted',
      'ReferralRedirected',
      'ReferralDeclined',
      'CounsellorAssigned',
      'ReviewCompleted',
      'ContactAttempted',
      'AppointmentPlanned',
      'AppointmentMoved',
      'AppointmentHeld',
      'AppointmentMissed',
      'AppointmentCancelled',
      'ConsentRecorded',
      'NeedsIdentified',
      'ActionPlanned',
      'ActionStatusChanged',
      'PartnerReferralMade',
      'PartnerReferralUpdated',
      'PlanAgreed',
      'CaseClosed',
      'CaseReopened',
      'PersonalDataErased',
    ],
    collections: [caseloadCasesCollection, caseloadByCounsellorCollection, appointmentsByDayCollection],
    load: async (source, caseId) => decodeDocument(CaseloadCase, await source.get(caseloadCasesCollection, caseId), caseloadCasesCollection, caseId),
    evolve(current, event) {
      const { caseId } = event.meta;
      if (event.type === 'ReferralReceived') {
        return {
          caseId,
          fundId: event.data.fundId,
          counsellorId: null,
          status: 'triage',
          planAgreed: false,
          acceptedAt: null,
          reopenedAt: null,
          lastContactAttemptAt: null,
          lastContactAt: null,
          appointments: [],
          actions: [],
          partnerReferrals: [],
        };
      }
      if (current === undefined) throw new Error(`${caseloadName}: ${event.type} for case ${caseId}, which has no ReferralReceived`);
      return evolved(current, event);
    },
    // Only open cases are indexed, under their counsellor.
    documents: (caseId, entry) => [
      { collection: caseloadCasesCollection, key: caseId, value: entry },
      ...(entry.counsellorId !== null && isOpenStep(entry.status)
        ? [{ collection: caseloadByCounsellorCollection, key: counsellorIndexKey({ fundId: entry.fundId, counsellorId: entry.counsellorId }, caseId), value: { caseId } }]
        : []),
      ...(isOpenStep(entry.status)
        ? entry.appointments
            .filter((appointment) => appointment.status !== 'cancelled')
            .map((appointment) => ({
              collection: appointmentsByDayCollection,
              key: `${appointmentDayPrefix({ fundId: entry.fundId, counsellorId: appointment.counsellorId }, dayOf(appointment.at))}${keyPart(caseId)}/${keyPart(appointment.appointmentId)}`,
              value: { caseId, appointmentId: appointment.appointmentId },
            }))
        : []),
    ],
  });
}
