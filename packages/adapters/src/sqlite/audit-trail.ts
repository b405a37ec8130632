/**
 * The audit trail in SQLite, with the filters, paging and purge rules of the in-memory trail
 * (the shared rules of `@misas/core`: batch validation, page limits, instant keys). A batch is
 * written in one `BEGIN IMMEDIATE` transaction, so it lands whole or not at all.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  auditInstantKey,
  auditPageLimit,
  validAuditEntries,
  type AuditEntry,
  type AuditFilter,
  type AuditPage,
  type AuditTrail,
} from '@misas/core';
import { immediate } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import { auditColumns, auditCriteria, auditEntryFromRow, auditRowValues } from '../shared/audit-rows.ts';
import type { Row } from './rows.ts';

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
      `INSERT INTO audit_entries (${auditColumns}, at_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
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
          // SQLite has no boolean: 1 or 0.
          this.#insert.run(...auditRowValues(entry, (flag) => (flag ? 1 : 0)));
        }
      }),
    );
  }

  async query(filter: AuditFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage> {
    const limit = auditPageLimit(page);
    const criteria = auditCriteria(filter, page.after);
    const conditions = criteria.map((criterion) => (criterion.operator === 'IS NULL' ? `${criterion.column} IS NULL` : `${criterion.column} ${criterion.operator} ?`));
    const values = criteria.flatMap((criterion) => (criterion.operator === 'IS NULL' ? [] : [criterion.value]));
    if (filter.personalDataOnly === true) conditions.push('personal_data = 1');
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const statement = this.#prepared(`SELECT ${auditColumns} FROM audit_entries ${where} ORDER BY id LIMIT ?`);
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

/** A row read back; SQLite has no boolean, so `personal_data` is 0 or 1 (anything else fails validation as is). */
function toEntry(row: Row): AuditEntry {
  const personalData = row['personal_data'];
  return auditEntryFromRow(row, personalData === 1 ? true : personalData === 0 ? false : personalData, 'SQLite');
}
