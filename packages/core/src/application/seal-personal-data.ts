/**
 * Sealing: the step that takes personal data out of a command before the domain sees it.
 * The data is written to the vault under a reference; the command keeps only the reference.
 */
import type { CaseCommand, CommandOf } from '../domain/commands.ts';
import { RectifiableField } from '../domain/events/catalogue.ts';
import type { CaseFile } from '../domain/lifecycle/case-file.ts';
import type { DecidableCommand } from '../domain/lifecycle/sealed-command.ts';
import { ageBandAt, splitReferral } from '../domain/referral.ts';
import { ValidationError } from '../errors.ts';
import type { JsonValue, VaultPut } from './ports/personal-data-vault.ts';

/** One vault operation a command needs: puts before its events are appended, shreds after. */
export type VaultWrite =
  | {
      readonly kind: 'put';
      readonly subjectRef: string;
      readonly entry: string;
      readonly value: JsonValue;
      /** True when the subject is new: undoing the write then shreds the whole subject. */
      readonly newSubject: boolean;
    }
  /**
   * Erasure: destroying the key cannot be undone, so it runs only once the `PersonalDataErased`
   * event is appended. Should the process die in between, the erasure relay projection shreds
   * every subject that event names (shredding is idempotent).
   */
  | { readonly kind: 'shred'; readonly subjectRef: string };

/** The puts among a command's vault writes, as an append carries them (`AppendRequest.vaultPuts`). */
export function vaultPutsOf(writes: readonly VaultWrite[]): VaultPut[] {
  return writes.flatMap((write) => (write.kind === 'put' ? [{ subjectRef: write.subjectRef, entry: write.entry, value: write.value }] : []));
}

/** The vault entry holding the personal data of the referral form. */
export const referralEntry = 'referral';

/** The vault entry holding one note's text. */
export function noteEntry(noteId: string): string {
  return `note:${noteId}`;
}

/** The vault entry holding one rectification's new values. */
export function rectificationEntry(rectificationId: string): string {
  return `rectification:${rectificationId}`;
}

/** Separates a command into what `decide` may see and what must go to the vault. */
export function sealPersonalData(
  command: CaseCommand,
  file: CaseFile,
  newId: () => string,
): { readonly sealed: DecidableCommand; readonly writes: readonly VaultWrite[] } {
  switch (command.type) {
    case 'ReceiveReferral': {
      const { facts, personal } = splitReferral(command.data.form);
      const subjectRef = `subj_${newId()}`;
      const channel = command.data.channel ?? (facts.variant === 'internal' ? 'internal-form' : 'external-form');
      return {
        sealed: { ...command, data: { fundId: command.data.fundId, channel, subjectRef, facts } },
        writes: [{ kind: 'put', subjectRef, entry: referralEntry, value: personal as JsonValue, newSubject: true }],
      };
    }
    case 'AddNote': {
      const noteId = newId();
      const writes: VaultWrite[] = file.subjectRef
        ? [{ kind: 'put', subjectRef: file.subjectRef, entry: noteEntry(noteId), value: { text: command.data.text }, newSubject: false }]
        : [];
      return { sealed: { ...command, data: { noteId } }, writes };
    }
    case 'RectifyPersonalData':
      return sealRectification(command, file, newId);
    // A note about a call or an appointment is stored as a note: same entry, same reader, same erasure.
    case 'RecordContactAttempt': {
      const { note, ...data } = command.data;
      const sealed = sealNote(note, file, newId);
      return { sealed: { ...command, data: { ...data, ...sealed.ref } }, writes: sealed.writes };
    }
    case 'PlanAppointment': {
      const { note, ...data } = command.data;
      const sealed = sealNote(note, file, newId);
      return { sealed: { ...command, data: { ...data, ...sealed.ref } }, writes: sealed.writes };
    }
    case 'MoveAppointment': {
      const { note, ...data } = command.data;
      const sealed = sealNote(note, file, newId);
      return { sealed: { ...command, data: { ...data, ...sealed.ref } }, writes: sealed.writes };
    }
    case 'RecordAppointmentHeld': {
      const { note, ...data } = command.data;
      const sealed = sealNote(note, file, newId);
      return { sealed: { ...command, data: { ...data, ...sealed.ref } }, writes: sealed.writes };
    }
    case 'RecordAppointmentMissed': {
      const { note, ...data } = command.data;
      const sealed = sealNote(note, file, newId);
      return { sealed: { ...command, data: { ...data, ...sealed.ref } }, writes: sealed.writes };
    }
    case 'CancelAppointment': {
      const { note, ...data } = command.data;
      const sealed = sealNote(note, file, newId);
      return { sealed: { ...command, data: { ...data, ...sealed.ref } }, writes: sealed.writes };
    }
    case 'ErasePersonalData':
    case 'RequestErasure':
      return { sealed: command, writes: file.subjectRef ? [{ kind: 'shred', subjectRef: file.subjectRef }] : [] };
    default:
      return { sealed: command, writes: [] };
  }
}

/** A note's text to the vault under a fresh `noteId`; nothing when there is no note. */
function sealNote(
  text: string | undefined,
  file: CaseFile,
  newId: () => string,
): { readonly ref: { readonly noteId?: string }; readonly writes: readonly VaultWrite[] } {
  if (text === undefined) return { ref: {}, writes: [] };
  const noteId = newId();
  const writes: VaultWrite[] = file.subjectRef
    ? [{ kind: 'put', subjectRef: file.subjectRef, entry: noteEntry(noteId), value: { text }, newSubject: false }]
    : [];
  return { ref: { noteId }, writes };
}

/**
 * A rectification keeps the new values in a vault entry of its own, numbered after the earlier
 * ones: the referral entry is never rewritten, so the history stays readable until erasure.
 */
function sealRectification(
  command: CommandOf<'RectifyPersonalData'>,
  file: CaseFile,
  newId: () => string,
): { readonly sealed: DecidableCommand; readonly writes: readonly VaultWrite[] } {
  const rectificationId = newId();
  const { person } = command.data;
  const fields = RectifiableField.options.filter((field) => person[field] !== undefined);
  let ageBand;
  if (person.birthDate !== undefined && file.referral) {
    if (person.birthDate > file.referral.referralDate) {
      throw new ValidationError('command', [
        { path: 'data.person.birthDate', rule: 'birth-date-after-referral', message: 'The birth date may not be after the referral date' },
      ]);
    }
    ageBand = ageBandAt(person.birthDate, file.referral.referralDate);
  }
  const value = { sequence: file.rectificationIds.length + 1, person: person as JsonValue };
  const writes: VaultWrite[] = file.subjectRef
    ? [{ kind: 'put', subjectRef: file.subjectRef, entry: rectificationEntry(rectificationId), value, newSubject: false }]
    : [];
  return { sealed: { ...command, data: { rectificationId, fields, ...(ageBand ? { ageBand } : {}) } }, writes };
}
