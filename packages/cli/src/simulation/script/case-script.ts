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
import { Timeline, type ScriptContext, type Step } from './timeline.ts';
import { endedAtTriageScript, redirectedOnFormScript } from './triage-paths.ts';

/** The steps of a case in time order (a stable sort keeps same-instant steps in the order written). */
export function caseScript(plannedCase: PlannedCase, calibration: Calibration, policy: FundPolicy, counsellorId: string): Step[] {
  const random = new Random(plannedCase.seed);
  const timeline = new Timeline(random);
  const context: ScriptContext = { plannedCase, calibration, policy, counsellor: { role: 'counsellor', id: counsellorId }, random };
  const steps = ((): Step[] => {
    switch (plannedCase.path) {
      case 'redirected-on-form':
        return redirectedOnFormScript(context, timeline);
      case 'redirected-at-triage':
        return endedAtTriageScript(context, timeline, 'redirect');
      case 'declined':
        return endedAtTriageScript(context, timeline, 'decline');
      case 'unreachable':
        return unreachableScript(context, timeline);
      case 'consent-refused':
        return consentRefusedScript(context, timeline);
      case 'accompanied':
        return accompaniedScript(context, timeline);
    }
  })();
  return steps.sort((a, b) => a.at - b.at);
}
