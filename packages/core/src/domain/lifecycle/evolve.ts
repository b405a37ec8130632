/**
 * evolve: (state, event) → state, stepping through the lifecycle table compiled from the machine.
 * Replaying a case's events through it rebuilds the case exactly;
 * no stored machine snapshot is ever needed.
 */
import { ReplayError } from '../../errors.ts';
import type { CaseEvent } from '../events/recorded.ts';
import { applyLifecycleEvent, initialCaseState, toLifecycleEvent, type CaseState } from './case-state.ts';

/**
 * Applies one recorded event. A version gap, or a fact the machine refuses, means the stream is
 * not what this library wrote: it throws `ReplayError` rather than guess.
 */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.meta.version !== state.version + 1) {
    throw new ReplayError(event.meta.caseId, event.meta.version, `expected version ${state.version + 1}`);
  }
  const next = applyLifecycleEvent(state, toLifecycleEvent(event), event.meta.version);
  if ('refusal' in next) throw new ReplayError(event.meta.caseId, event.meta.version, next.refusal.reason);
  return next.state;
}

/** Rebuilds a case from its events, from scratch or from a trusted earlier state. */
export function replay(events: Iterable<CaseEvent>, from: CaseState = initialCaseState): CaseState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}
