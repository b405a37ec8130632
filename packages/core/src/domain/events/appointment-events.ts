/**
 * Calls, messages and appointments with the person, at any open step (seed 000: "L'accompagnement
 * s'effectue à distance par téléphone ou lors de rendez-vous"). The vocabulary they use, and the
 * appointment events; the call-or-message event is `ContactAttempted` in the catalogue.
 *
 * No free text here: a note about a call or an appointment goes to the vault under `noteId`.
 */
import { z } from 'zod';
import { BusinessInstant } from '../business-dates.ts';
import { Id } from '../id.ts';
import { defineEvent } from './define-event.ts';

/** Who started a call or a message: the counsellor (`outgoing`) or the person (`incoming`). */
export const ContactDirection = z.enum(['outgoing', 'incoming']);
export type ContactDirection = z.infer<typeof ContactDirection>;

/**
 * Where an appointment takes place, as the seeds name them (seed 004, "outils locaux"): by phone,
 * "rendez-vous encadrés dans nos agences" (`branch`), "permanences de proximité" (`local-drop-in`).
 * The seeds mention no home visit by the counsellor, so there is none.
 */
export const AppointmentPlace = z.enum(['phone', 'branch', 'local-drop-in']);
export type AppointmentPlace = z.infer<typeof AppointmentPlace>;

/** Who missed or cancelled an appointment. */
export const AppointmentParty = z.enum(['person', 'counsellor']);
export type AppointmentParty = z.infer<typeof AppointmentParty>;

/** Where an appointment stands. `moved` is not a status: a moved appointment is planned at its new time. */
export const AppointmentStatus = z.enum(['planned', 'held', 'missed', 'cancelled']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

const note = { noteId: Id.optional() };

export const AppointmentPlanned = defineEvent(
  'AppointmentPlanned',
  1,
  'An appointment with the person was planned: when (`at`, which may be in the future), where (`place`) and with which counsellor. A note, if any, is in the vault under `noteId`.',
  z.strictObject({ appointmentId: Id, at: BusinessInstant, place: AppointmentPlace, counsellorId: Id, ...note }),
);

export const AppointmentMoved = defineEvent(
  'AppointmentMoved',
  1,
  'A planned appointment was moved: its new time, place and counsellor replace the earlier ones; it stays planned.',
  z.strictObject({ appointmentId: Id, at: BusinessInstant, place: AppointmentPlace, counsellorId: Id, ...note }),
);

export const AppointmentHeld = defineEvent(
  'AppointmentHeld',
  1,
  'A planned appointment took place (at the event’s `occurredAt`, never in the future). It counts as a contact with the person.',
  z.strictObject({ appointmentId: Id, ...note }),
);

export const AppointmentMissed = defineEvent(
  'AppointmentMissed',
  1,
  'A planned appointment did not take place because `missedBy` did not come (recorded once its time had come).',
  z.strictObject({ appointmentId: Id, missedBy: AppointmentParty, ...note }),
);

export const AppointmentCancelled = defineEvent(
  'AppointmentCancelled',
  1,
  'A planned appointment was cancelled beforehand, by the person or by the counsellor.',
  z.strictObject({ appointmentId: Id, cancelledBy: AppointmentParty, ...note }),
);

/** The appointment events, in the order of an appointment's life. */
export const appointmentEventDefinitions = [AppointmentPlanned, AppointmentMoved, AppointmentHeld, AppointmentMissed, AppointmentCancelled] as const;
