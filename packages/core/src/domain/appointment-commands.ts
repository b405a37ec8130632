/**
 * The commands of appointments with the person, at any open step: plan one, move it, and record
 * that it was held, missed or cancelled. A note about it goes to the vault, never to the log.
 */
import { z } from 'zod';
import { BusinessInstant } from './business-dates.ts';
import { defineCommand } from './command-envelope.ts';
import { AppointmentParty, AppointmentPlace } from './events/appointment-events.ts';
import { Id } from './id.ts';
import { freeText } from './text.ts';

const note = { note: freeText(10_000).optional() };

export const PlanAppointment = defineCommand(
  'PlanAppointment',
  "Plan an appointment with the person: when (`at`, future allowed), where, and with which counsellor (the case's by default).",
  z.strictObject({ appointmentId: Id.optional(), at: BusinessInstant, place: AppointmentPlace, counsellorId: Id.optional(), ...note }),
);
export const MoveAppointment = defineCommand(
  'MoveAppointment',
  'Move a planned appointment to another time, place or counsellor (the ones left out stay as they were).',
  z.strictObject({ appointmentId: Id, at: BusinessInstant, place: AppointmentPlace.optional(), counsellorId: Id.optional(), ...note }),
);
export const RecordAppointmentHeld = defineCommand(
  'RecordAppointmentHeld',
  'Record that a planned appointment took place (at `occurredAt`, now by default: never in the future).',
  z.strictObject({ appointmentId: Id, ...note }),
);
export const RecordAppointmentMissed = defineCommand(
  'RecordAppointmentMissed',
  'Record that a planned appointment did not take place, and who missed it.',
  z.strictObject({ appointmentId: Id, missedBy: AppointmentParty, ...note }),
);
export const CancelAppointment = defineCommand(
  'CancelAppointment',
  'Cancel a planned appointment beforehand, saying who cancelled it.',
  z.strictObject({ appointmentId: Id, cancelledBy: AppointmentParty, ...note }),
);

/** The appointment commands, registered in `CaseCommand`. */
export const appointmentCommands = [PlanAppointment, MoveAppointment, RecordAppointmentHeld, RecordAppointmentMissed, CancelAppointment] as const;
