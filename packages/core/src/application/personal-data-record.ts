/**
 * Reading a person's data back from the vault: the referral as filed, the rectifications made
 * since (in order), the notes, and the data as it stands today. Every entry is validated: a vault
 * entry that does not match its schema is reported by name, never by content.
 */
import { z } from 'zod';
import { RectifiedPerson } from '../domain/commands.ts';
import { ReferralPersonalData } from '../domain/referral.ts';
import { MisasError } from '../errors.ts';
import type { PersonalDataVault } from './ports/personal-data-vault.ts';
import { referralEntry } from './seal-personal-data.ts';

const rectificationPrefix = 'rectification:';
const notePrefix = 'note:';

const StoredRectification = z.strictObject({ sequence: z.number().int().min(1), person: RectifiedPerson });
const StoredNote = z.strictObject({ text: z.string() });

/** One rectification: its id (as in `PersonalDataRectified`), its order, and the values it set. */
export interface RectificationRecord {
  readonly rectificationId: string;
  readonly sequence: number;
  readonly person: RectifiedPerson;
}

/** Everything the vault holds about one person. */
export interface PersonalDataRecord {
  /** The referral's personal data with every rectification applied. */
  readonly current: ReferralPersonalData;
  /** The referral's personal data as filed. */
  readonly asFiled: ReferralPersonalData;
  readonly rectifications: readonly RectificationRecord[];
  readonly notes: readonly { readonly noteId: string; readonly text: string }[];
}

/** What the vault answers for a person. */
export type PersonalDataRead =
  | { readonly status: 'found'; readonly record: PersonalDataRecord }
  | { readonly status: 'missing' }
  | { readonly status: 'erased' };

/** A vault entry that does not match its schema: the vault is corrupt or was written by something else. */
export class PersonalDataUnreadableError extends MisasError {
  /** The subject whose entry is unreadable. */
  readonly subjectRef: string;
  /** The unreadable entry's name (never its content). */
  readonly entry: string;
  constructor(subjectRef: string, entry: string) {
    // Never the content: it is personal data.
    super('personal-data-unreadable', `the vault entry '${entry}' of subject ${subjectRef} does not match its schema`);
    this.subjectRef = subjectRef;
    this.entry = entry;
  }
}

/** Applies rectifications, in order, to the referral's personal data (`null` removes a phone or an email). */
export function applyRectifications(asFiled: ReferralPersonalData, rectifications: readonly RectificationRecord[]): ReferralPersonalData {
  let person = { ...asFiled.person };
  for (const { person: change } of rectifications) {
    const next: Record<string, unknown> = { ...person };
    for (const [field, value] of Object.entries(change)) {
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
    person = ReferralPersonalData.shape.person.parse(next);
  }
  return { ...asFiled, person };
}

/** Reads and validates everything the vault holds about `subjectRef`. */
export async function readPersonalData(vault: PersonalDataVault, subjectRef: string): Promise<PersonalDataRead> {
  const read = await vault.entries(subjectRef);
  if (read.status === 'erased') return read;
  const raw = read.entries[referralEntry];
  if (raw === undefined) return { status: 'missing' };
  const asFiled = ReferralPersonalData.safeParse(raw);
  if (!asFiled.success) throw new PersonalDataUnreadableError(subjectRef, referralEntry);

  const rectifications: RectificationRecord[] = [];
  const notes: { noteId: string; text: string }[] = [];
  for (const [entry, value] of Object.entries(read.entries)) {
    if (entry.startsWith(rectificationPrefix)) {
      const parsed = StoredRectification.safeParse(value);
      if (!parsed.success) throw new PersonalDataUnreadableError(subjectRef, entry);
      rectifications.push({ rectificationId: entry.slice(rectificationPrefix.length), ...parsed.data });
    } else if (entry.startsWith(notePrefix)) {
      const parsed = StoredNote.safeParse(value);
      if (!parsed.success) throw new PersonalDataUnreadableError(subjectRef, entry);
      notes.push({ noteId: entry.slice(notePrefix.length), text: parsed.data.text });
    }
  }
  rectifications.sort((a, b) => a.sequence - b.sequence || (a.rectificationId < b.rectificationId ? -1 : 1));
  notes.sort((a, b) => (a.noteId < b.noteId ? -1 : 1));
  return { status: 'found', record: { current: applyRectifications(asFiled.data, rectifications), asFiled: asFiled.data, rectifications, notes } };
}
