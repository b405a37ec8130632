/**
 * The lifecycle step of a case, derived from its events the way the core state machine moves.
 * Read models cannot hold an XState snapshot, so they follow the few events that move a case;
 * a property test checks the result against the machine's own `statusOf` on random histories.
 */
import { z } from 'zod';
import type { CaseEvent } from '@misas/core';

/** Every step a case can be in, as `statusOf` spells it (`contact.awaiting`…). */
export const CaseStep = z.enum([
  'triage',
  'review',
  'contact.awaiting',
  'contact.reached',
  'contact.consentRefused',
  'planning',
  'accompaniment',
  'closed',
  'redirected',
  'declined',
]);
export type CaseStep = z.infer<typeof CaseStep>;

/** A step filter: a step, or `contact` for any of its substeps. */
export type CaseStepFilter = CaseStep | 'contact';

/** The steps of an open case (between referral and closure), in lifecycle order. */
export const openSteps = [
  'triage',
  'review',
  'contact.awaiting',
  'contact.reached',
  'contact.consentRefused',
  'planning',
  'accompaniment',
] as const satisfies readonly CaseStep[];
/** A step of an open case. */
export type OpenStep = (typeof openSteps)[number];

/** Whether a case in this step is open (the machine's `open` tag). */
export function isOpenStep(step: CaseStep): step is OpenStep {
  return (openSteps as readonly string[]).includes(step);
}

/** Whether `step` matches a filter: equal, or a substep of `contact`. */
export function stepMatches(step: CaseStep, filter: CaseStepFilter): boolean {
  return step === filter || step.startsWith(`${filter}.`);
}

/**
 * The step after `event`. `planAgreed` says whether a plan was agreed before this event: a
 * reopened case goes back to the accompaniment if so, else to contact. Events that the machine
 * records without moving leave the step as it is; the log only holds events the machine accepted.
 */
export function stepAfter(step: CaseStep, event: CaseEvent, planAgreed: boolean): CaseStep {
  switch (event.type) {
    case 'ReferralReceived':
      return 'triage';
    case 'ReferralAccepted':
      return 'review';
    case 'ReferralRedirected':
      return 'redirected';
    case 'ReferralDeclined':
      return 'declined';
    case 'ReviewCompleted':
      return 'contact.awaiting';
    case 'ContactAttempted':
      return step === 'contact.awaiting' && event.data.reached ? 'contact.reached' : step;
    case 'ConsentRecorded':
      return step === 'contact.reached' && event.data.decision === 'refused' ? 'contact.consentRefused' : step;
    case 'NeedsIdentified':
      return step === 'contact.reached' ? 'planning' : step;
    case 'PlanAgreed':
      return step === 'planning' ? 'accompaniment' : step;
    case 'CaseClosed':
      return 'closed';
    case 'CaseReopened':
      return planAgreed ? 'accompaniment' : 'contact.awaiting';
    default:
      return step;
  }
}

/** The event types that can move a case to another step: a projection following the step must handle them all. */
export const stepEvents = [
  'ReferralReceived',
  'ReferralAccepted',
  'ReferralRedirected',
  'ReferralDeclined',
  'ReviewCompleted',
  'ContactAttempted',
  'ConsentRecorded',
  'NeedsIdentified',
  'PlanAgreed',
  'CaseClosed',
  'CaseReopened',
] as const;
