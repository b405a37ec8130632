/**
 * One append to the SQLite event log, in as few statements as its guarantees allow.
 *
 * The usual append is new work on the stream's head: it runs one probe (the expected version is
 * the stream's last event) and one insert per event, and the unique constraints do the checking:
 * - `(stream_id, version)`: a stale writer's first event takes a version already stored;
 * - `events_by_command`, unique over the first event of each append: a command id already in the
 *   stream fails the first insert, whatever the version it was sent at;
 * - `event_id`: an event id already stored anywhere in the log.
 * Only when the probe misses or the first insert fails does the append look up why, as before:
 * the command's earlier events (a retry, or a reused id), the event ids, the stream's version.
 * Nothing was written by then, so that answer is the whole story. A later insert can only fail on
 * an event id stored elsewhere, which refuses the append: the caller's transaction rolls it back.
 */
import type { DatabaseSync } from 'node:sqlite';
import {
  appendFingerprint,
  assertSameCommand,
  assertWellFormedAppend,
  ConcurrencyError,
  MisasError,
  type AppendRequest,
  type AppendResult,
  type EventRecord,
} from '@misas/core';
import { prepared } from './connection.ts';
import { integer, json, plainJsonOr, text, toJson, type Row } from './rows.ts';
import type { SqliteVault } from './vault.ts';

/** An event ready for its row. */
export interface EventRow {
  readonly eventId: string;
  readonly version: number;
  readonly type: string;
  readonly data: string;
  readonly meta: string;
  /** The event as its schema reads it (what `data` and `meta` hold), to give back without a re-parse. */
  readonly event: { readonly data: unknown; readonly meta: unknown };
}

/** SQLite's extended result code for a UNIQUE constraint failure. */
const SQLITE_CONSTRAINT_UNIQUE = 2067;

const sql = {
  head: 'SELECT 1 AS found FROM events WHERE stream_id = ? AND version = ?',
  insert: 'INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id, first_of_command) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  byCommand: 'SELECT type, data, meta FROM events WHERE stream_id = ? AND command_id = ? ORDER BY version',
  byEventId: 'SELECT 1 AS found FROM events WHERE event_id = ?',
  streamEventById: 'SELECT type, data, meta FROM events WHERE stream_id = ? AND event_id = ?',
  version: 'SELECT COALESCE(MAX(version), 0) AS version FROM events WHERE stream_id = ?',
} as const;

const anotherStream =
  'these event ids are already stored in another stream: a retry carries its own events, so event ids must be unique across the log (check the id generator and its seed)';

/** A row as an event record. */
export function recordOf(row: Row): EventRecord {
  return { type: text(row, 'type'), data: json(row, 'data'), meta: json(row, 'meta') };
}

/**
 * The rows of an append. Everything that can be refused without the database is refused here,
 * before touching it, each event's full schema included: the rows hold the events as their
 * schemas read them.
 */
export function rowsOf(request: AppendRequest): EventRow[] {
  const checked = assertWellFormedAppend(request);
  const rows = checked.events.map((event, index) => ({
    eventId: event.meta.eventId,
    version: event.meta.version,
    type: event.type,
    data: toJson(event.data, `event ${index} (${event.type}) data`),
    meta: toJson(event.meta, `event ${index} (${event.type}) meta`),
    event,
  }));
  if (new Set(rows.map((row) => row.eventId)).size !== rows.length) {
    throw new MisasError('invalid-append', 'the same event id appears twice in one append');
  }
  return rows;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'errcode' in error && error.errcode === SQLITE_CONSTRAINT_UNIQUE;
}

/**
 * Runs `request` (its `rows` from `rowsOf`) on `db`, which must be inside the write transaction
 * that makes the append atomic; `vault` writes its `vaultPuts` in that same transaction.
 */
export function appendRows(db: DatabaseSync, vault: SqliteVault, request: AppendRequest, rows: readonly EventRow[]): AppendResult {
  const { streamId, commandId, expectedVersion } = request;
  if (expectedVersion > 0 && prepared(db, sql.head).get(streamId, expectedVersion) === undefined) {
    return resolveConflict(db, request, rows, undefined);
  }
  const insert = prepared(db, sql.insert);
  for (const [index, row] of rows.entries()) {
    try {
      insert.run(streamId, row.version, row.type, row.data, row.meta, row.eventId, commandId, index === 0 ? 1 : 0);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (index === 0) return resolveConflict(db, request, rows, error);
      // The first event was new, so not every id is known: some are, which is refused.
      throw new MisasError('duplicate-event-id', `some of these event ids are already stored, not all (event ${index}: ${row.eventId})`);
    }
  }
  // Same transaction: the personal data is stored with the events that refer to it, or not at all.
  if (request.vaultPuts && request.vaultPuts.length > 0) vault.putWithin(request.vaultPuts);
  // Given back from the events in hand, not parsed again from the text just stored: plain JSON
  // values are what a later read gives back; anything else (an undefined field, a Date) is.
  const events = rows.map((row) => ({
    type: row.type,
    data: plainJsonOr(row.event.data, row.data, 'data'),
    meta: plainJsonOr(row.event.meta, row.meta, 'meta'),
  }));
  return { status: 'appended', events, streamVersion: expectedVersion + rows.length };
}

/**
 * Why an append cannot go on the stream's head, nothing of it written: a retry of its command
 * (duplicate), the command id of another command (refused), its events already stored (a retry
 * into the same stream is a duplicate; elsewhere, refused), or a stale expected version.
 */
function resolveConflict(db: DatabaseSync, request: AppendRequest, rows: readonly EventRow[], cause: unknown): AppendResult {
  const { streamId, commandId, expectedVersion } = request;
  const versionRow = prepared(db, sql.version).get(streamId);
  const current = versionRow === undefined ? 0 : integer(versionRow, 'version');

  const earlier = prepared(db, sql.byCommand).all(streamId, commandId).map(recordOf);
  if (earlier.length > 0) {
    // A retry of the same command is a duplicate; the same id for another command is refused.
    assertSameCommand({ caseId: streamId, commandId, fingerprint: appendFingerprint(request) }, earlier);
    return { status: 'duplicate', events: earlier, streamVersion: current };
  }

  const byEventId = prepared(db, sql.byEventId);
  const known = rows.filter((row) => byEventId.get(row.eventId) !== undefined);
  if (known.length === rows.length) {
    const streamEventById = prepared(db, sql.streamEventById);
    const events = rows.flatMap((row) => {
      const stored = streamEventById.get(streamId, row.eventId);
      return stored === undefined ? [] : [recordOf(stored)];
    });
    // Only a retry into the same stream is a duplicate: answering one for another stream's events would drop this command silently.
    if (events.length !== rows.length) throw new MisasError('duplicate-event-id', anotherStream);
    return { status: 'duplicate', events, streamVersion: current };
  }
  if (known.length > 0) throw new MisasError('duplicate-event-id', 'some of these event ids are already stored, not all');

  if (current !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, current);
  // A constraint failure none of the above explains (a row written by hand): not ours to hide.
  throw cause ?? new MisasError('corrupt-row', `stream ${streamId} has no event at version ${expectedVersion} yet reports it as its version`);
}
