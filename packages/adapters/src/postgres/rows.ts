/**
 * Reading rows: pg hands back `any`, so every value this adapter uses goes through a check here.
 * A row of an unexpected shape is a bug or a foreign schema, and is reported by column name.
 */
import { MisasError, type JsonValue } from '@misas/core';
import { runStatement, type Db } from './connection.ts';

/** One row as pg returns it, before any check. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Runs a query and returns its rows, unchecked: prepared when the storage prepares, inside the
 * write batch when one is open (see `runStatement`).
 */
export async function query(db: Db, text: string, values: readonly unknown[] = []): Promise<readonly Row[]> {
  const result = await runStatement(db, text, values);
  return result.rows;
}

/** Runs a statement for its effect; returns how many rows it touched. */
export async function execute(db: Db, text: string, values: readonly unknown[] = []): Promise<number> {
  const result = await runStatement(db, text, values);
  return result.rowCount ?? 0;
}

/** The single row a query must return (aggregates, `RETURNING` of a one-row statement). */
export async function queryOne(db: Db, text: string, values: readonly unknown[] = []): Promise<Row> {
  const rows = await query(db, text, values);
  const [row] = rows;
  if (rows.length !== 1 || row === undefined) throw shapeError('(row count)', `exactly one row, got ${rows.length}`);
  return row;
}

function shapeError(column: string, expected: string): MisasError {
  return new MisasError('unexpected-row', `PostgreSQL returned an unexpected value in column '${column}': expected ${expected}`);
}

/** A text column. */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw shapeError(column, `text, got ${typeof value}`);
  return value;
}

/** A text column that may be NULL. */
export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : text(row, column);
}

/**
 * An integer column. int8 (bigint, count(*)) arrives as a decimal string because it may exceed
 * 2^53; we convert it, and refuse what a JavaScript number cannot hold exactly.
 */
export function integer(row: Row, column: string): number {
  const value = row[column];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw shapeError(column, `an integer within ±2^53, got ${typeof value === 'string' ? value : typeof value}`);
  return parsed;
}

/** A boolean column. */
export function boolean(row: Row, column: string): boolean {
  const value = row[column];
  if (typeof value !== 'boolean') throw shapeError(column, `boolean, got ${typeof value}`);
  return value;
}

/** A bytea column. */
export function bytes(row: Row, column: string): Buffer {
  const value = row[column];
  if (!Buffer.isBuffer(value)) throw shapeError(column, `bytea, got ${typeof value}`);
  return value;
}

/** A bytea column that may be NULL. */
export function optionalBytes(row: Row, column: string): Buffer | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : bytes(row, column);
}

/** A json/jsonb column, as pg parsed it (`JSON.parse`), not yet interpreted. */
export function json(row: Row, column: string): unknown {
  if (!(column in row)) throw shapeError(column, 'a JSON value, got no such column');
  return row[column];
}

/** A json/jsonb column holding a JSON value (a read-model document, an outbox payload). */
export function jsonValue(row: Row, column: string): JsonValue {
  const value = json(row, column);
  if (!isJsonValue(value)) throw shapeError(column, 'a JSON value');
  return value;
}

/** Whether `value` is made only of what JSON can express. */
export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isJsonValue);
  }
  return false;
}
