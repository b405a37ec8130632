/**
 * Snapshots of long cases in a `CaseSnapshotStore`: what one holds, when one is trusted, when the
 * handler takes one. A snapshot is a cache of the events, never the truth: it is used only when it
 * validates, was made by this machine version (`restoreCaseState`), and the stream still holds the
 * very event it was taken at. Anything else and the case is replayed from its events.
 */
import { z } from 'zod';
import { decodeEvent } from '../domain/events/decode.ts';
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import type { CaseState } from '../domain/lifecycle/case-state.ts';
import { persistCaseState, restoreCaseState } from '../domain/lifecycle/case-snapshot.ts';
import type { CaseSnapshotStore, StoredCaseSnapshot } from './ports/case-snapshot-store.ts';
import type { EventStore } from './ports/event-store.ts';
import { eventCheckOf } from './read-check.ts';
import { replayNamingTheEvent } from './replay-naming-the-event.ts';

/**
 * The data of a snapshot: the state as `persistCaseState` writes it, and the ids of the commands
 * folded in — so that a retried command is still recognised as one (idempotency) without reading
 * the events before the snapshot. Command ids are only compared, never interpreted.
 */
export const CaseSnapshotData = z.strictObject({
  state: z.unknown(),
  commandIds: z.array(z.string()),
});
export type CaseSnapshotData = z.infer<typeof CaseSnapshotData>;

/** The default of `snapshotEvery`: a snapshot each time a case passes a multiple of 100 events. */
export const defaultSnapshotEvery = 100;

/** A case loaded from a trusted snapshot: its state, the command ids before it, the events after it. */
export interface CaseFromSnapshot {
  readonly state: CaseState;
  readonly commandIdsBefore: readonly string[];
  readonly events: readonly CaseEvent[];
}

/** The snapshot to store for `state`, whose last event is `lastEventId`. */
export function caseSnapshotOf(caseId: string, state: CaseState, lastEventId: string, commandIds: Iterable<string>): StoredCaseSnapshot {
  const data: CaseSnapshotData = { state: persistCaseState(state), commandIds: [...commandIds] };
  return { streamId: caseId, version: state.version, eventId: lastEventId, data };
}

/**
 * The case from its latest snapshot and the events after it, or undefined when there is no
 * snapshot to trust: none, malformed, of another machine version, of another stream, or not
 * matching the stream (newer than it, or its event at that version is another one).
 */
export async function loadFromSnapshot(
  store: EventStore,
  snapshots: CaseSnapshotStore,
  caseId: string,
  upcasters: UpcasterRegistry | undefined,
): Promise<CaseFromSnapshot | undefined> {
  const stored = await snapshots.read(caseId);
  if (stored === undefined || stored.streamId !== caseId) return undefined;
  const data = CaseSnapshotData.safeParse(stored.data);
  if (!data.success) return undefined;
  const state = restoreCaseState(data.data.state);
  if (state === undefined || state.version < 1 || state.version !== stored.version || data.data.commandIds.length > state.version) return undefined;
  // Read from the snapshot's own event on: it must still be there, the very same one.
  const records = await store.readStream(caseId, { fromVersion: state.version });
  const [anchor, ...after] = records;
  if (anchor === undefined) return undefined;
  const check = eventCheckOf(store);
  const anchorEvent = decodeEvent(anchor, upcasters, check);
  if (anchorEvent.meta.version !== state.version || anchorEvent.meta.eventId !== stored.eventId) return undefined;
  const events = after.map((record) => decodeEvent(record, upcasters, check));
  return { state: replayNamingTheEvent(events, state), commandIdsBefore: data.data.commandIds, events };
}

/** True when a stream going from `before` to `after` events passes a multiple of `every` (0: never). */
export function crossesSnapshotMark(before: number, after: number, every: number): boolean {
  return every > 0 && Math.floor(after / every) > Math.floor(before / every);
}

/** Checks a `snapshotEvery` option. */
export function checkSnapshotEvery(every: number): number {
  if (!Number.isSafeInteger(every) || every < 0) throw new RangeError(`snapshotEvery must be a whole number ≥ 0, got ${every}`);
  return every;
}
