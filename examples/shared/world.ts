/**
 * A small harness for the examples: the secured entry point (`createMisas`) on in-memory storage,
 * a virtual clock and seeded ids, and a `send` that moves the clock to a given instant before a
 * session sends a command. The same seed gives the same events, byte for byte.
 */
import {
  caseFileOf,
  createInMemoryStorage,
  requiredReviewItems,
  type ReviewItem,
  seededUlidGenerator,
  statusOf,
  VirtualClock,
  type CaseEvent,
  type CaseFile,
  type CommandResult,
  type MisasStorage,
  type Outcome,
  type PlanStrand,
  type ProblemCategory,
  type PolicyProvider,
  type ReviewFinding,
} from '@misas/core';
import { createMisas, type Misas, type MisasSession, type SessionCommand } from '@misas/service';
import { formatTimeline } from './timeline.ts';

/** A command as an example writes it: the case and the command id are filled in. */
export type Step = Omit<SessionCommand, 'caseId' | 'commandId'>;

export interface World {
  readonly clock: VirtualClock;
  readonly storage: MisasStorage;
  readonly misas: Misas;
  /** Moves the clock to `instant` (if later than now), then sends `step` to `caseId` as `session`. */
  send(session: MisasSession, caseId: string, instant: string, step: Step): Promise<CommandResult>;
  /** The case's events, read back from the log. */
  events(caseId: string): Promise<readonly CaseEvent[]>;
  /** The case file rebuilt from the log. */
  file(caseId: string): Promise<CaseFile>;
  /** The case's step (`closed`, `contact.reached`…). */
  status(caseId: string): Promise<string>;
  /** The case's timeline, as `formatTimeline` prints it. */
  timeline(caseId: string): Promise<string>;
}

export interface WorldOptions {
  /** The first instant of the virtual clock. */
  readonly start: string;
  /** Seed of the ids: the same seed gives the same events. */
  readonly seed: number;
  readonly policies?: PolicyProvider;
}

/** Creates a world on in-memory storage. */
export function createWorld(options: WorldOptions): World {
  const clock = new VirtualClock(options.start);
  const storage = createInMemoryStorage();
  const misas = createMisas({
    storage,
    clock,
    ids: seededUlidGenerator(options.seed, clock),
    ...(options.policies ? { policies: options.policies } : {}),
  });
  let n = 0;
  const load = (caseId: string) => misas.handler.load(caseId);
  return {
    clock,
    storage,
    misas,
    async send(session, caseId, instant, step) {
      if (instant > clock.now().toISOString()) clock.set(instant);
      return session.execute({ ...step, caseId, commandId: `${caseId}-${++n}` } as SessionCommand);
    },
    events: async (caseId) => (await load(caseId)).events,
    file: async (caseId) => caseFileOf((await load(caseId)).state),
    status: async (caseId) => statusOf((await load(caseId)).state),
    timeline: async (caseId) => formatTimeline((await load(caseId)).events),
  };
}

/**
 * The steps of a whole administrative review: every checklist item `in-order` unless listed as
 * needing action or not applicable, then `CompleteReview`.
 */
export function reviewSteps(findings: Partial<Record<ReviewItem, ReviewFinding>>): Step[] {
  return [
    ...requiredReviewItems.map((item): Step => ({ type: 'RecordReviewItem', data: { item, finding: findings[item] ?? 'in-order' } })),
    { type: 'CompleteReview', data: {} },
  ];
}

/** The last lines every example prints: the case's step, closure and partners. */
export function formatFinalState(status: string, file: CaseFile): string {
  const referrals = Object.values(file.partnerReferrals);
  return [
    `Final state: ${status}`,
    file.closure ? `Closure: ${file.closure.reason}; oriented to ${file.closure.orientedTo.join(', ') || 'none'}` : 'Closure: none',
    `Partner referrals (${referrals.length}): ${referrals.map((r) => `${r.partner} (${r.status})`).join(', ') || 'none'}`,
    `Outcomes: ${file.outcomes.map(describeOutcome).join(', ') || 'none'}`,
  ].join('\n');
}

function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'right-opened') return `right opened (${outcome.right})`;
  if (outcome.kind === 'care-carried-out') return `care carried out (${outcome.careType})`;
  return `€${(outcome.amountCents / 100).toFixed(2)} out-of-pocket saved`;
}

/** The first steps of a plain case: accepted, reviewed (all in order), the person reached, needs identified. */
export function stepsToPlanning(counsellorId: string, needs: { problems: ProblemCategory[]; strands: PlanStrand[] }): Step[] {
  return [
    { type: 'AcceptReferral', data: { counsellorId } },
    ...reviewSteps({}),
    { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } },
    { type: 'IdentifyNeeds', data: needs },
  ];
}
