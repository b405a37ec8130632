/**
 * The play phase of one store: the cases of a plan played day by day on one virtual clock. At
 * 06:00 the scheduler fires what came due (reminders, unreachable closures, erasures at retention),
 * then the day's steps are played in time order, the clock set to each one's instant.
 *
 * Memory stays flat: a case enters on its referral day with the first segment of its script; the
 * next segment is written when the case reaches it (`script/timeline.ts`); a step is dropped once
 * played. So what is held is the current segment of each case in flight, never a year of scripts.
 */
import { addDays, CommandRejectedError, dayOf, type CaseCommandHandler, type MisasStorage, type VirtualClock } from '@misas/core';
import type { Scheduler, TickResult } from '@misas/projections';
import type { PlannedCase } from './case-plan.ts';
import type { Segment } from './script/timeline.ts';
import { StepQueue } from './step-queue.ts';

/** A command of a case script that the library refused: the script and the library disagree. */
export interface RejectedStep {
  readonly caseId: string;
  readonly command: string;
  readonly rule: string;
  readonly state: string;
}

/** What the play phase did. */
export interface PlayCounts {
  /** Commands of the case scripts that were applied. */
  commands: number;
  /** Case-script commands refused by the library; the case's later steps are skipped. */
  rejected: number;
  reminders: number;
  unreachableClosures: number;
  erasures: number;
  dropped: number;
}

/** What {@link playCases} needs. */
export interface PlayOptions {
  readonly storage: MisasStorage;
  readonly handler: CaseCommandHandler;
  readonly scheduler: Scheduler;
  readonly clock: VirtualClock;
  /** Sorted by referral date (as `planCases` returns them). */
  readonly planned: readonly PlannedCase[];
  /** The first segment of a case's script. */
  readonly firstSegment: (plannedCase: PlannedCase) => Segment;
  readonly from: string;
  /** The last day; by default the day after the last step plus `trailingDays`, every case ended. */
  readonly until?: string;
  /** Days the clock runs past the last step (the scheduler's closures come after a case's last call). */
  readonly trailingDays: number;
  /** Group several days into one write batch, where the storage offers batches. */
  readonly groupCommit: boolean;
  /** A batch ends at the end of the day it reached this many commands. */
  readonly commandsPerBatch: number;
  /** Called as cases end: how many ended so far. */
  readonly onCaseEnded?: (ended: number) => void;
}

/** What {@link playCases} did, and how much it held at most. */
export interface PlayResult {
  readonly counts: PlayCounts;
  readonly rejections: readonly RejectedStep[];
  readonly until: string;
  /** The most steps queued at once, and the most cases in flight at once: the simulator's memory. */
  readonly peakQueuedSteps: number;
  readonly peakCasesInFlight: number;
}

/** A case in flight: how many of its steps were played and are queued, and how to write its next segment. */
interface InFlight {
  readonly plannedCase: PlannedCase;
  played: number;
  queued: number;
  written: number;
  next: Segment['next'];
}

const midnightOf = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/** Plays the planned cases and the scheduler's deadlines, day by day. */
export async function playCases(options: PlayOptions): Promise<PlayResult> {
  const { storage, handler, scheduler, clock, planned } = options;
  const queue = new StepQueue();
  const inFlight = new Map<number, InFlight>();
  const counts: PlayCounts = { commands: 0, rejected: 0, reminders: 0, unreachableClosures: 0, erasures: 0, dropped: 0 };
  const rejections: RejectedStep[] = [];
  let entered = 0;
  let ended = 0;
  let lastStepAt = Number.NEGATIVE_INFINITY;
  let peakQueuedSteps = 0;
  let peakCasesInFlight = 0;

  const write = (state: InFlight, segment: Segment) => {
    for (const step of segment.steps) {
      queue.push({ at: step.at, caseIndex: state.plannedCase.index, seq: state.written++, step });
      lastStepAt = Math.max(lastStepAt, step.at);
    }
    state.queued += segment.steps.length;
    state.next = segment.next;
    if (segment.next) queue.push({ at: segment.next.at, caseIndex: state.plannedCase.index, seq: state.written++, step: null });
    peakQueuedSteps = Math.max(peakQueuedSteps, queue.size);
  };
  const end = (state: InFlight) => {
    inFlight.delete(state.plannedCase.index);
    options.onCaseEnded?.(++ended);
  };
  const tally = (result: TickResult) => {
    for (const { deadline } of result.fired) {
      if (deadline.kind === 'unreachable-closure') counts.unreachableClosures++;
      else if (deadline.kind === 'retention-expiry') counts.erasures++;
      else counts.reminders++;
    }
    counts.dropped += result.dropped.length;
  };

  /** Plays one day: the steps before its 06:00 tick, then the tick. Returns the commands played. */
  const playDay = async (day: string): Promise<number> => {
    const tickAt = Date.parse(`${day}T06:00:00.000Z`);
    const before = counts.commands;
    // Each case enters at midnight of its referral day, with its first segment.
    for (let c = planned[entered]; c !== undefined && midnightOf(c.referralDate) < tickAt; c = planned[++entered]) {
      const state: InFlight = { plannedCase: c, played: 0, queued: 0, written: 0, next: undefined };
      inFlight.set(c.index, state);
      write(state, options.firstSegment(c));
      if (state.queued === 0 && state.next === undefined) end(state);
    }
    peakCasesInFlight = Math.max(peakCasesInFlight, inFlight.size);
    for (let next = queue.peek(); next !== undefined && next.at < tickAt; next = queue.peek()) {
      queue.pop();
      const state = inFlight.get(next.caseIndex);
      // A case whose command was refused: its later steps are skipped.
      if (state === undefined) continue;
      if (next.step === null) {
        if (state.next) write(state, state.next.write());
        if (state.queued === 0 && state.next === undefined) end(state);
        continue;
      }
      const { plannedCase } = state;
      clock.set(new Date(next.step.at));
      state.played++;
      state.queued--;
      try {
        await handler.execute({ ...next.step.command, caseId: plannedCase.caseId, commandId: `${plannedCase.caseId}/${state.played}` });
        counts.commands++;
      } catch (error) {
        if (!(error instanceof CommandRejectedError)) throw error;
        counts.rejected++;
        if (rejections.length < 20) rejections.push({ caseId: plannedCase.caseId, command: next.step.command.type, rule: error.rule, state: error.state });
        // The case is not where its script thinks: its later steps would be refused too.
        end(state);
        continue;
      }
      if (state.queued === 0 && state.next === undefined) end(state);
    }
    clock.set(new Date(tickAt));
    tally(await scheduler.tick());
    return counts.commands - before;
  };

  const lastDay = (): string | undefined => {
    if (options.until !== undefined) return options.until;
    if (entered < planned.length || queue.size > 0) return undefined;
    return Number.isFinite(lastStepAt) ? addDays(dayOf(new Date(lastStepAt)), options.trailingDays) : options.from;
  };
  const afterEnd = (day: string) => {
    const last = lastDay();
    return last !== undefined && day > last;
  };
  // A simulation is one process that owns its burst of writes: several simulated days make one
  // write batch where the storage offers it (one commit, one flush), ending at a day's end once it
  // holds enough commands — so a fund with few cases does not pay a flush for every quiet day.
  const batch = <T>(work: () => Promise<T>): Promise<T> => (options.groupCommit && storage.writeBatch ? storage.writeBatch(work) : work());
  let day = options.from;
  while (!afterEnd(day)) {
    await batch(async () => {
      let commands = 0;
      do {
        commands += await playDay(day);
        day = addDays(day, 1);
      } while (commands < options.commandsPerBatch && !afterEnd(day));
    });
  }
  return { counts, rejections, until: lastDay() ?? options.from, peakQueuedSteps, peakCasesInFlight };
}
