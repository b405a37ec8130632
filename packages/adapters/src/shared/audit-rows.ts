/**
 * What the SQL audit trails share: the columns of `audit_entries`, the filter as column criteria,
 * and a row read back as a validated entry. Each adapter only adds its placeholders and its
 * boolean encoding.
 */
import { AuditEntry, auditInstantKey, auditTimeBounds, MisasError, type AuditFilter } from '@misas/core';

/** The columns of an entry, in the order they are written (`at_key` follows them). */
export const auditColumns =
  'id, at, principal_role, principal_id, principal_fund_id, action, name, outcome, fund_id, case_id, subject_ref, personal_data, rule';

/** The values of an entry in `auditColumns` order, then its `at_key`; `personal_data` as the store encodes it. */
export function auditRowValues<TBool>(entry: AuditEntry, encode: (flag: boolean) => TBool): Array<string | null | TBool> {
  return [
    entry.id,
    entry.at,
    entry.principal.role,
    entry.principal.id,
    entry.principal.fundId,
    entry.action,
    entry.name,
    entry.outcome,
    entry.fundId,
    entry.caseId,
    entry.subjectRef,
    encode(entry.personalData),
    entry.rule,
    auditInstantKey(entry.at),
  ];
}

/** One criterion of a query: `column operator value`, or `column IS NULL` (no value). */
export type AuditCriterion =
  | { readonly column: string; readonly operator: '=' | '>' | '>=' | '<='; readonly value: string }
  | { readonly column: string; readonly operator: 'IS NULL' };

/** The filter and the page cursor as criteria (all must hold); `personal_data` is left to the store's encoding. */
export function auditCriteria(filter: AuditFilter, after: string | null | undefined): AuditCriterion[] {
  const { fromKey, toKey } = auditTimeBounds(filter);
  // `fundId: null` asks for the entries filed under no fund, which `=` would never match.
  const noFund: AuditCriterion[] = filter.fundId === null ? [{ column: 'fund_id', operator: 'IS NULL' }] : [];
  const candidates: Array<[string, '=' | '>' | '>=' | '<=', string | null | undefined]> = [
    ['id', '>', after],
    ['fund_id', '=', filter.fundId],
    ['case_id', '=', filter.caseId],
    ['subject_ref', '=', filter.subjectRef],
    ['principal_id', '=', filter.principalId],
    ['at_key', '>=', fromKey],
    ['at_key', '<=', toKey],
  ];
  return [...noFund, ...candidates.flatMap(([column, operator, value]): AuditCriterion[] => (value === undefined || value === null ? [] : [{ column, operator, value }]))];
}

/** A row read back, checked against the schema: a damaged or hand-edited row fails loudly. */
export function auditEntryFromRow(row: Readonly<Record<string, unknown>>, personalData: unknown, store: 'SQLite' | 'PostgreSQL'): AuditEntry {
  const parsed = AuditEntry.safeParse({
    id: row['id'],
    at: row['at'],
    principal: { role: row['principal_role'], id: row['principal_id'], fundId: row['principal_fund_id'] },
    action: row['action'],
    name: row['name'],
    outcome: row['outcome'],
    fundId: row['fund_id'],
    caseId: row['case_id'],
    subjectRef: row['subject_ref'],
    personalData,
    rule: row['rule'],
  });
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    // Each store keeps the error code its other row readers use.
    throw new MisasError(store === 'SQLite' ? 'corrupt-row' : 'unexpected-row', `${store} table audit_entries holds a row that is not a valid audit entry (${where})`);
  }
  return parsed.data;
}
