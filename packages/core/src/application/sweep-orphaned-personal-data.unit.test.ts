import { describe, expect, it } from 'vitest';
import type { CaseCommandInput } from '../domain/commands.ts';
import { caseFileOf } from '../domain/lifecycle/case-state.ts';
import { InMemoryEventStore } from '../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../in-memory/memory-vault.ts';
import { conformanceEvents } from '../testing/conformance/event-store.ts';
import { sampleInternalForm } from '../testing/fixtures.ts';
import { CaseCommandHandler } from './command-handler.ts';
import { VirtualClock, type Clock } from './ports/clock.ts';
import type { AppendRequest, AppendResult, EventStore, StoredEvent } from './ports/event-store.ts';
import type { RewrapOptions, RewrapReport } from './ports/key-wrapper.ts';
import { seededUlidGenerator } from './ports/id-generator.ts';
import type { InventoriedVault, JsonValue, VaultInventoryEntry, VaultRead } from './ports/personal-data-vault.ts';
import { referralEntry } from './seal-personal-data.ts';
import { sweepOrphanedPersonalData } from './sweep-orphaned-personal-data.ts';

/** A vault of its own, as a third party would write one: it cannot join the event store's transaction. */
class JournalingVault implements InventoriedVault {
  readonly #inner = new InMemoryVault();
  readonly #writtenAt = new Map<string, Map<string, string>>();
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  async put(subjectRef: string, entry: string, value: JsonValue): Promise<void> {
    await this.#inner.put(subjectRef, entry, value);
    const entries = this.#writtenAt.get(subjectRef) ?? new Map<string, string>();
    this.#writtenAt.set(subjectRef, entries.set(entry, this.#clock.now().toISOString()));
  }
  get(subjectRef: string, entry: string): Promise<VaultRead> {
    return this.#inner.get(subjectRef, entry);
  }
  entries(subjectRef: string) {
    return this.#inner.entries(subjectRef);
  }
  async remove(subjectRef: string, entry: string): Promise<void> {
    await this.#inner.remove(subjectRef, entry);
    this.#writtenAt.get(subjectRef)?.delete(entry);
  }
  async shred(subjectRef: string): Promise<void> {
    await this.#inner.shred(subjectRef);
    this.#writtenAt.delete(subjectRef);
  }
  rewrapKeys(options?: RewrapOptions): Promise<RewrapReport> {
    return this.#inner.rewrapKeys(options);
  }
  async inventory(): Promise<readonly VaultInventoryEntry[]> {
    return [...this.#writtenAt].flatMap(([subjectRef, entries]) => [...entries].map(([entry, writtenAt]) => ({ subjectRef, entry, writtenAt })));
  }
}

/** An event store whose process "dies" on the next append: the append never returns, nothing is stored. */
class DyingStore implements EventStore {
  readonly inner = new InMemoryEventStore();
  /** Records read after the inner store's, as a store written by something other than misas could hold. */
  readonly planted: StoredEvent[] = [];
  dieOnNextAppend = false;
  append(request: AppendRequest): Promise<AppendResult> {
    if (!this.dieOnNextAppend) return this.inner.append(request);
    this.dieOnNextAppend = false;
    return new Promise<AppendResult>(() => undefined);
  }
  readStream(streamId: string, options?: { readonly fromVersion?: number }) {
    return this.inner.readStream(streamId, options);
  }
  async readAll(options?: { readonly after?: number; readonly limit?: number }) {
    return [...(await this.inner.readAll(options)), ...this.planted.filter((record) => record.position > (options?.after ?? 0))];
  }
  headPosition() {
    return this.inner.headPosition();
  }
}

const counsellor = { role: 'counsellor', id: 'counsellor-1' } as const;
const receive = (caseId: string): CaseCommandInput => ({
  type: 'ReceiveReferral',
  caseId,
  commandId: `open-${caseId}`,
  actor: { role: 'detector', id: 'det-1' },
  data: { fundId: 'cpam-22', form: sampleInternalForm() },
});
const note = (caseId: string, n: number): CaseCommandInput => ({ type: 'AddNote', caseId, commandId: `note-${caseId}-${n}`, actor: counsellor, data: { text: `note ${n}` } });

function setup() {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const store = new DyingStore();
  const vault = new JournalingVault(clock);
  const handler = new CaseCommandHandler({ store, vault, clock, ids: seededUlidGenerator(3, clock) });
  /** Sends a command whose process dies between the vault write and the append. */
  const crash = async (command: CaseCommandInput) => {
    store.dieOnNextAppend = true;
    void handler.execute(command);
    for (let i = 0; i < 50 && store.dieOnNextAppend; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(store.dieOnNextAppend).toBe(false);
  };
  return { clock, store, vault, handler, crash };
}

describe('sweeping personal data that no event refers to, for a vault that cannot share the append', () => {
  it('given crashes between vault write and append, when the grace has passed, then the orphans are destroyed and the rest is untouched', async () => {
    const { clock, store, vault, handler, crash } = setup();
    const kept = await handler.execute(receive('case-kept'));
    const keptSubject = caseFileOf(kept.state).subjectRef ?? '';
    const keptNote = await handler.execute(note('case-kept', 1));
    await crash(receive('case-lost'));
    await crash(note('case-kept', 2));
    expect(store.inner.commitsWithVault(vault)).toBe(false);

    // The crashes left data behind: a whole subject, and a note of a case that exists.
    const orphans = (await vault.inventory()).filter((item) => item.subjectRef !== keptSubject || ![referralEntry, `note:${noteIdOf(keptNote.events)}`].includes(item.entry));
    expect(orphans).toHaveLength(2);
    const orphanSubject = orphans.find((item) => item.entry === referralEntry)?.subjectRef ?? '';
    const orphanNote = orphans.find((item) => item.subjectRef === keptSubject)?.entry ?? '';
    expect(orphanSubject).toMatch(/^subj_/);
    expect(orphanNote).toMatch(/^note:/);

    // Within the grace, the sweep leaves them: their commands might still be on their way.
    clock.advance({ minutes: 30 });
    const early = await sweepOrphanedPersonalData({ events: store, vault, clock });
    expect(early).toEqual({ inventoried: 4, shreddedSubjects: [], removedEntries: [], tooRecent: 2 });

    clock.advance({ minutes: 31 });
    const report = await sweepOrphanedPersonalData({ events: store, vault, clock });
    expect(report).toEqual({ inventoried: 4, shreddedSubjects: [orphanSubject], removedEntries: [{ subjectRef: keptSubject, entry: orphanNote }], tooRecent: 0 });
    expect(await vault.entries(orphanSubject)).toEqual({ status: 'erased' });
    expect(await vault.get(keptSubject, orphanNote)).toEqual({ status: 'missing' });
    const rest = await vault.entries(keptSubject);
    expect(rest.status === 'found' ? Object.keys(rest.entries).sort() : rest).toEqual([`note:${noteIdOf(keptNote.events)}`, referralEntry].sort());
    // Nothing left to sweep.
    expect(await sweepOrphanedPersonalData({ events: store, vault, clock })).toMatchObject({ shreddedSubjects: [], removedEntries: [] });
  });

  it('given notes about a call and an appointment, then the sweep keeps them, and removes the one whose command died', async () => {
    const { clock, store, vault, handler, crash } = setup();
    const opened = await handler.execute(receive('case-calls'));
    const subject = caseFileOf(opened.state).subjectRef ?? '';
    await handler.execute({ type: 'AcceptReferral', caseId: 'case-calls', commandId: 'accept', actor: counsellor, data: { counsellorId: 'counsellor-1' } });
    const call = await handler.execute({ type: 'RecordContactAttempt', caseId: 'case-calls', commandId: 'call', actor: counsellor, data: { channel: 'phone', reached: true, note: 'call note' } });
    const planned = await handler.execute({
      type: 'PlanAppointment', caseId: 'case-calls', commandId: 'plan', actor: counsellor, data: { at: '2026-01-09T09:00:00Z', place: 'branch', note: 'bring the tax notice' },
    });
    await crash({ type: 'RecordContactAttempt', caseId: 'case-calls', commandId: 'lost-call', actor: counsellor, data: { channel: 'sms', reached: true, note: 'lost note' } });
    const kept = [call, planned].map((result) => {
      const data = result.events[0]?.data;
      return data !== undefined && 'noteId' in data ? `note:${data.noteId}` : '';
    });
    clock.advance({ hours: 2 });
    const report = await sweepOrphanedPersonalData({ events: store, vault, clock });
    expect(report.removedEntries).toHaveLength(1);
    expect(kept).not.toContain(report.removedEntries[0]?.entry);
    const rest = await vault.entries(subject);
    expect(rest.status === 'found' ? Object.keys(rest.entries).sort() : rest).toEqual([...kept, referralEntry].sort());
  });

  it('given an event the library cannot read, then the sweep stops before destroying anything', async () => {
    const { clock, store, vault, crash } = setup();
    await crash(receive('case-lost'));
    // The in-memory store refuses an invalid event on write: this one comes from elsewhere.
    const [odd] = conformanceEvents('odd', 'c', 0, 1);
    store.planted.push({ ...odd!, type: 'LogTimeTest', position: (await store.headPosition()) + 1 });
    clock.advance({ hours: 2 });
    await expect(sweepOrphanedPersonalData({ events: store, vault, clock })).rejects.toThrow();
    expect(await vault.inventory()).toHaveLength(1);
  });

  it('given a negative grace, then it is refused with the option named', async () => {
    const { store, vault } = setup();
    await expect(sweepOrphanedPersonalData({ events: store, vault, graceMs: -1 })).rejects.toMatchObject({ code: 'invalid-option', message: expect.stringContaining('graceMs') });
  });
});

function noteIdOf(events: readonly { type: string; data: unknown }[]): string {
  const added = events.find((event) => event.type === 'NoteAdded');
  const data = added?.data as { noteId?: unknown } | undefined;
  return typeof data?.noteId === 'string' ? data.noteId : '';
}
