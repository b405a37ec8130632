/**
 * What a case script is made of: commands placed on the case's own timeline. Times are computed
 * from anchors (the referral, the call that reached the person, the agreed plan), and the script is
 * sorted by time before it is played, so a step never needs to know which steps came before it.
 */
import { addDays, type Actor, type CaseCommandInput, type FundPolicy } from '@misas/core';
import type { Calibration, Delay } from '../calibration.ts';
import type { PlannedCase } from '../case-plan.ts';
import type { Random } from '../random.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command of a script: the runner adds the case id, the command id and `occurredAt`. */
export type ScriptCommand = DistributiveOmit<CaseCommandInput, 'caseId' | 'commandId' | 'occurredAt' | 'correlationId' | 'causationId'>;

/** One command of a case, at an instant (epoch milliseconds, UTC). */
export interface Step {
  readonly at: number;
  readonly command: ScriptCommand;
}

/**
 * Part of a case's script: steps in any order (the runner queues them by time), and how to write
 * the next part when the case reaches `next.at`. A case holds only its current segment, so a year
 * of cases in flight never holds every step of every case: what is written late is not held early.
 * Every step of the next segment comes strictly after `next.at`.
 */
export interface Segment {
  readonly steps: readonly Step[];
  readonly next?: { readonly at: number; readonly write: () => Segment };
}

/** What a path's script is written from. */
export interface ScriptContext {
  readonly plannedCase: PlannedCase;
  readonly calibration: Calibration;
  readonly policy: FundPolicy;
  readonly counsellor: Actor & { readonly role: 'counsellor' };
  readonly random: Random;
}

const minute = 60_000;
const dayMillis = 86_400_000;

/** Instants on working days, in office hours: a counsellor does not call at 3 a.m. or on Sunday. */
export class Timeline {
  readonly #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  /** An instant in office hours on `day` (or the Monday after, for a weekend day). */
  onDay(day: string): number {
    const date = Date.parse(`${day}T00:00:00.000Z`);
    const weekday = new Date(date).getUTCDay();
    const shift = weekday === 6 ? 2 : weekday === 0 ? 1 : 0;
    return date + shift * dayMillis + (8 * 60 + 30 + this.#random.int(0, 540)) * minute;
  }

  /** An instant `days` working-calendar days after `anchor`, never before it. */
  after(anchor: number, days: number): number {
    if (days === 0) return this.sameSitting(anchor);
    const at = this.onDay(addDays(new Date(anchor).toISOString().slice(0, 10), days));
    return Math.max(at, anchor + minute);
  }

  /** An instant a delay (drawn from the calibration) after `anchor`. */
  afterDelay(anchor: number, delay: Delay): number {
    return this.after(anchor, this.#random.delay(delay));
  }

  /** A few minutes after `anchor`: the next thing done in the same call or sitting. */
  sameSitting(anchor: number): number {
    return anchor + this.#random.int(1, 15) * minute;
  }
}

/** The day (`YYYY-MM-DD`) of an instant in epoch milliseconds. */
export function dayOfMillis(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** A `LogTime` step of the counsellor, minutes drawn from the calibration. */
export function logTime(
  context: ScriptContext,
  at: number,
  activity: 'triage' | 'administrative-review' | 'contact' | 'planning' | 'follow-up' | 'partner-coordination',
  strand?: 'rights' | 'care' | 'prevention' | 'social' | 'digital',
): Step {
  const { minutes } = context.calibration;
  const delay = {
    triage: minutes.triage,
    'administrative-review': minutes.review,
    contact: minutes.contact,
    planning: minutes.planning,
    'follow-up': minutes.followUp,
    'partner-coordination': minutes.partnerCoordination,
  }[activity];
  const logged = Math.max(1, context.random.delay(delay));
  return {
    at,
    command: { type: 'LogTime', actor: context.counsellor, data: { minutes: logged, activity, ...(strand ? { strand } : {}) } },
  };
}
