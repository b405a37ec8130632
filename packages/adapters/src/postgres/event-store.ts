/**
 * The event store on PostgreSQL: one table, `events`, with a row per event.
 *
 * An append is usually one statement, hence one transaction and one round trip: an `INSERT` of
 * every event that inserts nothing unless the command is new to the stream and the stream is at the
 * expected version; the unique indexes stop the rest (see `appendWithin`). Rows are inserted
 * without a global position; the sequencer gives positions after commit, and `readAll` /
 * `headPosition` run it first (see sequencer.ts).
 */
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
import pg from 'pg';
import { inTransaction, qualified, type Db } from './connection.ts';
import type { PostgresProjectionStore } from './projection-store.ts';
import { integer, json, query, queryOne, text, type Row } from './rows.ts';
import type { Sequencer } from './sequencer.ts';
import type { PostgresVault } from './vault.ts';

/** SQLSTATE of a unique violation. */
const uniqueViolation = '23505';

function isUniqueViolation(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === uniqueViolation;
}

/**
 * Carries a unique violation of the events' insert out of an inline append's transaction, told
 * apart from anything the caller's callback throws, which must reach the caller unchanged.
 */
class LostRace extends Error {
  readonly violation: pg.DatabaseError;
  constructor(violation: pg.DatabaseError) {
    super('the insert lost a race to a concurrent append', { cause: violation });
    this.violation = violation;
  }
}

/** The event store of one schema. */
export class PostgresEventStore implements EventStore {
  /** Every row was written through `appendWithin`, after its event's full schema (`assertWellFormedAppend`). */
  readonly validatedOnWrite = true;
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #events: string;
  readonly #sequencer: Sequencer;
  readonly #projections: PostgresProjectionStore;
  readonly #vault: PostgresVault;

  /**
   * @param projections the read models of the same schema: `appendWith` appends inside one of
   *   their transactions, so that both commit together
   * @param vault the vault of the same schema: an append writes its `vaultPuts` there, in its own
   *   transaction
   */
  constructor(pool: pg.Pool, schema: string, sequencer: Sequencer, projections: PostgresProjectionStore, vault: PostgresVault) {
    this.#pool = pool;
    this.#schema = schema;
    this.#events = qualified(schema, 'events');
    this.#sequencer = sequencer;
    this.#projections = projections;
    this.#vault = vault;
  }

  commitsWithVault(vault: PersonalDataVault): boolean {
    return vault === this.#vault;
  }

  async append(given: AppendRequest): Promise<AppendResult> {
    // Validated once here; `appendWithin` knows the checked request again.
    const request = assertWellFormedAppend(given);
    try {
      // Without personal data, one statement on the pool: its own transaction, one round trip.
      const result =
        (request.vaultPuts ?? []).length === 0
          ? await appendWithin(this.#pool, this.#schema, request)
          : await inTransaction(this.#pool, (client) => this.#appendOn(client, request));
      // Committed: its writer numbers it soon (sequencer.ts), and a chance to finish an erasure an
      // older snapshot held off.
      if (result.status === 'appended') this.#sequencer.afterAppend();
      await this.#vault.afterWrite();
      return result;
    } catch (error) {
      if (error instanceof LostRace) return this.#afterLostRace(request, error.violation);
      if (!isUniqueViolation(error)) throw error;
      return this.#afterLostRace(request, error);
    }
  }

  /**
   * The append, then its vault puts, on a client inside a transaction the caller ends: both commit
   * or neither. A duplicate writes no entry; a conflict or a refused put throws, and the caller's
   * rollback takes the events with it.
   */
  async #appendOn(client: pg.ClientBase, request: AppendRequest): Promise<AppendResult> {
    let result: AppendResult;
    try {
      result = await appendWithin(client, this.#schema, request);
    } catch (error) {
      // The violation has aborted the transaction, so it cannot be examined from inside:
      // carry it out, let the transaction roll back, and decide as `append` does.
      if (isUniqueViolation(error)) throw new LostRace(error);
      throw error;
    }
    const puts = request.vaultPuts ?? [];
    if (result.status === 'appended' && puts.length > 0) await this.#vault.putWithin(client, puts);
    return result;
  }

  /**
   * Appends and runs `alongside` in one transaction: a projection transaction, so it first takes
   * the projection store's advisory lock — inline writes and projection batches then never
   * interleave their read-modify-write of a document — and then appends exactly as `append` does.
   * Inline appends therefore run one at a time per schema, across processes, like projection
   * batches. The events are numbered by the sequencer after the commit, as any others.
   *
   * `alongside` runs on the transaction's own connection: reads through `tx` see the new events'
   * effects, but the other ports (on other pool connections) see nothing of this transaction.
   */
  async appendWith(given: AppendRequest, alongside: (tx: ProjectionTransaction) => Promise<void>): Promise<AppendResult> {
    const request = assertWellFormedAppend(given);
    try {
      const appended = await this.#projections.transactionWithClient(async (tx, client) => {
        const result = await this.#appendOn(client, request);
        if (result.status === 'appended') await alongside(tx);
        return result;
      });
      if (appended.status === 'appended') this.#sequencer.afterAppend();
      await this.#vault.afterWrite();
      return appended;
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      return this.#afterLostRace(request, error.violation);
    }
  }

  /**
   * A unique index stopped our insert: a concurrent writer committed the same stream version or
   * the same event ids first (PostgreSQL made us wait for its commit before raising). Its rows are
   * visible now, so the same checks as before the insert tell a duplicate from a conflict.
   */
  async #afterLostRace(request: AppendRequest, violation: pg.DatabaseError): Promise<AppendResult> {
    const verdict = await storedVerdict(this.#pool, this.#events, request);
    if (verdict) return verdict;
    // Not reached in practice (the checks above see the winner's rows and throw), but the port
    // promises a ConcurrencyError for a lost race on a stream version, whatever the checks saw.
    if (violation.constraint === 'events_stream_version') {
      throw new ConcurrencyError(request.streamId, request.expectedVersion, await streamVersion(this.#pool, this.#events, request.streamId));
    }
    throw violation;
  }

  async readStream(streamId: string, options: { readonly fromVersion?: number } = {}): Promise<readonly EventRecord[]> {
    const rows = await query(
      this.#pool,
      `SELECT type, data, meta FROM ${this.#events} WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
      [streamId, options.fromVersion ?? 1],
    );
    return rows.map(toRecord);
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    const after = options.after ?? 0;
    const limit = options.limit;
    if (!Number.isSafeInteger(after) || after < 0) throw new MisasError('invalid-read', `after must be a whole number ≥ 0, got ${after}`);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
      throw new MisasError('invalid-read', `limit must be a whole number ≥ 0, got ${limit}`);
    }
    await this.#sequencer.run();
    const rows = await query(
      this.#pool,
      `SELECT position, type, data, meta FROM ${this.#events} WHERE position > $1 ORDER BY position LIMIT $2`,
      [after, limit ?? null],
    );
    return rows.map((row) => ({ ...toRecord(row), position: integer(row, 'position') }));
  }

  async headPosition(): Promise<number> {
    await this.#sequencer.run();
    const row = await queryOne(this.#pool, `SELECT coalesce(max(position), 0) AS head FROM ${this.#events}`);
    return integer(row, 'head');
  }
}

/** How many times an append reads the stream and tries again when it moved onto the expected version meanwhile. */
const attemptsWhenOvertaken = 3;

/**
 * The body of an append. Its usual cost is one statement — one round trip, and on the pool its own
 * transaction (a single statement is atomic): an `INSERT` of every event that inserts nothing unless
 * the checks pass — no event of this command in the stream, the stream at `expectedVersion` —
 * evaluated on the statement's snapshot. Run on a client inside a transaction (`appendWith`, and
 * tests holding an append open), it is part of that transaction, which the caller ends.
 *
 * What the statement does not check, the unique indexes enforce: an event id already stored, or a
 * concurrent writer that commits the same stream version after the snapshot, makes the insert fail
 * with `23505` (after waiting for that writer's commit), which the caller turns into a conflict or a
 * duplicate (`#afterLostRace`). When nothing was inserted, the stored rows are read to say why, in
 * the order of the in-memory store: duplicate command, duplicate event ids, then the version.
 * @throws ConcurrencyError when the stream is not at `expectedVersion`
 * @throws MisasError `duplicate-event-id` when some, but not all, of the event ids are already stored
 */
export async function appendWithin(db: Db, schema: string, given: AppendRequest): Promise<AppendResult> {
  // The events as their schemas read them (free when `append` checked this request already).
  const request = assertWellFormedAppend(given);
  const events = qualified(schema, 'events');
  const encoded = request.events.map((event, index) => ({
    data: encodeJson(event.data, `event ${index} (${event.type}): data`),
    meta: encodeJson(event.meta, `event ${index} (${event.type}): meta`),
  }));
  // ORDER BY the ordinality, so that `seq`, which orders the batch's positions, follows the versions.
  const insert = `
    INSERT INTO ${events} (stream_id, version, event_id, command_id, type, data, meta)
    SELECT $1, u.version, u.event_id, $2, u.type, u.data::jsonb, u.meta::jsonb
    FROM unnest($3::integer[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS u(version, event_id, type, data, meta, ord)
    WHERE NOT EXISTS (SELECT 1 FROM ${events} WHERE stream_id = $1 AND command_id = $2)
      AND (SELECT coalesce(max(version), 0) FROM ${events} WHERE stream_id = $1) = $8::integer
    ORDER BY u.ord
    RETURNING version, type, data, meta`;
  const values = [
    request.streamId,
    request.commandId,
    request.events.map((event) => event.meta.version),
    request.events.map((event) => event.meta.eventId),
    request.events.map((event) => event.type),
    encoded.map((event) => event.data),
    encoded.map((event) => event.meta),
    request.expectedVersion,
  ];

  for (let attempt = 1; ; attempt++) {
    const inserted = await query(db, insert, values);
    if (inserted.length > 0) {
      const stored = [...inserted].sort((a, b) => integer(a, 'version') - integer(b, 'version')).map(toRecord);
      return { status: 'appended', events: stored, streamVersion: request.expectedVersion + stored.length };
    }
    const verdict = await storedVerdict(db, events, request);
    if (verdict) return verdict;
    // The stream was behind `expectedVersion` for the insert and has reached it since (another
    // writer appended in between): the append may go ahead now, so it tries again.
    if (attempt === attemptsWhenOvertaken) {
      throw new ConcurrencyError(request.streamId, request.expectedVersion, await streamVersion(db, events, request.streamId));
    }
  }
}

/**
 * What the stored rows say of an append, read on one snapshot: on the pool, in a read-only
 * REPEATABLE READ transaction of its own; on a client, inside the caller's transaction.
 */
async function storedVerdict(db: Db, events: string, request: AppendRequest): Promise<AppendResult | undefined> {
  if (!(db instanceof pg.Pool)) return checkBeforeInsert(db, events, request);
  return inTransaction(db, (client) => checkBeforeInsert(client, events, request), { readOnlySnapshot: true });
}

/**
 * The checks of an append, as reads of what is stored, in the order of the in-memory store: a
 * command id already in the stream, then event ids already stored, then the expected version.
 * Returns the `duplicate` result, throws for a conflict, or returns undefined when the append may
 * go ahead.
 * @throws CommandIdReusedError when the command id is stored with another command's fingerprint
 */
async function checkBeforeInsert(db: Db, events: string, request: AppendRequest): Promise<AppendResult | undefined> {
  const eventIds = request.events.map((event) => event.meta.eventId);
  const matches = await query(
    db,
    `SELECT type, data, meta, (stream_id = $1 AND command_id = $2) AS same_command, (stream_id = $1) AS same_stream
     FROM ${events}
     WHERE (stream_id = $1 AND command_id = $2) OR event_id = ANY($3::text[])
     ORDER BY seq`,
    [request.streamId, request.commandId, eventIds],
  );
  const current = await streamVersion(db, events, request.streamId);

  const sameCommand = matches.filter((row) => row['same_command'] === true);
  if (sameCommand.length > 0) {
    const earlier = sameCommand.map(toRecord);
    // A retry of the same command is a duplicate; the same id for another command is refused.
    assertSameCommand({ caseId: request.streamId, commandId: request.commandId, fingerprint: appendFingerprint(request) }, earlier);
    return { status: 'duplicate', events: earlier, streamVersion: current };
  }
  if (matches.length === eventIds.length) {
    // Only a retry into the same stream is a duplicate: answering one for another stream's events would drop this command silently.
    if (matches.some((row) => row['same_stream'] !== true)) throw new MisasError('duplicate-event-id', 'these event ids are already stored in another stream: a retry carries its own events, so event ids must be unique across the log (check the id generator and its seed)');
    return { status: 'duplicate', events: matches.map(toRecord), streamVersion: current };
  }
  if (matches.length > 0) throw new MisasError('duplicate-event-id', 'some of these event ids are already stored, not all');
  if (current !== request.expectedVersion) throw new ConcurrencyError(request.streamId, request.expectedVersion, current);
  return undefined;
}

async function streamVersion(db: Db, events: string, streamId: string): Promise<number> {
  const row = await queryOne(db, `SELECT coalesce(max(version), 0) AS version FROM ${events} WHERE stream_id = $1`, [streamId]);
  return integer(row, 'version');
}

function toRecord(row: Row): EventRecord {
  return { type: text(row, 'type'), data: json(row, 'data'), meta: json(row, 'meta') };
}

// Stringified here rather than left to pg, which would turn a JavaScript array into a PostgreSQL
// array literal instead of JSON.
function encodeJson(value: unknown, what: string): string {
  const encoded = JSON.stringify(value);
  if (encoded === undefined) throw new MisasError('invalid-append', `${what} is not JSON-serialisable`);
  return encoded;
}
