/**
 * The scheduler turns deadlines that came due into commands: reminders, the closure of a person
 * never reached, erasure at the end of retention. It holds no timer and no state in memory: each
 * `tick` reads the deadlines projection at the clock's `now`. Each deadline's command has an id
 * derived from the deadline itself, so a command sent twice (after a crash, or by two schedulers)
 * is applied once by the command handler.
 */
import {
  addDays,
  CommandRejectedError,
  dayOf,
  type Actor,
  type CaseCommandHandler,
  type CaseCommandInput,
  type Clock,
  type MisasStorage,
  type PolicyProvider,
} from '@misas/core';
import { catchUp } from '../engine/catch-up.ts';
import { activeGeneration, readModel, scopedTransaction } from '../engine/generations.ts';
import { deadlineKey, deadlinesProjection, deadlinesProjectionName, dropDeadline, dueDeadlines, type Deadline } from './deadlines.ts';

/** What the scheduler needs: the storage it reads deadlines from and the handler it sends commands to. */
export interface SchedulerOptions {
  readonly storage: MisasStorage;
  readonly handler: CaseCommandHandler;
  readonly clock: Clock;
  readonly policies?: PolicyProvider;
  /** Who the scheduler's commands are from (default `system:scheduler`). */
  readonly actor?: Actor;
  /**
   * The cases this scheduler may act on (default: every case). A simulation passes its own cases:
   * its clock runs ahead of the real one, and a real case in the same store must never see a
   * deadline fire (an erasure at retention is for good). The deadlines of other cases stay due.
   */
  readonly onlyCases?: (caseId: string) => boolean;
}

/** What one tick did. */
export interface TickResult {
  readonly fired: readonly { readonly deadline: Deadline; readonly outcome: 'applied' | 'duplicate' }[];
  readonly dropped: readonly { readonly deadline: Deadline; readonly rule: string }[];
}

/** The command a due deadline becomes. */
export function commandFor(deadline: Deadline, actor: Actor, now: Date): CaseCommandInput {
  const envelope = { caseId: deadline.caseId, commandId: `deadline:${deadlineKey(deadline)}`, actor, occurredAt: now.toISOString() };
  switch (deadline.kind) {
    case 'unreachable-closure':
      return { ...envelope, type: 'CloseCase', data: { reason: 'unreachable', orientedTo: [] } };
    case 'retention-expiry':
      return { ...envelope, type: 'ErasePersonalData', data: { reason: 'retention-expired' } };
    default:
      return {
        ...envelope,
        type: 'IssueReminder',
        data: { kind: deadline.kind, dueOn: deadline.dueOn, ...(deadline.ref ? { ref: deadline.ref } : {}) },
      };
  }
}

/**
 * Turns deadlines that came due into commands (reminders, closures, erasure), each with an id
 * derived from the deadline so that a command sent twice is applied once.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #projection;
  readonly #actor: Actor;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#projection = deadlinesProjection(options.policies);
    this.#actor = options.actor ?? { role: 'system', id: 'scheduler' };
  }

  /** Brings the deadlines up to date, then sends the command of every deadline due at `now`. */
  async tick(): Promise<TickResult> {
    const { storage, handler, clock } = this.#options;
    const fired: { deadline: Deadline; outcome: 'applied' | 'duplicate' }[] = [];
    const dropped: { deadline: Deadline; rule: string }[] = [];
    const now = clock.now();
    for (;;) {
      await catchUp(storage.events, storage.projections, this.#projection);
      const allDue = await dueDeadlines(readModel(storage.projections, deadlinesProjectionName), now);
      const onlyCases = this.#options.onlyCases;
      const due = onlyCases === undefined ? allDue : allDue.filter((deadline) => onlyCases(deadline.caseId));
      if (due.length === 0) break;
      for (const deadline of due) {
        try {
          const result = await handler.execute(commandFor(deadline, this.#actor, now));
          fired.push({ deadline, outcome: result.outcome });
        } catch (error) {
          if (!(error instanceof CommandRejectedError)) throw error;
          // The case moved on in a way no event of the projection foresaw: drop the deadline
          // rather than retry a refused command forever.
          dropped.push({ deadline, rule: error.rule });
          await storage.projections.transaction(async (tx) => {
            const generation = await activeGeneration(tx, deadlinesProjectionName);
            await dropDeadline(scopedTransaction(tx, generation), deadline);
          });
        }
      }
    }
    return { fired, dropped };
  }

  /**
   * Ticks now, then at 06:00 UTC on each following day up to `until`, moving a virtual clock:
   * a year of deadlines runs in seconds.
   */
  async runDaily(clock: { set(instant: string): void; now(): Date }, until: string, onDay?: (day: string, result: TickResult) => void): Promise<void> {
    for (let day = dayOf(clock.now()); day <= until; day = addDays(day, 1)) {
      const morning = `${day}T06:00:00.000Z`;
      if (morning > clock.now().toISOString()) clock.set(morning);
      const result = await this.tick();
      onDay?.(day, result);
    }
  }
}
