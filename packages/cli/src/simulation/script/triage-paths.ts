/**
 * The paths that end at triage: a complex social situation ticked on the form (redirected on
 * receipt by the library itself), one the counsellor redirects, and a referral declined.
 */
import { referralStep } from './referral-form.ts';
import { logTime, type ScriptContext, type Step } from './timeline.ts';

/** Receipt and triage of a case taken on: the first steps of every path that goes on. */
export function receiveAndAccept(context: ScriptContext, timeline: import('./timeline.ts').Timeline): { steps: Step[]; acceptedAt: number } {
  const { calibration, counsellor, plannedCase } = context;
  const receivedAt = timeline.afterDelay(timeline.onDay(plannedCase.referralDate), calibration.delays.receipt);
  const acceptedAt = timeline.afterDelay(receivedAt, calibration.delays.triage);
  return {
    acceptedAt,
    steps: [
      referralStep(context, receivedAt),
      { at: acceptedAt, command: { type: 'AcceptReferral', actor: counsellor, data: { counsellorId: counsellor.id } } },
      logTime(context, timeline.sameSitting(acceptedAt), 'triage'),
    ],
  };
}

/** Redirected on receipt: `ReceiveReferral` alone redirects a complex social situation. */
export function redirectedOnFormScript(context: ScriptContext, timeline: import('./timeline.ts').Timeline): Step[] {
  const receivedAt = timeline.afterDelay(timeline.onDay(context.plannedCase.referralDate), context.calibration.delays.receipt);
  return [referralStep(context, receivedAt)];
}

/** Redirected or declined by the counsellor at triage. */
export function endedAtTriageScript(context: ScriptContext, timeline: import('./timeline.ts').Timeline, how: 'redirect' | 'decline'): Step[] {
  const { calibration, counsellor, plannedCase, random } = context;
  const receivedAt = timeline.afterDelay(timeline.onDay(plannedCase.referralDate), calibration.delays.receipt);
  const triagedAt = timeline.afterDelay(receivedAt, calibration.delays.triage);
  const decision: Step =
    how === 'redirect'
      ? { at: triagedAt, command: { type: 'RedirectReferral', actor: counsellor, data: {} } }
      : { at: triagedAt, command: { type: 'DeclineReferral', actor: counsellor, data: { reason: random.weighted(calibration.declineReasons) } } };
  return [referralStep(context, receivedAt), decision, logTime(context, timeline.sameSitting(triagedAt), 'triage')];
}
