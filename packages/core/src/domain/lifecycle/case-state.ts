/**
 * A case's state: the machine snapshot plus the stream version it was rebuilt up to.
 * `evolve` is XState's pure `transition`; nothing here keeps a live actor.
 */
import { createActor, getNextTransitions, initialTransition, type SnapshotFrom } from 'xstate';
import type { CaseEvent } from '../events/recorded.ts';
import type { CaseFile, LifecycleEvent } from './case-file.ts';
import { caseMachine } from './machine.ts';

export type CaseSnapshot = SnapshotFrom<typeof caseMachine>;

/** The rebuilt state of one case. */
export interface CaseState {
  readonly snapshot: CaseSnapshot;
  /** Version of the last event applied; 0 when the case does not exist. */
  readonly version: number;
}

/** The business step a case is in, e.g. `triage` or `contact.reached`. */
export type CaseStatus = string;

const [initialSnapshot] = initialTransition(caseMachine);

/** The state of a case with no events. */
export const initialCaseState: CaseState = { snapshot: initialSnapshot, version: 0 };

/** The case file (the machine's context). */
export function caseFileOf(state: CaseState): CaseFile {
  return state.snapshot.context;
}

/** The state as a dotted path: `triage`, `contact.awaiting`, `closed`… */
export function statusOf(state: CaseState): CaseStatus {
  return statePath(state.snapshot.value);
}

function statePath(value: CaseSnapshot['value']): string {
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value)[0] ?? ['unknown', 'unknown'];
  return `${parent}.${statePath(child as CaseSnapshot['value'])}`;
}

/** Whether the case is open (between triage and closure). */
export function isOpen(state: CaseState): boolean {
  return state.snapshot.hasTag('open');
}

/** Why the machine refuses a fact: the event is unknown to the state, or a guard failed. */
export interface Refusal {
  readonly rule: string;
  readonly reason: string;
}

/**
 * Asks the machine whether `event` may happen now. Returns undefined when it may, or the rule
 * that forbids it: `allowed-in-state` when the state has no transition for it, else the guards
 * that did not pass.
 */
export function refusalOf(state: CaseState, event: LifecycleEvent): Refusal | undefined {
  if (state.snapshot.can(event)) return undefined;
  const candidates = getNextTransitions(state.snapshot).filter((t) => t.eventType === event.type);
  const guards = candidates.flatMap((t) => guardName(t.guard));
  if (candidates.length === 0 || guards.length === 0) {
    return { rule: 'allowed-in-state', reason: `${event.type} cannot happen while the case is '${statusOf(state)}'` };
  }
  return { rule: guards.join('+'), reason: `${event.type} needs ${guards.map((g) => `'${g}'`).join(' or ')}` };
}

/** A named guard is stored as its name, or as `{ type: name }` when it has parameters. */
function guardName(guard: unknown): string[] {
  if (typeof guard === 'string') return [guard];
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return [String(guard.type)];
  return [];
}

type ActorScope = Parameters<typeof caseMachine.transition>[2];

/**
 * One inert scope for every transition. XState's `transition()` builds a fresh actor (and its
 * initial snapshot) on every call, which was a third of a replay's time. Sharing one is safe here
 * because the machine only assigns to its context — no invoked or spawned actors, no deferred or
 * emitted actions — so the scope is never written to.
 */
const inertScope: ActorScope = (() => {
  const self = createActor(caseMachine);
  const ignore = () => undefined;
  return { self, system: self.system, id: '', sessionId: '', defer: ignore, emit: ignore, logger: ignore, stopChild: ignore, actionExecutor: ignore };
})();

/** Applies one fact. Callers check `refusalOf` first; replay checks it too and reports a corrupt stream. */
export function applyLifecycleEvent(state: CaseState, event: LifecycleEvent, version: number): CaseState {
  const snapshot = caseMachine.transition(state.snapshot, event, inertScope);
  return { snapshot, version };
}

/** Rebuilds the lifecycle event from a stored event. */
export function toLifecycleEvent(event: CaseEvent): LifecycleEvent {
  return { ...event, occurredAt: event.meta.occurredAt, actor: event.meta.actor };
}
