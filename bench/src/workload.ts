/**
 * What the suites send: the simulation's own cases (`planCases`, then each case's script), so the
 * commands, their mix and their payloads are those of a calibrated year, not a loop of one command.
 */
import { caseScript, defaultCalibration, planCases } from '@misas/cli';
import { CaseCommandHandler, defaultPolicies, seededUlidGenerator, VirtualClock, type CaseCommandInput, type MisasStorage } from '@misas/core';

/** One command of one case, at its instant (epoch milliseconds, UTC). */
export interface PlannedCommand {
  readonly at: number;
  readonly caseId: string;
  readonly command: CaseCommandInput;
}

/** The year the cases are referred in. */
export const period = { from: '2026-01-01', to: '2026-12-31' } as const;

/** The period's first instant: where a virtual clock starts. */
export const clockStart = `${period.from}T00:00:00.000Z`;

/**
 * The commands of `cases` referrals, in time order across cases (each case's steps stay in order),
 * as one writer plays them; with `share`, only every `of`-th case from `index` (a writer's part).
 */
export function yearOfCommands(cases: number, seed: number, share: { readonly index: number; readonly of: number } = { index: 0, of: 1 }): PlannedCommand[] {
  // As the simulation counts them: one counsellor per so many referrals a year.
  const counsellors = Math.max(1, Math.ceil(cases / defaultCalibration.counsellorCasesPerYear));
  const commands: PlannedCommand[] = [];
  for (const c of planCases({ cases, ...period, seed, calibration: defaultCalibration })) {
    if (c.index % share.of !== share.index) continue;
    const counsellor = `cas-${String((c.index % counsellors) + 1).padStart(3, '0')}`;
    caseScript(c, defaultCalibration, defaultPolicies(c.fundId), counsellor).forEach((step, index) => {
      commands.push({ at: step.at, caseId: c.caseId, command: { ...step.command, caseId: c.caseId, commandId: `${c.caseId}/${index + 1}` } });
    });
  }
  // Stable: a case's steps keep their order.
  return commands.sort((a, b) => a.at - b.at);
}

/**
 * A trusted handler on a virtual clock with seeded ids, as the simulation builds it; with
 * `snapshots`, it keeps the storage's case snapshots at the default interval.
 */
export function benchHandler(storage: MisasStorage, seed: number, options: { readonly snapshots?: boolean } = {}): { handler: CaseCommandHandler; clock: VirtualClock } {
  const clock = new VirtualClock(clockStart);
  const snapshots = options.snapshots === true ? storage.snapshots : undefined;
  return { handler: new CaseCommandHandler({ store: storage.events, vault: storage.vault, snapshots, clock, ids: seededUlidGenerator(seed, clock) }), clock };
}

/** Plays commands in order through the handler, the clock at each one's instant. Returns the events appended. */
export async function play(handler: CaseCommandHandler, clock: VirtualClock, commands: readonly PlannedCommand[]): Promise<number> {
  let events = 0;
  for (const { at, command } of commands) {
    clock.set(new Date(at));
    const result = await handler.execute(command);
    if (result.outcome === 'applied') events += result.events.length;
  }
  return events;
}
