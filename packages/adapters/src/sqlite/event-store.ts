/**
 * The event log in SQLite. One table holds every stream; `position` is the global order.
 * SQLite admits one writer at a time and an append takes the write lock before choosing its
 * positions, so positions are handed out in commit order: a reader that has seen position `p`
 * is never shown a later commit at or below `p`.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  MisasError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type PersonalDataVault,
  type ProjectionTransaction,
  type ReadAllOptions,
  type StoredEvent,
} from '@misas/core';
import { appendRows, rowsOf } from './append.ts';
import { immediate, prepared } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import type { SqliteProjectionStore } from './projection-store.ts';
import { integer, json, parseJson, text, unexpected, type Row } from './rows.ts';
import type { SqliteVault } from './vault.ts';

// One object per row read (`recordOf`'s fields and the position), not a record then a copy of it.
function storedOf(row: Row): StoredEvent {
  return { type: text(row, 'type'), data: json(row, 'data'), meta: json(row, 'meta'), position: integer(row, 'position') };
}

/**
 * A row of the global read, which comes as an array (`position, type, data, meta`): a log read
 * builds tens of thousands of rows, and arrays cost `node:sqlite` and V8 less than objects with
 * named columns. Each column is checked as `storedOf` checks it.
 */
function storedOfColumns(row: unknown): StoredEvent {
  if (!Array.isArray(row)) throw unexpected('events', 'a row of 4 columns', row);
  const position: unknown = row[0];
  const type: unknown = row[1];
  const data: unknown = row[2];
  const meta: unknown = row[3];
  if (typeof position !== 'number' || !Number.isSafeInteger(position)) throw unexpected('position', 'a safe integer', position);
  if (typeof type !== 'string') throw unexpected('type', 'text', type);
  if (typeof data !== 'string') throw unexpected('data', 'text', data);
  if (typeof meta !== 'string') throw unexpected('meta', 'text', meta);
  return { type, data: parseJson(data, 'data'), meta: parseJson(meta, 'meta'), position };
}

function wholeNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new MisasError('invalid-read', `${what} must be a whole number ≥ 0, got ${value}`);
  return value;
}

/** `EventStore` on a SQLite connection; see the port for the guarantees. */
export class SqliteEventStore implements EventStore {
  /** Every row was written by `append` or `appendWith`, after its event's full schema (`rowsOf`, append.ts). */
  readonly validatedOnWrite = true;
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #stream: StatementSync;
  readonly #all: StatementSync;
  /** `#all` hands rows back as arrays (Node ≥ 24); on older Node, as objects with named columns. */
  readonly #allAsArrays: boolean;
  readonly #head: StatementSync;
  readonly #projections: SqliteProjectionStore;
  readonly #vault: SqliteVault;

  /**
   * @param projections the read models of the same connection and gate: `appendWith` runs the
   *   append inside one of their transactions, so both commit together
   * @param vault the vault of the same connection: an append writes its `vaultPuts` there, in its
   *   own transaction
   */
  constructor(db: DatabaseSync, gate: ConnectionGate, projections: SqliteProjectionStore, vault: SqliteVault) {
    this.#db = db;
    this.#gate = gate;
    this.#projections = projections;
    this.#vault = vault;
    this.#stream = prepared(db, 'SELECT position, type, data, meta FROM events WHERE stream_id = ? AND version >= ? ORDER BY version');
    // Its own statement, not the shared cache's: it hands rows back as arrays (storedOfColumns).
    this.#all = db.prepare('SELECT position, type, data, meta FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.#allAsArrays = typeof this.#all.setReturnArrays === 'function';
    if (this.#allAsArrays) this.#all.setReturnArrays(true);
    this.#head = prepared(db, 'SELECT COALESCE(MAX(position), 0) AS position FROM events');
  }

  commitsWithVault(vault: PersonalDataVault): boolean {
    return vault === this.#vault;
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const rows = rowsOf(request);
    return this.#gate.write(() => {
      const result = immediate(this.#db, () => this.#appendLocked(request, rows));
      // Committed (unless inside a write batch): a chance to finish an erasure a reader held off.
      this.#vault.afterWrite();
      return result;
    });
  }

  /**
   * Appends and runs `alongside` in the same `BEGIN IMMEDIATE` transaction: a projection
   * transaction of this connection, in which the append's checks and inserts run first. The gate
   * therefore treats it like any projection transaction — other operations of this storage wait
   * for its commit, and `alongside` may read through the other ports but not write through them.
   * A duplicate commits an empty transaction without calling `alongside`; a conflict, or a throw
   * from `alongside`, rolls the events and the read-model writes back together.
   */
  async appendWith(request: AppendRequest, alongside: (tx: ProjectionTransaction) => Promise<void>): Promise<AppendResult> {
    const rows = rowsOf(request);
    const appended = await this.#projections.transaction(async (tx) => {
      // The statements below bypass the gate: they must run on the open transaction, and would
      // silently autocommit on their own if the projection store were on another connection.
      if (!this.#db.isTransaction) {
        throw new MisasError('inline-unsupported', 'the projection store given to this event store is not on its connection');
      }
      const result = this.#appendLocked(request, rows);
      if (result.status === 'appended') await alongside(tx);
      return result;
    });
    if (this.#vault.erasurePending) await this.#gate.write(() => this.#vault.afterWrite());
    return appended;
  }

  /** The append itself, under the file's write lock: every check sees the latest commit. */
  #appendLocked(request: AppendRequest, rows: ReturnType<typeof rowsOf>): AppendResult {
    return appendRows(this.#db, this.#vault, request, rows);
  }

  async readStream(streamId: string, options: { readonly fromVersion?: number } = {}): Promise<readonly StoredEvent[]> {
    const from = options.fromVersion ?? 1;
    if (!Number.isFinite(from)) throw new MisasError('invalid-read', `fromVersion must be a number, got ${from}`);
    return this.#gate.read(() => this.#stream.all(streamId, from).map(storedOf));
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    const after = wholeNumber(options.after ?? 0, 'after');
    // SQLite reads a negative LIMIT as "no limit".
    const limit = options.limit === undefined ? -1 : wholeNumber(options.limit, 'limit');
    return this.#gate.read(() => this.#all.all(after, limit).map(this.#allAsArrays ? storedOfColumns : storedOf));
  }

  async headPosition(): Promise<number> {
    return this.#gate.read(() => {
      const row = this.#head.get();
      return row === undefined ? 0 : integer(row, 'position');
    });
  }
}
