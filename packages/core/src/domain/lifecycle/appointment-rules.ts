/**
 * The rules of the appointment commands. Planning may look ahead (an appointment is usually in
 * the future); what happened may not: an appointment is held or missed once its time has come,
 * and `decide` already refuses any `occurredAt` after now.
 */
import { ownValue } from '../id.ts';
import type { CaseFile } from './case-file.ts';
import type { RuleBook, RuleContext } from './rule-types.ts';

const time = (instant: string) => Date.parse(instant);

function appointmentOf(file: CaseFile, appointmentId: string) {
  return ownValue(file.appointments, appointmentId);
}

/** A command on an appointment already planned. */
interface OnAppointment {
  readonly data: { readonly appointmentId: string };
}

/** The rules every command on an existing appointment shares. */
const onPlanned = [
  {
    name: 'appointment-exists',
    description: 'The appointment was planned on this case (PlanAppointment).',
    check: (command: OnAppointment, { file }: RuleContext) =>
      appointmentOf(file, command.data.appointmentId) === undefined ? `appointment ${command.data.appointmentId} was never planned on this case` : undefined,
  },
  {
    name: 'appointment-still-planned',
    description: 'A held, missed or cancelled appointment does not change any more: plan a new one.',
    check: (command: OnAppointment, { file }: RuleContext) => {
      const status = appointmentOf(file, command.data.appointmentId)?.status;
      return status !== undefined && status !== 'planned' ? `appointment ${command.data.appointmentId} is already ${status}` : undefined;
    },
  },
] as const;

const notBeforePlanning = {
  name: 'appointment-not-before-planning',
  description: 'An appointment is planned (or moved) for a time not before the moment it is planned: what already happened is recorded as held or missed.',
} as const;

const timeReached = {
  name: 'appointment-time-reached',
  description: 'An appointment is held or missed once its time has come (`occurredAt` not before the appointment’s time).',
  check: (command: OnAppointment, { file, occurredAt }: RuleContext) => {
    const appointment = appointmentOf(file, command.data.appointmentId);
    return appointment !== undefined && time(occurredAt) < time(appointment.at)
      ? `appointment ${command.data.appointmentId} is at ${appointment.at}, after ${occurredAt}: record it once it has taken place`
      : undefined;
  },
} as const;

/** The appointment commands' rules, spread into `businessRules`. */
export const appointmentRules: RuleBook = {
  PlanAppointment: [
    {
      name: 'appointment-id-unique',
      description: 'An appointment id names one appointment of the case.',
      check: (command, { file }) =>
        command.data.appointmentId !== undefined && appointmentOf(file, command.data.appointmentId) !== undefined
          ? `appointment ${command.data.appointmentId} already exists`
          : undefined,
    },
    {
      name: 'appointment-counsellor-known',
      description: "An appointment is with a counsellor: the one named (`counsellorId`), else the case's.",
      check: (command, { file }) =>
        command.data.counsellorId === undefined && file.counsellorId === null ? 'the case has no counsellor yet: give counsellorId' : undefined,
    },
    {
      ...notBeforePlanning,
      check: (command, { occurredAt }) =>
        time(command.data.at) < time(occurredAt) ? `at ${command.data.at} is before the moment it is planned (${occurredAt})` : undefined,
    },
  ],
  MoveAppointment: [
    ...onPlanned,
    {
      ...notBeforePlanning,
      check: (command, { occurredAt }) =>
        time(command.data.at) < time(occurredAt) ? `at ${command.data.at} is before the moment it is moved (${occurredAt})` : undefined,
    },
    {
      name: 'appointment-move-changes',
      description: 'A move changes the time, the place or the counsellor.',
      check: (command, { file }) => {
        const appointment = appointmentOf(file, command.data.appointmentId);
        if (appointment === undefined) return undefined;
        const same =
          time(appointment.at) === time(command.data.at) &&
          (command.data.place ?? appointment.place) === appointment.place &&
          (command.data.counsellorId ?? appointment.counsellorId) === appointment.counsellorId;
        return same ? `appointment ${command.data.appointmentId} is already at ${appointment.at} (${appointment.place}) with ${appointment.counsellorId}` : undefined;
      },
    },
  ],
  RecordAppointmentHeld: [...onPlanned, timeReached],
  RecordAppointmentMissed: [...onPlanned, timeReached],
  CancelAppointment: [
    ...onPlanned,
    {
      name: 'appointment-cancelled-beforehand',
      description: 'An appointment is cancelled before its time; once its time has come it was held or missed.',
      check: (command, { file, occurredAt }) => {
        const appointment = appointmentOf(file, command.data.appointmentId);
        return appointment !== undefined && time(occurredAt) >= time(appointment.at)
          ? `appointment ${command.data.appointmentId} was at ${appointment.at}: record it as held or missed`
          : undefined;
      },
    },
  ],
};
