/**
 * The audit trail in SQLite, with the filters, paging and purge rules of the in-memory trail
 * (the shared rules of `@misas/core`: batch validation, page limits, instant keys). A batch is
 * written in one `BEGIN IMMEDIATE` transaction, so it lands whole or not at all.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
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
import { immediate } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import type { Row } from './rows.ts';

const columns =
  'id, at, principal_role, principal_id, principal_fund_id, action, name, outcome, fund_id, case_id, subject_ref, personal_data, rule';

/** `AuditTrail` on a SQLite connection; see the port for the guarantees. */
export class SqliteAuditTrail implements AuditTrail {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #insert: StatementSync;
  readonly #purge: StatementSync;
  /** One prepared query per combination of criteria (at most 2^8), prepared on first use. */
  readonly #queries = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, gate: ConnectionGate) {
    this.#db = db;
    this.#gate = gate;
    this.#insert = db.prepare(
      `INSERT INTO audit_entries (${columns}, at_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.#purge = db.prepare('DELETE FROM audit_entries WHERE at_key < ?');
  }

  async record(entries: readonly AuditEntry[]): Promise<void> {
    // Validated before the transaction opens: a bad entry refuses the batch without touching the file.
    const valid = validAuditEntries(entries);
    if (valid.length === 0) return;
    await this.#gate.write(() =>
      immediate(this.#db, () => {
        for (const entry of valid) {
          this.#insert.run(
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
            entry.personalData ? 1 : 0,
            entry.rule,
            auditInstantKey(entry.at),
          );
        }
      }),
    );
  }

  async query(filter: AuditFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage> {
    const limit = auditPageLimit(page);
    const { fromKey, toKey } = auditTimeBounds(filter);
    const conditions: string[] = [];
    const values: string[] = [];
    const criterion = (condition: string, value: string | null | undefined) => {
      if (value === undefined || value === null) return;
      conditions.push(condition);
      values.push(value);
    };
    criterion('id > ?', page.after);
    criterion('fund_id = ?', filter.fundId);
    criterion('case_id = ?', filter.caseId);
    criterion('subject_ref = ?', filter.subjectRef);
    criterion('principal_id = ?', filter.principalId);
    criterion('at_key >= ?', fromKey);
    criterion('at_key <= ?', toKey);
    if (filter.personalDataOnly === true) conditions.push('personal_data = 1');
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const statement = this.#prepared(`SELECT ${columns} FROM audit_entries ${where} ORDER BY id LIMIT ?`);
    // One row more than the page: whether it exists says if there is a next page.
    const rows = await this.#gate.read(() => statement.all(...values, limit + 1));
    const entries = rows.slice(0, limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, next: rows.length > limit && last !== undefined ? last.id : null };
  }

  async purgeBefore(before: string): Promise<number> {
    const beforeKey = auditInstantKey(before, 'before');
    const result = await this.#gate.write(() => immediate(this.#db, () => this.#purge.run(beforeKey)));
    return Number(result.changes);
  }

  #prepared(sql: string): StatementSync {
    let statement = this.#queries.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#queries.set(sql, statement);
    }
    return statement;
  }
}

/** A row read back, checked against the schema: a damaged or hand-edited row fails loudly. */
function toEntry(row: Row): AuditEntry {
  const personalData = row['personal_data'];
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
    // SQLite has no boolean: the column holds 0 or 1; anything else goes to the schema as is, and fails.
    personalData: personalData === 1 ? true : personalData === 0 ? false : personalData,
    rule: row['rule'],
  });
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new MisasError('corrupt-row', `SQLite table audit_entries holds a row that is not a valid audit entry (${where})`);
  }
  return parsed.data;
}
