/**
 * How a session answers a query about one case: the case's register row is read once, access is
 * decided on that row, and the answer is built from that same row — a case that appears or
 * changes between two reads can never be answered on a decision taken for another.
 *
 * An unknown case and another fund's case get the same answer, `CaseNotFoundError`, and the
 * caller's audit entry is the same for both; the attempt on another fund's case is also filed
 * under that fund, as denied and without personal data, for its auditor to see.
 */
import { AccessDeniedError, authorize, CaseNotFoundError, fundOf, personalDataQueries, type Principal, type QueryName } from '@misas/core';
import { caseRegisterName, caseRegisterRow, readModel, type CaseRegisterRow } from '@misas/projections';
import { recordAudit, refusalFacts } from './audit-recorder.ts';
import type { ServiceContext } from './context.ts';

/** What a case query needs from its session. */
export interface CaseReadDeps {
  readonly principal: Principal;
  readonly context: ServiceContext;
  /** Brings the read models up to date with the log. */
  readonly refresh: () => Promise<void>;
}

/** The access facts of a case (a register row, a case file): its fund and its counsellor. */
export function caseTarget(row: { readonly fundId: string; readonly counsellorId: string | null }) {
  return { fundId: row.fundId, counsellorId: row.counsellorId };
}

/** The access facts of one case and who it is about, from whatever the answer will be built on. */
export interface CaseFacts {
  readonly fundId: string;
  readonly counsellorId: string | null;
  readonly subjectRef: string | null;
}

/**
 * Answers query `name` on `caseId` with `answer(row)`, `row` being the one read access was decided on.
 * @throws AccessDeniedError when the role may not ask it, or (in the principal's fund) the scope does not cover the case
 * @throws CaseNotFoundError when the case is unknown or another fund's (the same answer for both)
 */
export async function readCase<T>(deps: CaseReadDeps, name: QueryName, caseId: string, answer: (row: CaseRegisterRow) => Promise<T>): Promise<T> {
  await deps.refresh();
  const row = await caseRegisterRow(readModel(deps.context.storage.projections, caseRegisterName), caseId);
  return answerCase(deps, name, caseId, row && { data: row, facts: row }, answer);
}

/**
 * Decides query `name` on the case described by `found` (undefined: no such case), records it,
 * and answers from that same data — the one rule every query about one case follows.
 * @throws AccessDeniedError when the role may not ask it, or (in the principal's fund) the scope does not cover the case
 * @throws CaseNotFoundError when the case is unknown or another fund's (the same answer for both)
 */
export async function answerCase<D, T>(
  deps: CaseReadDeps,
  name: QueryName,
  caseId: string,
  found: { readonly data: D; readonly facts: CaseFacts } | undefined,
  answer: (data: D) => Promise<T>,
): Promise<T> {
  const { principal, context } = deps;
  const facts = found?.facts;
  // Without a case, the decision is the one on the principal's own fund: only the role can refuse.
  const decision = authorize(principal, { kind: 'query', name }, facts ? caseTarget(facts) : { fundId: fundOf(principal) });
  const aimedAt = facts?.fundId ?? null;
  const refuse = (rule: string, targetRule: string) =>
    recordAudit(context, principal, refusalFacts(principal, { action: 'read', name, caseId, rule, target: { fundId: aimedAt, rule: targetRule } }));
  if (!decision.allowed && decision.rule !== 'other-fund') {
    await refuse(decision.rule, decision.rule);
    throw new AccessDeniedError({ role: principal.role, action: name, rule: decision.rule, reason: decision.reason, caseId });
  }
  if (!found || !facts || !decision.allowed) {
    await refuse('case-not-found', 'other-fund');
    throw new CaseNotFoundError(caseId, fundOf(principal));
  }
  const result = await answer(found.data);
  await recordAudit(context, principal, [
    { action: 'read', name, outcome: 'allowed', fundId: facts.fundId, caseId, subjectRef: facts.subjectRef, personalData: personalDataQueries.has(name) },
  ]);
  return result;
}
