/**
 * The outbox on PostgreSQL, with the claim and retry rules of the in-memory one. Several relays
 * (processes) may claim at once: `FOR UPDATE SKIP LOCKED` hands each message to one of them.
 */
import { MisasError, type JsonValue, type Outbox, type OutboxMessage } from '@misas/core';
import type pg from 'pg';
import { qualified } from './connection.ts';
import { execute, integer, jsonValue, query, queryOne, text } from './rows.ts';

/** The outbox of one schema. */
export class PostgresOutbox implements Outbox {
  readonly #pool: pg.Pool;
  readonly #outbox: string;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#outbox = qualified(schema, 'outbox');
  }

  async enqueue(messages: readonly { id: string; topic: string; payload: JsonValue; availableAt: string }[]): Promise<void> {
    if (messages.length === 0) return;
    for (const message of messages) instant(message.availableAt, `availableAt of message ${message.id}`);
    // One statement; ORDER BY the ordinality so that `seq` breaks ties between equal
    // availableAt in the order given, as in memory.
    await execute(
      this.#pool,
      `INSERT INTO ${this.#outbox} (id, topic, payload, available_at)
       SELECT u.id, u.topic, u.payload::jsonb, u.available_at::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(id, topic, payload, available_at, ord)
       ORDER BY u.ord
       ON CONFLICT (id) DO NOTHING`,
      [
        messages.map((message) => message.id),
        messages.map((message) => message.topic),
        messages.map((message) => JSON.stringify(message.payload)),
        messages.map((message) => message.availableAt),
      ],
    );
  }

  async claim(options: { now: Date; limit: number; leaseMs: number }): Promise<readonly OutboxMessage[]> {
    const now = options.now.toISOString();
    const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
    // One statement: the rows are locked, their lease moved and returned atomically; rows locked by
    // another claimer's statement are skipped rather than waited for.
    const rows = await query(
      this.#pool,
      `WITH due AS (
         SELECT id, available_at, seq FROM ${this.#outbox}
         WHERE NOT delivered AND available_at <= $1::timestamptz
         ORDER BY available_at, seq
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${this.#outbox} AS o
       SET attempts = o.attempts + 1, available_at = $3::timestamptz
       FROM due
       WHERE o.id = due.id
       RETURNING o.id, o.topic, o.payload, o.attempts, due.seq AS claim_seq,
                 (extract(epoch FROM due.available_at) * 1000000)::bigint AS claim_at_us`,
      [now, options.limit, until],
    );
    // RETURNING follows no particular order: sort as the claim query did.
    return [...rows]
      .sort((a, b) => integer(a, 'claim_at_us') - integer(b, 'claim_at_us') || integer(a, 'claim_seq') - integer(b, 'claim_seq'))
      .map((row) => ({
        id: text(row, 'id'),
        topic: text(row, 'topic'),
        payload: jsonValue(row, 'payload'),
        availableAt: now,
        attempts: integer(row, 'attempts'),
      }));
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await execute(this.#pool, `UPDATE ${this.#outbox} SET delivered = true WHERE id = ANY($1::text[])`, [[...ids]]);
  }

  async markFailed(id: string, retryAt: string): Promise<void> {
    instant(retryAt, 'retryAt');
    await execute(this.#pool, `UPDATE ${this.#outbox} SET available_at = $2::timestamptz WHERE id = $1 AND NOT delivered`, [id, retryAt]);
  }

  async pendingCount(): Promise<number> {
    const row = await queryOne(this.#pool, `SELECT count(*) AS pending FROM ${this.#outbox} WHERE NOT delivered`);
    return integer(row, 'pending');
  }
}

// PostgreSQL would accept more spellings than an ISO instant, and read a zone-less one in the
// session's time zone: refuse those here, with the field's name.
function instant(value: string, what: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new MisasError('invalid-instant', `${what} must be an ISO instant with a zone, e.g. 2026-01-05T09:00:00.000Z; got '${value}'`);
  }
}
