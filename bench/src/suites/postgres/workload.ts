/**
 * What each PostgreSQL writer sends: its share of the simulation's cases (see `../../workload.ts`).
 * The plan is deterministic (seeded), so every process computes it itself and takes its share:
 * nothing but a few numbers crosses the process boundary.
 */
import { clockStart, yearOfCommands, type PlannedCommand } from '../../workload.ts';

export { clockStart };

/** Which cases a run plays, and how they are shared among the writers. */
export interface WorkloadShape {
  /** Cases of the whole run (all writers together). */
  readonly cases: number;
  readonly writers: number;
  readonly seed: number;
}

/** The commands of writer `writer` (0-based): every `writers`-th case, so each share has the same mix. */
export function commandsOf(shape: WorkloadShape, writer: number): PlannedCommand[] {
  if (!Number.isInteger(shape.writers) || shape.writers < 1) throw new RangeError(`writers must be a whole number ≥ 1, got ${shape.writers}`);
  return yearOfCommands(shape.cases, shape.seed, { index: writer, of: shape.writers });
}

/** The case ids writer `writer` plays. */
export function casesOf(shape: WorkloadShape, writer: number): string[] {
  return [...new Set(commandsOf(shape, writer).map((planned) => planned.caseId))];
}
