/**
 * The second half of binding a command id to its command. The fingerprint leaves personal data out
 * (the log keeps it for good), so two notes of different text under one id share a fingerprint.
 * While the person is not erased, the vault still holds what the first send wrote: a retry must
 * carry exactly that, or it is a reuse of the id.
 */
import canonicalize from 'canonicalize';
import type { CaseCommand } from '../domain/commands.ts';
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { CaseFile } from '../domain/lifecycle/case-file.ts';
import { splitReferral } from '../domain/referral.ts';
import { CommandIdReusedError } from '../errors.ts';
import type { PersonalDataVault } from './ports/personal-data-vault.ts';
import { noteEntry, rectificationEntry, referralEntry } from './seal-personal-data.ts';

/** Where the first send put its personal data, and what a retry must carry to match it. */
function storedPersonalData(command: CaseCommand, earlier: readonly CaseEvent[], file: CaseFile): { subjectRef: string; entry: string; expected: unknown; pick: (value: unknown) => unknown } | undefined {
  const same = (value: unknown) => value;
  for (const event of earlier) {
    if (command.type === 'ReceiveReferral' && event.type === 'ReferralReceived') {
      return { subjectRef: event.data.subjectRef, entry: referralEntry, expected: splitReferral(command.data.form).personal, pick: same };
    }
    if (command.type === 'AddNote' && event.type === 'NoteAdded' && file.subjectRef) {
      return { subjectRef: file.subjectRef, entry: noteEntry(event.data.noteId), expected: { text: command.data.text }, pick: same };
    }
    if (command.type === 'RectifyPersonalData' && event.type === 'PersonalDataRectified' && file.subjectRef) {
      // The entry also numbers the rectification; only the values come from the command.
      const pick = (value: unknown) => (typeof value === 'object' && value !== null && 'person' in value ? value.person : undefined);
      return { subjectRef: file.subjectRef, entry: rectificationEntry(event.data.rectificationId), expected: command.data.person, pick };
    }
  }
  return undefined;
}

/**
 * Checks that a command taken for a retry (same id, same fingerprint) carries the personal data the
 * first send wrote to the vault. Silent when there is none to compare: a command without personal
 * data, or a person already erased (then only the fingerprint speaks).
 * @throws CommandIdReusedError when the vault holds other values
 */
export async function assertSamePersonalData(command: CaseCommand, earlier: readonly CaseEvent[], file: CaseFile, vault: PersonalDataVault): Promise<void> {
  const stored = storedPersonalData(command, earlier, file);
  if (stored === undefined) return;
  const read = await vault.get(stored.subjectRef, stored.entry);
  if (read.status !== 'found') return;
  if (canonicalize(stored.pick(read.value)) !== canonicalize(stored.expected)) {
    throw new CommandIdReusedError({ caseId: command.caseId, commandId: command.commandId, earlierEvents: earlier.map((event) => event.type) });
  }
}
