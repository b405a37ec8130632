/**
 * Typed access to the rows `node:sqlite` returns. A row is a bag of SQLite values; each reader
 * checks the column holds what the schema promises, so a damaged or foreign file fails loudly
 * instead of flowing on as the wrong type.
 */
import type { StatementSync } from 'node:sqlite';
import { MisasError, type JsonValue } from '@misas/core';

/** One row as `StatementSync.get`/`all` return it. */
export type Row = NonNullable<ReturnType<StatementSync['get']>>;

function unexpected(column: string, expected: string, value: unknown): MisasError {
  const found = value === null ? 'NULL' : value instanceof Uint8Array ? 'a blob' : typeof value;
  return new MisasError('corrupt-row', `SQLite column '${column}' should hold ${expected}, found ${found}`);
}

/** A TEXT column. */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw unexpected(column, 'text', value);
  return value;
}

/** An INTEGER column, read as a JavaScript number (every integer we store is far below 2^53). */
export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw unexpected(column, 'a safe integer', value);
  return value;
}

/** A BLOB column, as a Buffer (what `node:crypto` wants), sharing the row's memory. */
export function blob(row: Row, column: string): Buffer {
  const value = row[column];
  if (!(value instanceof Uint8Array)) throw unexpected(column, 'a blob', value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** A TEXT column holding JSON, parsed. */
export function json(row: Row, column: string): JsonValue {
  return parseJson(text(row, column), column);
}

/** Parses JSON text this adapter wrote. */
export function parseJson(source: string, what: string): JsonValue {
  try {
    // JSON.parse only ever produces JSON values, so the type below states a fact, not a hope.
    return JSON.parse(source) as JsonValue;
  } catch {
    throw new MisasError('corrupt-row', `SQLite column '${what}' does not hold valid JSON`);
  }
}

/** Serialises a value for a JSON column; refuses what JSON cannot carry instead of storing `undefined`. */
export function toJson(value: unknown, what: string): string {
  const serialised: string | undefined = JSON.stringify(value);
  if (serialised === undefined) throw new MisasError('invalid-json', `${what} is not JSON-serialisable`);
  return serialised;
}
