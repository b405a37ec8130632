/**
 * The orphan sweeper, for a vault that cannot share the event store's transaction. There the
 * command handler writes the vault and then appends, in two transactions: a process killed in
 * between leaves personal data that no event refers to — out of reach of retention, export and
 * erasure, which all start from the log. The sweeper finds such entries and destroys them.
 *
 * Not needed when `events.commitsWithVault(vault)` (in memory, SQLite, PostgreSQL storage): the
 * entries are then stored with their events or not at all.
 */
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import { decodeEvent } from '../domain/events/decode.ts';
import { MisasError } from '../errors.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { EventStore } from './ports/event-store.ts';
import type { InventoriedVault, VaultInventoryEntry } from './ports/personal-data-vault.ts';
import { noteEntry, rectificationEntry, referralEntry } from './seal-personal-data.ts';

/** One hour: far longer than a command takes between its vault write and its append, retries included. */
export const defaultOrphanGraceMs = 60 * 60 * 1000;

/** Events read per page of the global log. */
const pageSize = 1000;

/** What to sweep. */
export interface SweepOptions {
  readonly events: EventStore;
  readonly vault: InventoriedVault;
  /** Gives "now"; default the system clock. */
  readonly clock?: Clock;
  /**
   * How old an entry must be before it may be swept (default one hour). An entry younger than
   * this may belong to a command still on its way to the append; sweeping it would erase data
   * that an event is about to refer to.
   */
  readonly graceMs?: number;
  readonly upcasters?: UpcasterRegistry;
}

/** What a sweep did. */
export interface SweepReport {
  /** Entries listed by the vault. */
  readonly inventoried: number;
  /** Subjects no event names, all of whose entries were older than the grace: shredded. */
  readonly shreddedSubjects: readonly string[];
  /** Entries of a subject that events do name, but that no event refers to: removed. */
  readonly removedEntries: readonly { readonly subjectRef: string; readonly entry: string }[];
  /** Orphaned entries left for a later sweep because they are younger than the grace. */
  readonly tooRecent: number;
}

/**
 * Reads the vault's inventory, then the whole event log, and destroys what no event refers to and
 * was written before `now - graceMs`: a subject no `ReferralReceived` names is shredded (its key
 * too), an entry of a named subject that no `NoteAdded` / `PersonalDataRectified` names is
 * removed (a note of a call or an appointment counts as a note). The inventory is read first, so that an entry whose event is appended meanwhile is
 * seen referred to. An event the library cannot decode stops the sweep before anything is
 * destroyed. Idempotent; run it periodically (the scheduler's cadence is fine).
 * @throws MisasError `invalid-option` for a negative or non-finite grace
 */
export async function sweepOrphanedPersonalData(options: SweepOptions): Promise<SweepReport> {
  const graceMs = options.graceMs ?? defaultOrphanGraceMs;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new MisasError('invalid-option', `graceMs must be a number of milliseconds ≥ 0, got ${graceMs}`);
  const cutoff = (options.clock ?? systemClock).now().getTime() - graceMs;
  const inventory = await options.vault.inventory();
  const referred = await personalDataReferences(options.events, options.upcasters);

  const bySubject = new Map<string, VaultInventoryEntry[]>();
  for (const item of inventory) bySubject.set(item.subjectRef, [...(bySubject.get(item.subjectRef) ?? []), item]);
  const old = (item: VaultInventoryEntry) => Date.parse(item.writtenAt) < cutoff;

  const shreddedSubjects: string[] = [];
  const removedEntries: { subjectRef: string; entry: string }[] = [];
  let tooRecent = 0;
  for (const [subjectRef, items] of bySubject) {
    const entries = referred.get(subjectRef);
    if (entries === undefined) {
      // The whole subject is an orphan: shred it only once every entry of it is old enough.
      if (items.every(old)) {
        await options.vault.shred(subjectRef);
        shreddedSubjects.push(subjectRef);
      } else tooRecent += items.length;
      continue;
    }
    for (const item of items) {
      if (entries.has(item.entry)) continue;
      if (!old(item)) {
        tooRecent++;
        continue;
      }
      await options.vault.remove(subjectRef, item.entry);
      removedEntries.push({ subjectRef, entry: item.entry });
    }
  }
  return { inventoried: inventory.length, shreddedSubjects, removedEntries, tooRecent };
}

/**
 * Every vault entry the log refers to, by subject: `referral` for the subject a `ReferralReceived`
 * names, and the entries of its case's `NoteAdded` and `PersonalDataRectified` events. Reads the
 * whole global log, in pages.
 * @throws when an event cannot be decoded (unknown type, newer schema, bad payload)
 */
export async function personalDataReferences(events: EventStore, upcasters?: UpcasterRegistry): Promise<Map<string, Set<string>>> {
  const subjectOfCase = new Map<string, string>();
  const referred = new Map<string, Set<string>>();
  const refer = (caseId: string, entry: string) => {
    const subjectRef = subjectOfCase.get(caseId);
    if (subjectRef !== undefined) referred.get(subjectRef)?.add(entry);
  };
  for (let after = 0; ; ) {
    const page = await events.readAll({ after, limit: pageSize });
    for (const record of page) {
      const event = decodeEvent(record, upcasters);
      const caseId = event.meta.caseId;
      if (event.type === 'ReferralReceived') {
        subjectOfCase.set(caseId, event.data.subjectRef);
        referred.set(event.data.subjectRef, new Set([referralEntry]));
      } else if (event.type === 'PersonalDataRectified') refer(caseId, rectificationEntry(event.data.rectificationId));
      // Notes: `NoteAdded`, and the notes about calls and appointments.
      else if ('noteId' in event.data && event.data.noteId !== undefined) refer(caseId, noteEntry(event.data.noteId));
    }
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return referred;
    after = last.position;
  }
}
