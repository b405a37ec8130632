/**
 * The appointments of a case as its file keeps them: enough for the rules (does it exist, is it
 * still planned, has its time come) and for the person's export. Notes stay in the vault.
 */
import { z } from 'zod';
import { BusinessInstant } from '../business-dates.ts';
import type { EventData } from '../events/catalogue.ts';
import { AppointmentPlace, AppointmentStatus } from '../events/appointment-events.ts';
import { Id, ownValue } from '../id.ts';

/** One appointment with the person, as it stands. */
export const AppointmentRecord = z.strictObject({
  at: BusinessInstant,
  place: AppointmentPlace,
  counsellorId: Id,
  status: AppointmentStatus,
});
export type AppointmentRecord = z.infer<typeof AppointmentRecord>;

type Appointments = Readonly<Record<string, AppointmentRecord>>;

/** The appointments after one appointment event (pure; an unknown id changes nothing). */
export const appointmentReducers = {
  AppointmentPlanned: (appointments: Appointments, data: EventData<'AppointmentPlanned'>): Appointments => ({
    ...appointments,
    [data.appointmentId]: { at: data.at, place: data.place, counsellorId: data.counsellorId, status: 'planned' },
  }),
  AppointmentMoved: (appointments: Appointments, data: EventData<'AppointmentMoved'>): Appointments =>
    withStatus(appointments, data.appointmentId, (appointment) => ({ ...appointment, at: data.at, place: data.place, counsellorId: data.counsellorId })),
  AppointmentHeld: (appointments: Appointments, data: EventData<'AppointmentHeld'>): Appointments =>
    withStatus(appointments, data.appointmentId, (appointment) => ({ ...appointment, status: 'held' })),
  AppointmentMissed: (appointments: Appointments, data: EventData<'AppointmentMissed'>): Appointments =>
    withStatus(appointments, data.appointmentId, (appointment) => ({ ...appointment, status: 'missed' })),
  AppointmentCancelled: (appointments: Appointments, data: EventData<'AppointmentCancelled'>): Appointments =>
    withStatus(appointments, data.appointmentId, (appointment) => ({ ...appointment, status: 'cancelled' })),
};

function withStatus(appointments: Appointments, appointmentId: string, change: (appointment: AppointmentRecord) => AppointmentRecord): Appointments {
  const appointment = ownValue(appointments, appointmentId);
  return appointment === undefined ? appointments : { ...appointments, [appointmentId]: change(appointment) };
}
