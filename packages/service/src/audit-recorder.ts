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
