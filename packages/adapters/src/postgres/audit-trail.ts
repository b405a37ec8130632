/**
 * The audit trail on PostgreSQL, in the storage's schema, with the filters, paging and purge rules
 * of the in-memory trail (the shared rules of `@misas/core`: batch validation, page limits, instant
 * keys). A batch is one INSERT statement, so it lands whole or not at all.
 */
import {
  AuditEntry,
  auditInstantKey,
  auditPageLimit,
  auditTimeBounds,
  MisasError,
  validAuditEntries,
  type AuditFilter,
  type AuditPage,
  type AuditTrail,
} from '@misas/core';
import type pg from 'pg';
import { qualified } from './connection.ts';
import { query, type Row } from './rows.ts';

const columns =
  'id, at, principal_role, principal_id, principal_fund_id, action, name, outcome, fund_id, case_id, subject_ref, personal_data, rule';

/** The audit trail of one schema. */
export class PostgresAuditTrail implements AuditTrail {
  readonly #pool: pg.Pool;
  readonly #table: string;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#table = qualified(schema, 'audit_entries');
  }

  async record(entries: readonly AuditEntry[]): Promise<void> {
    // Validated before the statement is sent: a bad entry refuses the batch without touching the table.
    const valid = firstOfEachId(validAuditEntries(entries));
    if (valid.length === 0) return;
    const column = <T>(pick: (entry: AuditEntry) => T): T[] => valid.map(pick);
    await this.#pool.query(
      `INSERT INTO ${this.#table} (${columns}, at_key)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        column((entry) => entry.id),
        column((entry) => entry.at),
        column((entry) => entry.principal.role),
        column((entry) => entry.principal.id),
        column((entry) => entry.principal.fundId),
        column((entry) => entry.action),
        column((entry) => entry.name),
        column((entry) => entry.outcome),
        column((entry) => entry.fundId),
        column((entry) => entry.caseId),
        column((entry) => entry.subjectRef),
        column((entry) => entry.personalData),
        column((entry) => entry.rule),
        column((entry) => auditInstantKey(entry.at)),
      ],
    );
  }

  async query(filter: AuditFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage> {
    const limit = auditPageLimit(page);
    const { fromKey, toKey } = auditTimeBounds(filter);
    const conditions: string[] = [];
    const values: unknown[] = [];
    const criterion = (condition: (parameter: string) => string, value: string | null | undefined) => {
      if (value === undefined || value === null) return;
      values.push(value);
      conditions.push(condition(`$${values.length}`));
    };
    criterion((p) => `id > ${p}`, page.after);
    criterion((p) => `fund_id = ${p}`, filter.fundId);
    criterion((p) => `case_id = ${p}`, filter.caseId);
    criterion((p) => `subject_ref = ${p}`, filter.subjectRef);
    criterion((p) => `principal_id = ${p}`, filter.principalId);
    criterion((p) => `at_key >= ${p}`, fromKey);
    criterion((p) => `at_key <= ${p}`, toKey);
    if (filter.personalDataOnly === true) conditions.push('personal_data');
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    // One row more than the page: whether it exists says if there is a next page.
    values.push(limit + 1);
    const rows = await query(this.#pool, `SELECT ${columns} FROM ${this.#table} ${where} ORDER BY id LIMIT $${values.length}`, values);
    const entries = rows.slice(0, limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, next: rows.length > limit && last !== undefined ? last.id : null };
  }

  async purgeBefore(before: string): Promise<number> {
    const beforeKey = auditInstantKey(before, 'before');
    const result = await this.#pool.query(`DELETE FROM ${this.#table} WHERE at_key < $1`, [beforeKey]);
    return result.rowCount ?? 0;
  }
}

/**
 * The batch without later repeats of an id. The port keeps the first entry of an id; saying so here
 * does not depend on how PostgreSQL orders the rows of one INSERT among themselves.
 */
function firstOfEachId(entries: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.id)) return false;
    seen.add(entry.id);
    return true;
  });
}

/** A row read back, checked against the schema: a damaged or hand-edited row fails loudly. */
function toEntry(row: Row): AuditEntry {
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
    personalData: row['personal_data'],
    rule: row['rule'],
  });
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new MisasError('unexpected-row', `PostgreSQL table audit_entries holds a row that is not a valid audit entry (${where})`);
  }
  return parsed.data;
}
