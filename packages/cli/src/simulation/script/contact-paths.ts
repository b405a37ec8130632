/**
 * The administrative review and the calls, and the paths that end there: a person never reached
 * (closed at the third failed call by the library, or at 45 days by the scheduler) and a person who
 * refuses the accompaniment.
 */
import { addDays, requiredReviewItems, type ReviewFinding } from '@misas/core';
import { receiveAndAccept } from './triage-paths.ts';
import { dayOfMillis, logTime, type ScriptContext, type Step, type Timeline } from './timeline.ts';

/** The review's ten items, each with a finding, then its completion. */
export function reviewSteps(context: ScriptContext, timeline: Timeline, acceptedAt: number): { steps: Step[]; reviewedAt: number } {
  const { calibration, counsellor, random } = context;
  let at = timeline.afterDelay(acceptedAt, calibration.delays.review);
  const steps: Step[] = [];
  for (const item of requiredReviewItems) {
    const finding: ReviewFinding = random.weighted({ 'in-order': 0.7, 'needs-action': 0.22, 'not-applicable': 0.08 });
    steps.push({ at, command: { type: 'RecordReviewItem', actor: counsellor, data: { item, finding } } });
    at = timeline.sameSitting(at);
  }
  steps.push({ at, command: { type: 'CompleteReview', actor: counsellor, data: {} } });
  steps.push(logTime(context, timeline.sameSitting(at), 'administrative-review'));
  return { steps, reviewedAt: at };
}

/** Failed calls: each one a retry delay after the previous, never past `lastDay`. */
function failedCalls(context: ScriptContext, timeline: Timeline, from: number, count: number, lastDay: string): { steps: Step[]; last: number } {
  const steps: Step[] = [];
  let at = from;
  for (let call = 0; call < count; call++) {
    const next = call === 0 ? at : timeline.afterDelay(at, context.calibration.delays.retryCall);
    if (dayOfMillis(next) > lastDay) break;
    at = next;
    steps.push({ at, command: { type: 'RecordContactAttempt', actor: context.counsellor, data: { channel: 'phone', reached: false } } });
  }
  return { steps, last: at };
}

/**
 * From referral to the call that reaches the person, which is always before the scheduler would
 * close the case as unreachable (`unreachableAfterDays` after acceptance).
 */
export function untilReached(context: ScriptContext, timeline: Timeline): { steps: Step[]; reachedAt: number } {
  const { calibration, policy, random, counsellor } = context;
  const accepted = receiveAndAccept(context, timeline);
  const review = reviewSteps(context, timeline, accepted.acceptedAt);
  const lastDay = addDays(dayOfMillis(accepted.acceptedAt), (policy.unreachableAfterDays ?? 365) - 1);
  const firstCall = timeline.afterDelay(review.reviewedAt, calibration.delays.firstCall);
  // Fewer failures than the policy's threshold: the threshold would close the case.
  const failures = Math.min(Number(random.weighted(failureWeights(calibration.failedAttemptsBeforeReach))), policy.unreachableAfterAttempts - 1);
  const failed = failedCalls(context, timeline, firstCall, failures, lastDay);
  const candidate = failed.steps.length === 0 ? firstCall : timeline.afterDelay(failed.last, calibration.delays.retryCall);
  const reachedAt = dayOfMillis(candidate) > lastDay ? timeline.sameSitting(failed.last) : candidate;
  return {
    reachedAt,
    steps: [
      ...accepted.steps,
      ...review.steps,
      ...failed.steps,
      { at: reachedAt, command: { type: 'RecordContactAttempt', actor: counsellor, data: { channel: 'phone', reached: true } } },
      logTime(context, timeline.sameSitting(reachedAt), 'contact'),
    ],
  };
}

function failureWeights(weights: readonly number[]): Record<string, number> {
  return Object.fromEntries(weights.map((weight, failures) => [String(failures), weight]));
}

/**
 * Never reached. Either the counsellor makes as many failed calls as the policy's threshold (the
 * last one closes the case), or fewer, and the scheduler closes it when `unreachableAfterDays` ran out.
 */
export function unreachableScript(context: ScriptContext, timeline: Timeline): Step[] {
  const { calibration, policy, random } = context;
  const accepted = receiveAndAccept(context, timeline);
  const review = reviewSteps(context, timeline, accepted.acceptedAt);
  const byScheduler = policy.unreachableAfterDays !== null && random.chance(calibration.unreachableClosedByScheduler);
  const lastDay = addDays(dayOfMillis(accepted.acceptedAt), (policy.unreachableAfterDays ?? 365) - 1);
  const calls = byScheduler ? random.int(1, Math.max(1, policy.unreachableAfterAttempts - 1)) : policy.unreachableAfterAttempts;
  const firstCall = timeline.afterDelay(review.reviewedAt, calibration.delays.firstCall);
  // No call after `lastDay`: the scheduler has closed the case by then (a threshold path cut short ends that way too).
  const failed = failedCalls(context, timeline, firstCall, calls, lastDay);
  return [...accepted.steps, ...review.steps, ...failed.steps, logTime(context, timeline.sameSitting(failed.last), 'contact')];
}

/** Reached, and refuses: recording the refusal closes the case. */
export function consentRefusedScript(context: ScriptContext, timeline: Timeline): Step[] {
  const reached = untilReached(context, timeline);
  const at = timeline.sameSitting(reached.reachedAt);
  return [
    ...reached.steps,
    { at, command: { type: 'RecordConsent', actor: context.counsellor, data: { decision: 'refused', mode: 'phone', sharingWith: [] } } },
  ];
}
