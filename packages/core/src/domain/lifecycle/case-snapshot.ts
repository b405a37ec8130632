/**
 * Snapshots of a case, to skip replaying a long stream from the start. A snapshot is only a cache:
 * it is trusted only when it was made by this very machine version and passes validation;
 * otherwise the caller replays from the events, which are the truth.
 */
import { z } from 'zod';
import { CaseFile } from './case-file.ts';
import { caseFileOf, caseLifecycle, type CaseState } from './case-state.ts';
import { caseMachineVersion } from './machine.ts';

type StateValue = string | { readonly [key: string]: StateValue };
const StateValue: z.ZodType<StateValue> = z.lazy(() => z.union([z.string(), z.record(z.string(), StateValue)]));

/** What a snapshot store keeps. */
export const PersistedCaseState = z.strictObject({
  machineVersion: z.string().min(1),
  /** The version of the last event folded into this snapshot. */
  version: z.number().int().min(0),
  value: StateValue,
  context: CaseFile,
});
export type PersistedCaseState = z.infer<typeof PersistedCaseState>;

/** Turns a state into JSON-ready data for a snapshot store. */
export function persistCaseState(state: CaseState): PersistedCaseState {
  return {
    machineVersion: caseMachineVersion,
    version: state.version,
    value: state.snapshot.value,
    context: caseFileOf(state),
  };
}

/**
 * Restores a snapshot, or returns undefined when it must not be trusted: made by another machine
 * version, malformed, or naming a state this machine does not have.
 */
export function restoreCaseState(persisted: unknown): CaseState | undefined {
  const parsed = PersistedCaseState.safeParse(persisted);
  if (!parsed.success || parsed.data.machineVersion !== caseMachineVersion) return undefined;
  const snapshot = caseLifecycle.resolve(parsed.data.value, parsed.data.context);
  return snapshot === undefined ? undefined : { snapshot, version: parsed.data.version };
}
