/**
 * The event log in SQLite. One table holds every stream; `position` is the global order.
 * SQLite admits one writer at a time and an append takes the write lock before choosing its
 * positions, so positions are handed out in commit order: a reader that has seen position `p`
 * is never shown a later commit at or below `p`.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  appendFingerprint,
  assertSameCommand,
  assertWellFormedAppend,
  ConcurrencyError,
  MisasError,
  type AppendRequest,
  type AppendResult,
  type EventRecord,
  type EventStore,
  type PersonalDataVault,
  type ProjectionTransaction,
  type ReadAllOptions,
  type StoredEvent,
} from '@misas/core';
import { immediate } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import type { SqliteProjectionStore } from './projection-store.ts';
import { integer, json, parseJson, text, toJson, type Row } from './rows.ts';
import type { SqliteVault } from './vault.ts';

/** An event ready for its row. */
interface EventRow {
  readonly eventId: string;
  readonly version: number;
  readonly type: string;
  readonly data: string;
  readonly meta: string;
}

function recordOf(row: Row): EventRecord {
  return { type: text(row, 'type'), data: json(row, 'data'), meta: json(row, 'meta') };
}

function storedOf(row: Row): StoredEvent {
  return { ...recordOf(row), position: integer(row, 'position') };
}

function wholeNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new MisasError('invalid-read', `${what} must be a whole number ≥ 0, got ${value}`);
  return value;
}

/**
 * The rows of an append. Everything that can be refused without the database is refused here,
 * before touching it, each event's full schema included: the rows hold the events as their
 * schemas read them.
 */
function rowsOf(request: AppendRequest): EventRow[] {
  const checked = assertWellFormedAppend(request);
  const rows = checked.events.map((event, index) => ({
    eventId: event.meta.eventId,
    version: event.meta.version,
    type: event.type,
    data: toJson(event.data, `event ${index} (${event.type}) data`),
    meta: toJson(event.meta, `event ${index} (${event.type}) meta`),
  }));
  if (new Set(rows.map((row) => row.eventId)).size !== rows.length) {
    throw new MisasError('invalid-append', 'the same event id appears twice in one append');
  }
  return rows;
}

/** `EventStore` on a SQLite connection; see the port for the guarantees. */
export class SqliteEventStore implements EventStore {
  /** Every row was written by `append` or `appendWith`, after its event's full schema (`rowsOf`). */
  readonly validatedOnWrite = true;
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #byCommand: StatementSync;
  readonly #byEventId: StatementSync;
  readonly #streamEventById: StatementSync;
  readonly #streamVersion: StatementSync;
  readonly #insert: StatementSync;
  readonly #stream: StatementSync;
  readonly #all: StatementSync;
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
    this.#byCommand = db.prepare('SELECT type, data, meta FROM events WHERE stream_id = ? AND command_id = ? ORDER BY version');
    this.#byEventId = db.prepare('SELECT 1 AS found FROM events WHERE event_id = ?');
    this.#streamEventById = db.prepare('SELECT type, data, meta FROM events WHERE stream_id = ? AND event_id = ?');
    this.#streamVersion = db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM events WHERE stream_id = ?');
    this.#insert = db.prepare(
      'INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#stream = db.prepare('SELECT position, type, data, meta FROM events WHERE stream_id = ? AND version >= ? ORDER BY version');
    this.#all = db.prepare('SELECT position, type, data, meta FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.#head = db.prepare('SELECT COALESCE(MAX(position), 0) AS position FROM events');
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
  #appendLocked(request: AppendRequest, rows: readonly EventRow[]): AppendResult {
    const { streamId, commandId, expectedVersion } = request;
    const current = this.#versionOf(streamId);

    const earlier = this.#byCommand.all(streamId, commandId).map(recordOf);
    if (earlier.length > 0) {
      // A retry of the same command is a duplicate; the same id for another command is refused.
      assertSameCommand({ caseId: streamId, commandId, fingerprint: appendFingerprint(request) }, earlier);
      return { status: 'duplicate', events: earlier, streamVersion: current };
    }

    const known = rows.filter((row) => this.#byEventId.get(row.eventId) !== undefined);
    if (known.length === rows.length) {
      const events = rows.flatMap((row) => {
        const stored = this.#streamEventById.get(streamId, row.eventId);
        return stored === undefined ? [] : [recordOf(stored)];
      });
      // Only a retry into the same stream is a duplicate: answering one for another stream's events would drop this command silently.
      if (events.length !== rows.length) throw new MisasError('duplicate-event-id', 'these event ids are already stored in another stream: a retry carries its own events, so event ids must be unique across the log (check the id generator and its seed)');
      return { status: 'duplicate', events, streamVersion: current };
    }
    if (known.length > 0) throw new MisasError('duplicate-event-id', 'some of these event ids are already stored, not all');

    if (current !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, current);

    for (const row of rows) this.#insert.run(streamId, row.version, row.type, row.data, row.meta, row.eventId, commandId);
    // Same transaction: the personal data is stored with the events that refer to it, or not at all.
    if (request.vaultPuts && request.vaultPuts.length > 0) this.#vault.putWithin(request.vaultPuts);
    // Given back from the JSON just stored, so the caller sees exactly what a later read will.
    const events = rows.map((row) => ({ type: row.type, data: parseJson(row.data, 'data'), meta: parseJson(row.meta, 'meta') }));
    return { status: 'appended', events, streamVersion: expectedVersion + rows.length };
  }

  #versionOf(streamId: string): number {
    const row = this.#streamVersion.get(streamId);
    return row === undefined ? 0 : integer(row, 'version');
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
    return this.#gate.read(() => this.#all.all(after, limit).map(storedOf));
  }

  async headPosition(): Promise<number> {
    return this.#gate.read(() => {
      const row = this.#head.get();
      return row === undefined ? 0 : integer(row, 'position');
    });
  }
}
