/**
 * Loading a case: read its stream, decode every event (validate + upcast), replay it.
 */
import { decodeEvent } from '../domain/events/decode.ts';
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import type { CaseState } from '../domain/lifecycle/case-state.ts';
import { replay } from '../domain/lifecycle/evolve.ts';
import type { EventStore } from './ports/event-store.ts';

/** A case as loaded: its state and the events it was rebuilt from. */
export interface LoadedCase {
  readonly state: CaseState;
  readonly events: readonly CaseEvent[];
}

/** Reads and replays one case. An unknown case id gives the empty state (version 0). */
export async function loadCase(store: EventStore, caseId: string, upcasters?: UpcasterRegistry): Promise<LoadedCase> {
  const stored = await store.readStream(caseId);
  const events = stored.map((record) => decodeEvent(record, upcasters));
  return { state: replay(events), events };
}
