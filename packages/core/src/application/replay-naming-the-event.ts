/**
 * Replay for readers of a store whose events were checked by their envelope only: a payload
 * altered in the database since it was written must surface as a `ReplayError` naming the event,
 * never as a bare `TypeError`.
 */
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { CaseState } from '../domain/lifecycle/case-state.ts';
import { replay } from '../domain/lifecycle/evolve.ts';
import { MisasError, ReplayError } from '../errors.ts';

/**
 * `replay`, where anything but a `MisasError` thrown on the way becomes a `ReplayError` naming the
 * event. Events checked by their envelope only carry payloads validated on write; a database
 * altered since could hand the machine a field of the wrong kind, and the caller must then learn
 * which event of which case, not meet a `TypeError` (`misas verify` names the field).
 */
export function replayNamingTheEvent(events: readonly CaseEvent[], from: CaseState | undefined): CaseState {
  try {
    return replay(events, from);
  } catch (error) {
    if (error instanceof MisasError) throw error;
    // Replay is pure: going again one event at a time fails on the same one.
    let state = from;
    for (const event of events) {
      try {
        state = replay([event], state);
      } catch (again) {
        const kind = again instanceof Error ? again.name : 'error';
        throw new ReplayError(event.meta.caseId, event.meta.version, `${event.type} could not be applied (${kind}): its stored payload does not hold what its schema says; run misas verify`);
      }
    }
    throw error;
  }
}

