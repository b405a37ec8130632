/**
 * A referral filed under a case id that already holds a case. Case ids are global (one stream per
 * case), so a filer can always learn that an id is taken; they must learn nothing more — neither
 * the case's state nor its fund. Every such filing gets one answer, `case-id-taken`, except the
 * principal's own retry of their own filing in their own fund, which is answered as a duplicate.
 */
import type { CaseCommand } from '../../domain/commands.ts';
import type { CaseEvent } from '../../domain/events/recorded.ts';
import { AccessDeniedError } from '../../errors.ts';
import { fundOf, type Principal } from './principal.ts';

/** The rule of the refusal of a referral filed under a taken case id. */
export const caseIdTakenRule = 'case-id-taken';

/**
 * Whether `earlier` — the events the case already holds for this command id — are `principal`'s
 * own filing of this referral, in their own fund: a retry, which may be answered as a duplicate.
 */
export function isOwnFilingRetry(principal: Principal, command: CaseCommand, earlier: readonly CaseEvent[]): boolean {
  const first = earlier[0];
  return (
    command.type === 'ReceiveReferral' &&
    first?.type === 'ReferralReceived' &&
    first.data.fundId === command.data.fundId &&
    first.data.fundId === fundOf(principal) &&
    first.meta.actor.role === principal.role &&
    first.meta.actor.id === principal.id
  );
}

/** The one answer to a referral filed under a taken case id, whoever's case it is (no state, no fund). */
export function caseIdTaken(principal: Principal, caseId: string): AccessDeniedError {
  return new AccessDeniedError({
    role: principal.role,
    action: 'ReceiveReferral',
    rule: caseIdTakenRule,
    reason: `case id ${caseId} is taken: file the referral under a new case id`,
    caseId,
  });
}
