/**
 * The audit trail on PostgreSQL, in the storage's schema, with the filters, paging and purge rules
 * of the in-memory trail (the shared rules of `@misas/core`: batch validation, page limits, instant
 * keys). A batch is one INSERT statement, so it lands whole or not at all.
 */
import {
  auditInstantKey,
  auditPageLimit,
  validAuditEntries,
  type AuditEntry,
  type AuditFilter,
  type AuditPage,
  type AuditTrail,
} from '@misas/core';
import type pg from 'pg';
import { qualified } from './connection.ts';
import { auditColumns, auditCriteria, auditEntryFromRow, auditRowValues } from '../shared/audit-rows.ts';
import { execute, query } from './rows.ts';

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
    // One array per column, unnested into rows: the batch is one statement.
    const rows = valid.map((entry) => auditRowValues(entry, (flag) => flag));
    const columnsOf = (index: number) => rows.map((row) => row[index]);
    await execute(
      this.#pool,
      `INSERT INTO ${this.#table} (${auditColumns}, at_key)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[])
       ON CONFLICT (id) DO NOTHING`,
      Array.from({ length: auditColumns.split(',').length + 1 }, (_, index) => columnsOf(index)),
    );
  }

  async query(filter: AuditFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage> {
    const limit = auditPageLimit(page);
    const values: unknown[] = [];
    const conditions = auditCriteria(filter, page.after).map((criterion) => {
      if (criterion.operator === 'IS NULL') return `${criterion.column} IS NULL`;
      values.push(criterion.value);
      return `${criterion.column} ${criterion.operator} $${values.length}`;
    });
    if (filter.personalDataOnly === true) conditions.push('personal_data');
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    // One row more than the page: whether it exists says if there is a next page.
    values.push(limit + 1);
    const rows = await query(this.#pool, `SELECT ${auditColumns} FROM ${this.#table} ${where} ORDER BY id LIMIT $${values.length}`, values);
    const entries = rows.slice(0, limit).map((row) => auditEntryFromRow(row, row['personal_data'], 'PostgreSQL'));
    const last = entries.at(-1);
    return { entries, next: rows.length > limit && last !== undefined ? last.id : null };
  }

  async purgeBefore(before: string): Promise<number> {
    const beforeKey = auditInstantKey(before, 'before');
    const deleted = await execute(this.#pool, `DELETE FROM ${this.#table} WHERE at_key < $1`, [beforeKey]);
    return deleted;
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
