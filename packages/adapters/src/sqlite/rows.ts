/**
 * Typed access to the rows `node:sqlite` returns. A row is a bag of SQLite values; each reader
 * checks the column holds what the schema promises, so a damaged or foreign file fails loudly
 * instead of flowing on as the wrong type.
 */
import type { StatementSync } from 'node:sqlite';
import { MisasError, type JsonValue } from '@misas/core';

/** One row as `StatementSync.get`/`all` return it. */
export type Row = NonNullable<ReturnType<StatementSync['get']>>;

/** The error for a column that does not hold what the schema promises (names the column, never the value). */
export function unexpected(column: string, expected: string, value: unknown): MisasError {
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

/**
 * True when `value` is a JSON value that `JSON.stringify` then `JSON.parse` give back equal: plain
 * objects and arrays of strings, finite numbers (not -0), booleans and null, no undefined member,
 * no `toJSON`, no class instance, no hole.
 */
export function isPlainJson(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) if (!(index in value) || !isPlainJson(value[index])) return false;
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      if ('toJSON' in value) return false;
      for (const member of Object.values(value)) if (!isPlainJson(member)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * `value` itself when it is plain JSON (what storing it as `serialised` and reading it back gives),
 * else `serialised` parsed: an append gives back what a later read will, without parsing what it
 * has just written in the usual case.
 */
export function plainJsonOr(value: unknown, serialised: string, what: string): JsonValue {
  return isPlainJson(value) ? value : parseJson(serialised, what);
}
