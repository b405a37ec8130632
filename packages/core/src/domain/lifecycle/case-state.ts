/**
 * A case's state: the compiled lifecycle snapshot plus the stream version it was rebuilt up to.
 * `evolve` steps through the transition table compiled from the XState machine at load
 * (`compile-machine.ts`); nothing here runs XState's interpreter or keeps a live actor.
 */
import type { CaseEvent } from '../events/recorded.ts';
import { CaseFile, type LifecycleEvent } from './case-file.ts';
import { compileMachine, type CompiledMachine, type CompiledSnapshot } from './compile-machine.ts';
import { caseMachine } from './machine.ts';

/**
 * The case lifecycle, compiled once from `caseMachine` when this module loads. It throws then if
 * the machine ever uses an XState feature the table cannot reproduce.
 */
export const caseLifecycle: CompiledMachine<CaseFile, LifecycleEvent> = compileMachine<CaseFile, LifecycleEvent>(caseMachine, (context) => CaseFile.parse(context));

/** Where a case rests in its lifecycle: state value and path, tags, and the case file. */
export type CaseSnapshot = CompiledSnapshot<CaseFile>;

/** The rebuilt state of one case. */
export interface CaseState {
  readonly snapshot: CaseSnapshot;
  /** Version of the last event applied; 0 when the case does not exist. */
  readonly version: number;
}

/** The business step a case is in, e.g. `triage` or `contact.reached`. */
export type CaseStatus = string;

/** The state of a case with no events. */
export const initialCaseState: CaseState = { snapshot: caseLifecycle.initial, version: 0 };

/** The case file (the machine's context). */
export function caseFileOf(state: CaseState): CaseFile {
  return state.snapshot.context;
}

/** The state as a dotted path: `triage`, `contact.awaiting`, `closed`… */
export function statusOf(state: CaseState): CaseStatus {
  return state.snapshot.path;
}

/** Whether the case is open (between triage and closure). */
export function isOpen(state: CaseState): boolean {
  return state.snapshot.tags.has('open');
}

/** Why the machine refuses a fact: the event is unknown to the state, or a guard failed. */
export interface Refusal {
  readonly rule: string;
  readonly reason: string;
}

/**
 * Asks the lifecycle whether `event` may happen now. Returns undefined when it may, or the rule
 * that forbids it: `allowed-in-state` when the state has no transition for it, else the guards
 * that did not pass, joined with `+`.
 */
export function refusalOf(state: CaseState, event: LifecycleEvent): Refusal | undefined {
  if (caseLifecycle.step(state.snapshot, event) !== undefined) return undefined;
  return refusalAfterStep(state, event);
}

/** The refusal of an event `step` already refused: the same words as `refusalOf`, without stepping again. */
function refusalAfterStep(state: CaseState, event: LifecycleEvent): Refusal {
  const guards = caseLifecycle.guardsFor(state.snapshot, event.type);
  if (guards.length === 0) {
    return { rule: 'allowed-in-state', reason: `${event.type} cannot happen while the case is '${statusOf(state)}'` };
  }
  return { rule: guards.join('+'), reason: `${event.type} needs ${guards.map((g) => `'${g}'`).join(' or ')}` };
}

/**
 * Applies one fact when the lifecycle allows it: the next state, or the refusal. One table
 * lookup serves both the check and the transition.
 */
export function applyLifecycleEvent(state: CaseState, event: LifecycleEvent, version: number): { readonly state: CaseState } | { readonly refusal: Refusal } {
  const snapshot = caseLifecycle.step(state.snapshot, event);
  return snapshot === undefined ? { refusal: refusalAfterStep(state, event) } : { state: { snapshot, version } };
}

/** Rebuilds the lifecycle event from a stored event. */
export function toLifecycleEvent(event: CaseEvent): LifecycleEvent {
  return { ...event, occurredAt: event.meta.occurredAt, actor: event.meta.actor };
}
