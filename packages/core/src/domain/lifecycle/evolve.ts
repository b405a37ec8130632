/**
 * evolve: (state, event) → state, stepping through the lifecycle table compiled from the machine.
 * Replaying a case's events through it rebuilds the case exactly;
 * no stored machine snapshot is ever needed.
 */
import { ReplayError } from '../../errors.ts';
import type { CaseEvent } from '../events/recorded.ts';
import type { LifecycleEvent } from './case-file.ts';
import { CaseFileDraft } from './case-file-draft.ts';
import { recordEvent } from './case-file-events.ts';
import type { CompiledState } from './compiled-machine.ts';
import { applyLifecycleEvent, caseLifecycle, initialCaseState, refusalOf, toLifecycleEvent, type CaseState } from './case-state.ts';

/**
 * Applies one recorded event. A version gap, or a fact the machine refuses, means the stream is
 * not what this library wrote: it throws `ReplayError` rather than guess. Pure: `state` is never
 * written.
 */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.meta.version !== state.version + 1) {
    throw new ReplayError(event.meta.caseId, event.meta.version, `expected version ${state.version + 1}`);
  }
  const next = applyLifecycleEvent(state, toLifecycleEvent(event), event.meta.version);
  if ('refusal' in next) throw new ReplayError(event.meta.caseId, event.meta.version, next.refusal.reason);
  return next.state;
}

/**
 * What each action of the lifecycle does to a draft of the case file, by name: the machine's
 * actions (`assign`s of `applyEvent`) done in place. An action of the table with no entry here
 * fails when this module loads, so replay can never skip one.
 */
const inPlace: Readonly<Record<string, (draft: CaseFileDraft, event: LifecycleEvent) => void>> = { record: recordEvent };
for (const [, row] of caseLifecycle.table()) {
  for (const [, candidates] of row) {
    for (const action of candidates.flatMap((candidate) => candidate.actions)) {
      if (!Object.hasOwn(inPlace, action)) throw new Error(`the lifecycle action '${action}' has no in-place form for replay`);
    }
  }
}

/**
 * Rebuilds a case from its events, from scratch or from a trusted earlier state: the same state as
 * folding `evolve` over them, and the same `ReplayError` on the same event.
 *
 * Faster than that fold: the case file is recorded into one working copy (`CaseFileDraft`), made
 * when the first event comes, that nobody else sees until it is returned — each event changes only
 * what it must, where `evolve` copies the file (and the record it adds to) on every event. `from`
 * is never written.
 */
export function replay(events: Iterable<CaseEvent>, from: CaseState = initialCaseState): CaseState {
  let draft: CaseFileDraft | undefined;
  let at: CompiledState = from.snapshot;
  let version = from.version;
  for (const event of events) {
    if (event.meta.version !== version + 1) throw new ReplayError(event.meta.caseId, event.meta.version, `expected version ${version + 1}`);
    draft ??= new CaseFileDraft(from.snapshot.context);
    const fact = toLifecycleEvent(event);
    const transition = caseLifecycle.select(at, draft.file, fact);
    if (transition === undefined) {
      const refusal = refusalOf({ snapshot: { ...at, context: draft.file }, version }, fact);
      throw new ReplayError(event.meta.caseId, event.meta.version, refusal?.reason ?? `${fact.type} was refused`);
    }
    for (const action of transition.actions) inPlace[action]?.(draft, fact);
    at = transition.target ?? at;
    version = event.meta.version;
  }
  if (draft === undefined) return from;
  return { snapshot: { path: at.path, value: at.value, tags: at.tags, context: draft.file }, version };
}
