/**
 * An outbox in memory, with the same claim and retry rules as the durable ones.
 */
import type { Outbox, OutboxMessage } from '../application/ports/outbox.ts';
import type { JsonValue } from '../application/ports/personal-data-vault.ts';

interface Row {
  readonly id: string;
  readonly topic: string;
  readonly payload: JsonValue;
  readonly sequence: number;
  availableAt: string;
  attempts: number;
  delivered: boolean;
}

/** An outbox in memory, with the same claim and retry rules as the durable ones. */
export class InMemoryOutbox implements Outbox {
  readonly #rows = new Map<string, Row>();
  #sequence = 0;

  async enqueue(messages: readonly { id: string; topic: string; payload: JsonValue; availableAt: string }[]): Promise<void> {
    for (const message of messages) {
      if (this.#rows.has(message.id)) continue;
      this.#rows.set(message.id, {
        ...message,
        payload: structuredClone(message.payload) as JsonValue,
        sequence: ++this.#sequence,
        attempts: 0,
        delivered: false,
      });
    }
  }

  async claim(options: { now: Date; limit: number; leaseMs: number }): Promise<readonly OutboxMessage[]> {
    const now = options.now.toISOString();
    const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
    const due = [...this.#rows.values()]
      .filter((row) => !row.delivered && row.availableAt <= now)
      .sort((a, b) => (a.availableAt < b.availableAt ? -1 : a.availableAt > b.availableAt ? 1 : a.sequence - b.sequence))
      .slice(0, options.limit);
    return due.map((row) => {
      row.attempts += 1;
      row.availableAt = until;
      return { id: row.id, topic: row.topic, payload: structuredClone(row.payload) as JsonValue, availableAt: now, attempts: row.attempts };
    });
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const row = this.#rows.get(id);
      if (row) row.delivered = true;
    }
  }

  async markFailed(id: string, retryAt: string): Promise<void> {
    const row = this.#rows.get(id);
    if (row && !row.delivered) row.availableAt = retryAt;
  }

  async pendingCount(): Promise<number> {
    return [...this.#rows.values()].filter((row) => !row.delivered).length;
  }
}
