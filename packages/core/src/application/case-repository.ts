/**
 * Loading a case: read its stream, decode every event (validate + upcast, or the envelope check
 * for a store that validated on write), replay it.
 */
import { decodeEvent } from '../domain/events/decode.ts';
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import type { CaseState } from '../domain/lifecycle/case-state.ts';
import { restoreCaseState } from '../domain/lifecycle/case-snapshot.ts';
import { loadFromSnapshot } from './case-snapshots.ts';
import type { CaseSnapshotStore } from './ports/case-snapshot-store.ts';
import type { EventStore } from './ports/event-store.ts';
import { eventCheckOf } from './read-check.ts';
import { replayNamingTheEvent } from './replay-naming-the-event.ts';

/** A case as loaded: its state and the events it was rebuilt from. */
export interface LoadedCase {
  readonly state: CaseState;
  readonly events: readonly CaseEvent[];
  /**
   * Set when the case was loaded from a snapshot of `snapshots`: the ids of the commands folded
   * into it (`events` then holds only the events after it).
   */
  readonly commandIdsBefore?: readonly string[];
}

/** Options of {@link loadCase}. */
export interface LoadOptions {
  readonly upcasters?: UpcasterRegistry;
  /**
   * A snapshot from a snapshot store. Used only when `restoreCaseState` trusts it (same machine
   * version, valid); then only the events after it are read, and `events` holds just those.
   */
  readonly snapshot?: unknown;
  /**
   * The storage's snapshot store (`MisasStorage.snapshots`): start from the case's latest snapshot
   * when it is trusted (valid, of this machine version, and the stream still holds the event it
   * was taken at); then `events` holds only the events after it. Otherwise the stream is replayed.
   */
  readonly snapshots?: CaseSnapshotStore;
}

/** Reads and decodes the events of one case from `fromVersion` on (default: all of them). */
export async function readCaseEvents(
  store: EventStore,
  caseId: string,
  options: { readonly fromVersion?: number; readonly upcasters?: UpcasterRegistry | undefined } = {},
): Promise<CaseEvent[]> {
  const stored = await store.readStream(caseId, options.fromVersion === undefined ? {} : { fromVersion: options.fromVersion });
  const check = eventCheckOf(store);
  return stored.map((record) => decodeEvent(record, options.upcasters, check));
}

/** Reads and replays one case. An unknown case id gives the empty state (version 0). */
export async function loadCase(store: EventStore, caseId: string, options: LoadOptions = {}): Promise<LoadedCase> {
  if (options.snapshots !== undefined && options.snapshot === undefined) {
    const fromSnapshot = await loadFromSnapshot(store, options.snapshots, caseId, options.upcasters);
    if (fromSnapshot !== undefined) return fromSnapshot;
  }
  const from = options.snapshot === undefined ? undefined : restoreCaseState(options.snapshot);
  const events = await readCaseEvents(store, caseId, { ...(from ? { fromVersion: from.version + 1 } : {}), upcasters: options.upcasters });
  return { state: replayNamingTheEvent(events, from), events };
}
