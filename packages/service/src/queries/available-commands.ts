/**
 * `session.availableCommands(caseId)`: what a screen needs to show a case's buttons. The case is
 * loaded once, as the command handler loads it; access to the query is decided on that case (the
 * same refusals as reading it: another fund's case is "not found", a case outside a counsellor's
 * team is denied), and the answer is computed from that same state by the pure
 * `availableCommandsOf` of `@misas/core` — so each command's verdict is the one `execute` would
 * give on this state.
 */
import { availableCommandsOf, caseFileOf, type AvailableCommands } from '@misas/core';
import { answerCase, type CaseReadDeps } from '../case-read.ts';

/**
 * Every command but `ReceiveReferral`, allowed or with the rule that blocks it, for the session's principal.
 * @throws AccessDeniedError when the role may not ask it, or the case is outside a counsellor's scope
 * @throws CaseNotFoundError when the case is unknown or another fund's (one answer for both)
 */
export async function availableCommands(deps: CaseReadDeps, caseId: string): Promise<AvailableCommands> {
  const { context, principal } = deps;
  const { state } = await context.handler.load(caseId);
  const file = caseFileOf(state);
  const fundId = file.fundId;
  const found = state.version > 0 && fundId !== null ? { data: state, facts: { fundId, counsellorId: file.counsellorId, subjectRef: file.subjectRef } } : undefined;
  return answerCase(deps, 'available-commands', caseId, found, async (loaded) =>
    availableCommandsOf(caseId, loaded, principal, { now: context.clock.now(), policy: context.policies(fundId ?? '') }),
  );
}
