/**
 * The outbox in SQLite, with the claim and retry rules of the in-memory outbox. `sequence` records
 * enqueue order, which breaks ties between messages due at the same instant. Instants are compared
 * as ISO strings, as the in-memory outbox does.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { MisasError, type JsonValue, type Outbox, type OutboxMessage } from '@misas/core';
import { immediate } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import { integer, json, text, toJson } from './rows.ts';

/** `Outbox` on a SQLite connection; see the port for the guarantees. */
export class SqliteOutbox implements Outbox {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #nextSequence: StatementSync;
  readonly #insert: StatementSync;
  readonly #due: StatementSync;
  readonly #lease: StatementSync;
  readonly #delivered: StatementSync;
  readonly #failed: StatementSync;
  readonly #pending: StatementSync;

  constructor(db: DatabaseSync, gate: ConnectionGate) {
    this.#db = db;
    this.#gate = gate;
    this.#nextSequence = db.prepare('SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM outbox');
    this.#insert = db.prepare(
      'INSERT INTO outbox (id, sequence, topic, payload, available_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.#due = db.prepare(
      'SELECT id, topic, payload, attempts FROM outbox WHERE delivered = 0 AND available_at <= ? ORDER BY available_at, sequence LIMIT ?',
    );
    this.#lease = db.prepare('UPDATE outbox SET attempts = attempts + 1, available_at = ? WHERE id = ?');
    this.#delivered = db.prepare('UPDATE outbox SET delivered = 1 WHERE id = ?');
    this.#failed = db.prepare('UPDATE outbox SET available_at = ? WHERE id = ? AND delivered = 0');
    this.#pending = db.prepare('SELECT COUNT(*) AS pending FROM outbox WHERE delivered = 0');
  }

  async enqueue(messages: readonly { id: string; topic: string; payload: JsonValue; availableAt: string }[]): Promise<void> {
    const rows = messages.map((message) => ({ ...message, payload: toJson(message.payload, `outbox message ${message.id} payload`) }));
    await this.#gate.write(() =>
      immediate(this.#db, () => {
        for (const row of rows) {
          // The sequence is read under the write lock, so processes enqueuing at once never share one.
          const next = this.#nextSequence.get();
          this.#insert.run(row.id, next === undefined ? 1 : integer(next, 'next'), row.topic, row.payload, row.availableAt);
        }
      }),
    );
  }

  async claim(options: { now: Date; limit: number; leaseMs: number }): Promise<readonly OutboxMessage[]> {
    if (!Number.isSafeInteger(options.limit) || options.limit < 0) {
      throw new MisasError('invalid-claim', `limit must be a whole number ≥ 0, got ${options.limit}`);
    }
    const now = options.now.toISOString();
    const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
    // Select and hide in one write transaction: two claimers, in any processes, never get the same message.
    return this.#gate.write(() =>
      immediate(this.#db, () =>
        this.#due.all(now, options.limit).map((row): OutboxMessage => {
          const id = text(row, 'id');
          this.#lease.run(until, id);
          return { id, topic: text(row, 'topic'), payload: json(row, 'payload'), availableAt: now, attempts: integer(row, 'attempts') + 1 };
        }),
      ),
    );
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    await this.#gate.write(() =>
      immediate(this.#db, () => {
        for (const id of ids) this.#delivered.run(id);
      }),
    );
  }

  async markFailed(id: string, retryAt: string): Promise<void> {
    await this.#gate.write(() => immediate(this.#db, () => this.#failed.run(retryAt, id)));
  }

  async pendingCount(): Promise<number> {
    return this.#gate.read(() => {
      const row = this.#pending.get();
      return row === undefined ? 0 : integer(row, 'pending');
    });
  }
}
