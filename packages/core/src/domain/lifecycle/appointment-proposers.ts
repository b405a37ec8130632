/**
 * The events the appointment commands propose. Times are written as `Date.toISOString` gives them,
 * so that two instants compare as text (`09:00:00Z` and `09:00:00.000Z` are the same time).
 */
import type { DomainEvent } from '../events/catalogue.ts';
import type { CaseFile } from './case-file.ts';
import { ownValue } from '../id.ts';
import type { Proposer } from './proposal.ts';

/** One instant, in the one shape the log holds. */
export function normalInstant(at: string): string {
  return new Date(at).toISOString();
}

/**
 * The counsellor an appointment is with: the one named, else the case's. Empty when neither is
 * known (a case still in triage): the rule `appointment-counsellor-known` then refuses the command.
 */
export function appointmentCounsellor(named: string | undefined, file: CaseFile): string {
  return named ?? file.counsellorId ?? '';
}

type AppointmentCommand = 'PlanAppointment' | 'MoveAppointment' | 'RecordAppointmentHeld' | 'RecordAppointmentMissed' | 'CancelAppointment';

/** The proposers of the appointment commands, spread into `decide`'s. */
export const appointmentProposers: { readonly [T in AppointmentCommand]: Proposer<T> } = {
  PlanAppointment: ({ command, file, newId }): DomainEvent[] => {
    const { appointmentId, at, counsellorId, ...rest } = command.data;
    return [
      {
        type: 'AppointmentPlanned',
        data: { ...rest, appointmentId: appointmentId ?? newId(), at: normalInstant(at), counsellorId: appointmentCounsellor(counsellorId, file) },
      },
    ];
  },
  MoveAppointment: ({ command, file }): DomainEvent[] => {
    const { appointmentId, at, place, counsellorId, ...rest } = command.data;
    const current = ownValue(file.appointments, appointmentId);
    // An unknown appointment gets placeholder values: the rule `appointment-exists` refuses it.
    return [
      {
        type: 'AppointmentMoved',
        data: {
          ...rest,
          appointmentId,
          at: normalInstant(at),
          place: place ?? current?.place ?? 'phone',
          counsellorId: counsellorId ?? current?.counsellorId ?? appointmentCounsellor(undefined, file),
        },
      },
    ];
  },
  RecordAppointmentHeld: ({ command }): DomainEvent[] => [{ type: 'AppointmentHeld', data: command.data }],
  RecordAppointmentMissed: ({ command }): DomainEvent[] => [{ type: 'AppointmentMissed', data: command.data }],
  CancelAppointment: ({ command }): DomainEvent[] => [{ type: 'AppointmentCancelled', data: command.data }],
};
