/**
 * The command handler's side of case snapshots: cold loads start from the store's snapshot, and a
 * snapshot is written when a case passes a multiple of `snapshotEvery` events.
 *
 * The write is best effort, after the append's commit rather than inside its transaction: a
 * snapshot is only a cache, checked against the stream on every read, so a lost or failed write
 * costs one replay and never a wrong state. Keeping it out of the append leaves the append — the
 * statement every command pays for, and each store's tuned path — untouched, and a failure to
 * write a snapshot never fails a command that was committed. Inside a SQLite write batch the write
 * joins the batch and rolls back with it.
 */
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import type { CaseState } from '../domain/lifecycle/case-state.ts';
import { loadCase, type LoadedCase } from './case-repository.ts';
import { caseSnapshotOf, checkSnapshotEvery, crossesSnapshotMark, defaultSnapshotEvery } from './case-snapshots.ts';
import type { CaseSnapshotStore } from './ports/case-snapshot-store.ts';
import type { EventStore } from './ports/event-store.ts';

/** Reads and writes the snapshots of one handler. Without a store, or with `every` 0, does nothing. */
export class SnapshotKeeper {
  readonly #snapshots: CaseSnapshotStore | undefined;
  readonly #every: number;

  constructor(snapshots: CaseSnapshotStore | undefined, every: number = defaultSnapshotEvery) {
    this.#every = checkSnapshotEvery(every);
    this.#snapshots = this.#every > 0 ? snapshots : undefined;
  }

  /**
   * A cold load: from the latest trusted snapshot and the events after it. A long case replayed
   * in full instead (no snapshot yet, or one that was not trusted: another machine version, a
   * tampered row) gets a fresh snapshot, so that only its first cold load pays the whole replay.
   */
  async load(store: EventStore, caseId: string, upcasters: UpcasterRegistry | undefined): Promise<LoadedCase> {
    const snapshots = this.#snapshots;
    const loaded = await loadCase(store, caseId, { upcasters, ...(snapshots ? { snapshots } : {}) });
    const last = loaded.events.at(-1);
    if (snapshots && loaded.commandIdsBefore === undefined && last !== undefined && loaded.state.version >= this.#every) {
      // Whatever is kept was not trusted — possibly one ahead of the stream, which `write` would never replace.
      await bestEffort(() => snapshots.delete(caseId));
      await this.#write(caseId, loaded.state, last, loaded.events.map((event) => event.meta.commandId));
    }
    return loaded;
  }

  /**
   * After a committed append of `appended`, which took the case from `versionBefore` to `state`:
   * writes a snapshot when a multiple of `every` was passed. An erasure deletes the case's
   * snapshots instead: none taken before it survives it (see docs/privacy.md).
   */
  async afterAppend(caseId: string, versionBefore: number, state: CaseState, appended: readonly CaseEvent[], commandIds: Iterable<string>): Promise<void> {
    const snapshots = this.#snapshots;
    const last = appended.at(-1);
    if (snapshots === undefined || last === undefined) return;
    if (erases(appended)) {
      await bestEffort(() => snapshots.delete(caseId));
      return;
    }
    if (crossesSnapshotMark(versionBefore, state.version, this.#every)) await this.#write(caseId, state, last, commandIds);
  }

  async #write(caseId: string, state: CaseState, last: CaseEvent, commandIds: Iterable<string>): Promise<void> {
    const snapshots = this.#snapshots;
    if (snapshots === undefined || last.meta.version !== state.version) return;
    await bestEffort(() => snapshots.write(caseSnapshotOf(caseId, state, last.meta.eventId, commandIds)));
  }
}

/** Whether these events erase the case's personal data. */
function erases(events: readonly CaseEvent[]): boolean {
  return events.some((event) => event.type === 'PersonalDataErased');
}

/**
 * Runs a snapshot write or delete whose failure must not fail the command: it was committed, and
 * a snapshot missing or left behind is harmless (a missing one costs a replay; one left behind is
 * checked against the stream, and holds only facts and references the kept events hold too).
 */
async function bestEffort(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch {
    // Deliberately ignored: see above.
  }
}
