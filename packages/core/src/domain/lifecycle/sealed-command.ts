/**
 * Commands as `decide` sees them: personal data already replaced by vault references.
 * The application layer seals a command before deciding, so the domain never touches personal data.
 */
import type { CommandOf, CaseCommand } from '../commands.ts';
import type { RectifiableField } from '../events/catalogue.ts';
import type { ReferralFacts } from '../referral.ts';
import type { AgeBand, ReferralChannel } from '../vocabulary.ts';

/** `ReceiveReferral` once the form's personal data is in the vault. */
export type SealedReceiveReferral = Omit<CommandOf<'ReceiveReferral'>, 'data'> & {
  readonly data: { readonly fundId: string; readonly channel: ReferralChannel; readonly subjectRef: string; readonly facts: ReferralFacts };
};

/** `AddNote` once the text is in the vault. */
export type SealedAddNote = Omit<CommandOf<'AddNote'>, 'data'> & { readonly data: { readonly noteId: string } };

/** `RectifyPersonalData` once the new values are in the vault: which fields changed, and the new age band. */
export type SealedRectifyPersonalData = Omit<CommandOf<'RectifyPersonalData'>, 'data'> & {
  readonly data: { readonly rectificationId: string; readonly fields: readonly RectifiableField[]; readonly ageBand?: AgeBand };
};

/** The commands that may carry a note about a call or an appointment. */
export type NoteBearingType = 'RecordContactAttempt' | 'PlanAppointment' | 'MoveAppointment' | 'RecordAppointmentHeld' | 'RecordAppointmentMissed' | 'CancelAppointment';

/** A note-bearing command once its note is in the vault: the note's text replaced by its `noteId`. */
export type SealedNoteBearing<T extends NoteBearingType> = Omit<CommandOf<T>, 'data'> & {
  readonly data: Omit<CommandOf<T>['data'], 'note'> & { readonly noteId?: string };
};

/** A command `decide` can take. */
export type DecidableCommand =
  | Exclude<CaseCommand, { type: 'ReceiveReferral' | 'AddNote' | 'RectifyPersonalData' | NoteBearingType }>
  | SealedReceiveReferral
  | SealedAddNote
  | SealedRectifyPersonalData
  | { [T in NoteBearingType]: SealedNoteBearing<T> }[NoteBearingType];

/** One decidable command type. */
export type DecidableOf<T extends DecidableCommand['type']> = Extract<DecidableCommand, { type: T }>;
