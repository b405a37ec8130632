/**
 * The person's calls, messages and appointments in their export: what the log says (when, how,
 * who, where), and the note of each while the vault still holds it. After erasure every entry is
 * still given, with its note `null`.
 */
import { z } from 'zod';
import { Actor, AppointmentPlace, AppointmentStatus, ContactChannel, ContactDirection, Instant, type CaseEvent, type PersonalDataRecord } from '@misas/core';
import { bullets, inline, quote, when, words } from './markdown.ts';

const Id = z.string().min(1);
/** A note's text, `null` when there was none or once it is erased. */
const Note = z.string().nullable();

/** One call or message with the person. */
export const ExportedCall = z.strictObject({
  at: Instant,
  by: Actor,
  channel: ContactChannel,
  direction: ContactDirection,
  reached: z.boolean(),
  note: Note,
});
export type ExportedCall = z.infer<typeof ExportedCall>;

/** One step of an appointment: planned, moved, held, missed or cancelled. */
export const ExportedAppointmentStep = z.strictObject({
  at: Instant,
  by: Actor,
  what: z.enum(['planned', 'moved', 'held', 'missed', 'cancelled']),
  note: Note,
});

/** One appointment with the person: where it stands and its history. */
export const ExportedAppointment = z.strictObject({
  appointmentId: Id,
  at: Instant,
  place: AppointmentPlace,
  counsellorId: Id,
  status: AppointmentStatus,
  history: z.array(ExportedAppointmentStep),
});
export type ExportedAppointment = z.infer<typeof ExportedAppointment>;

/** The calls, messages and appointments of the case. */
export const ExportedContacts = z.strictObject({ calls: z.array(ExportedCall), appointments: z.array(ExportedAppointment) });
export type ExportedContacts = z.infer<typeof ExportedContacts>;

const stepOf = {
  AppointmentPlanned: 'planned',
  AppointmentMoved: 'moved',
  AppointmentHeld: 'held',
  AppointmentMissed: 'missed',
  AppointmentCancelled: 'cancelled',
} as const;

/** The contacts section, from the events and what the vault holds (`null` once erased). */
export function contactsSection(events: readonly CaseEvent[], record: PersonalDataRecord | null): ExportedContacts {
  const texts = new Map(record?.notes.map((note) => [note.noteId, note.text]));
  const noteOf = (noteId: string | undefined) => (noteId === undefined ? null : (texts.get(noteId) ?? null));
  const calls: ExportedCall[] = [];
  const appointments = new Map<string, ExportedAppointment>();
  for (const event of events) {
    const { occurredAt: at, actor: by } = event.meta;
    if (event.type === 'ContactAttempted') {
      const { channel, direction, reached, noteId } = event.data;
      calls.push({ at, by, channel, direction, reached, note: noteOf(noteId) });
      continue;
    }
    if (
      event.type !== 'AppointmentPlanned' &&
      event.type !== 'AppointmentMoved' &&
      event.type !== 'AppointmentHeld' &&
      event.type !== 'AppointmentMissed' &&
      event.type !== 'AppointmentCancelled'
    ) {
      continue;
    }
    const step = { at, by, what: stepOf[event.type], note: noteOf(event.data.noteId) };
    const { appointmentId } = event.data;
    const known = appointments.get(appointmentId);
    if (event.type === 'AppointmentPlanned' || event.type === 'AppointmentMoved') {
      const { at: time, place, counsellorId } = event.data;
      appointments.set(appointmentId, { appointmentId, at: time, place, counsellorId, status: 'planned', history: [...(known?.history ?? []), step] });
    } else if (known !== undefined) {
      const status = event.type === 'AppointmentHeld' ? 'held' : event.type === 'AppointmentMissed' ? 'missed' : 'cancelled';
      appointments.set(appointmentId, { ...known, status, history: [...known.history, step] });
    }
  }
  return { calls, appointments: [...appointments.values()] };
}

/** The section in words, for the readable document. */
export function renderContacts(contacts: ExportedContacts): string {
  const noted = (line: string, note: string | null) => (note === null ? line : `${line}\n\n  ${quote(note).replaceAll('\n', '\n  ')}`);
  const calls = contacts.calls.map((call) =>
    noted(`${when(call.at)}: ${call.direction === 'incoming' ? 'you contacted us' : 'we contacted you'} by ${words(call.channel)}; ${call.reached ? 'reached' : 'not reached'}`, call.note),
  );
  const appointments = contacts.appointments.map((appointment) => {
    const head = `Appointment ${inline(appointment.appointmentId)} at ${when(appointment.at)} (${words(appointment.place)}) with ${inline(appointment.counsellorId)}: ${appointment.status}`;
    const steps = appointment.history.map((step) => noted(`${when(step.at)}: ${step.what}`, step.note));
    return `${head}\n\n${steps.map((step) => `  - ${step}`).join('\n')}`;
  });
  return `## Calls and appointments\n\n${bullets([...calls, ...appointments], 'There were no calls and no appointments.')}`;
}
