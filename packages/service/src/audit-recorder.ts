/**
 * Builds and records audit entries: one per command or query a session runs, allowed or denied.
 */
import type { AuditEntry, Principal } from '@misas/core';
import { fundOf } from '@misas/core';
import type { ServiceContext } from './context.ts';

/** What an entry says beyond who and when. */
export interface AuditFacts {
  readonly action: AuditEntry['action'];
  readonly name: string;
  readonly outcome: AuditEntry['outcome'];
  readonly fundId: string | null;
  readonly caseId?: string | null;
  readonly subjectRef?: string | null;
  readonly personalData: boolean;
  readonly rule?: string | null;
}

/** Records what `principal` did, stamped with the injected clock and ids. */
export async function recordAudit(context: ServiceContext, principal: Principal, facts: readonly AuditFacts[]): Promise<void> {
  if (facts.length === 0) return;
  const at = context.clock.now().toISOString();
  await context.storage.audit.record(
    facts.map((fact) => ({
      id: context.ids.next(),
      at,
      principal: { role: principal.role, id: principal.id, fundId: fundOf(principal) },
      action: fact.action,
      name: fact.name,
      outcome: fact.outcome,
      fundId: fact.fundId,
      caseId: fact.caseId ?? null,
      subjectRef: fact.subjectRef ?? null,
      personalData: fact.personalData,
      rule: fact.rule ?? null,
    })),
  );
}

/** What a refusal is about: the command or query, and the case it aimed at, when there is one. */
export interface Refusal {
  readonly action: AuditEntry['action'];
  readonly name: string;
  readonly caseId?: string | null;
  /** The rule the caller was answered with. */
  readonly rule: string;
  /** The fund whose case or data the attempt aimed at, when known, and the rule it is filed under there. */
  readonly target?: { readonly fundId: string | null; readonly rule: string };
}

/**
 * The entries of a refusal, none holding personal data: one under the caller's fund (`null` for a
 * national principal: the national auditor reads those), so that the caller's own auditor sees
 * it, and one under the fund aimed at when that is another, so that its auditor sees the attempt.
 * The caller's entry is built from what the caller was told only, so it is the same whether the
 * case exists in another fund or nowhere.
 */
export function refusalFacts(principal: Principal, refusal: Refusal): AuditFacts[] {
  const callerFund = fundOf(principal);
  const base = { action: refusal.action, name: refusal.name, outcome: 'denied', caseId: refusal.caseId ?? null, personalData: false } as const;
  const facts: AuditFacts[] = [{ ...base, fundId: callerFund, rule: refusal.rule }];
  const target = refusal.target;
  if (target && target.fundId !== null && target.fundId !== callerFund) facts.push({ ...base, fundId: target.fundId, rule: target.rule });
  return facts;
}
