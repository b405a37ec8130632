/**
 * A case's whole script, written from its plan and its own seed: the same planned case always gives
 * the same steps, whichever cases are played around it.
 */
import type { FundPolicy } from '@misas/core';
import type { Calibration } from '../calibration.ts';
import type { PlannedCase } from '../case-plan.ts';
import { Random } from '../random.ts';
import { accompaniedScript } from './accompaniment-path.ts';
import { consentRefusedScript, unreachableScript } from './contact-paths.ts';
import { Timeline, type ScriptContext, type Segment, type Step } from './timeline.ts';
import { endedAtTriageScript, redirectedOnFormScript } from './triage-paths.ts';

/**
 * The first segment of a case's script (see {@link Segment}): the runner writes the rest when the
 * case comes to it. The same planned case always gives the same steps, however it is read.
 */
export function caseSegments(plannedCase: PlannedCase, calibration: Calibration, policy: FundPolicy, counsellorId: string): Segment {
  const random = new Random(plannedCase.seed);
  const timeline = new Timeline(random);
  const context: ScriptContext = { plannedCase, calibration, policy, counsellor: { role: 'counsellor', id: counsellorId }, random };
  switch (plannedCase.path) {
    case 'redirected-on-form':
      return { steps: redirectedOnFormScript(context, timeline) };
    case 'redirected-at-triage':
      return { steps: endedAtTriageScript(context, timeline, 'redirect') };
    case 'declined':
      return { steps: endedAtTriageScript(context, timeline, 'decline') };
    case 'unreachable':
      return { steps: unreachableScript(context, timeline) };
    case 'consent-refused':
      return { steps: consentRefusedScript(context, timeline) };
    case 'accompanied':
      return accompaniedScript(context, timeline);
  }
}

/** A case's whole script at once, in time order (a stable sort keeps same-instant steps in the order written). */
export function caseScript(plannedCase: PlannedCase, calibration: Calibration, policy: FundPolicy, counsellorId: string): Step[] {
  const steps: Step[] = [];
  for (let segment: Segment | undefined = caseSegments(plannedCase, calibration, policy, counsellorId); segment; segment = segment.next?.write()) {
    steps.push(...segment.steps);
  }
  return steps.sort((a, b) => a.at - b.at);
}
