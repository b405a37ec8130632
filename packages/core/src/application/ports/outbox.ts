/**
 * The outbox: messages to deliver outside the library (a detector's notice, for instance), kept
 * durably until delivered. Delivery is at-least-once: a receiver must accept a message twice.
 * Time is passed in (`now`), never read from a wall clock, so that simulations stay deterministic.
 */
import type { JsonValue } from './personal-data-vault.ts';

/** A message waiting for delivery. */
export interface OutboxMessage {
  /** Unique id; enqueuing the same id twice keeps one message (e.g. the id of the event it comes from). */
  readonly id: string;
  /** Where it goes, e.g. `detector-notice`. */
  readonly topic: string;
  readonly payload: JsonValue;
  /** Earliest delivery time (ISO instant). */
  readonly availableAt: string;
  /** How many deliveries were attempted. */
  readonly attempts: number;
}

/**
 * Messages written with a commit and delivered after it, at least once: claimed under a lease,
 * marked delivered or failed (and retried).
 */
export interface Outbox {
  /** Adds messages; ids already present are ignored. */
  enqueue(messages: readonly { id: string; topic: string; payload: JsonValue; availableAt: string }[]): Promise<void>;
  /**
   * Takes up to `limit` messages available at `now`, oldest first, and hides them from other
   * claimers for `leaseMs`. A message not marked delivered by then is claimable again.
   */
  claim(options: { now: Date; limit: number; leaseMs: number }): Promise<readonly OutboxMessage[]>;
  /** Marks messages delivered: they are never claimed again. */
  markDelivered(ids: readonly string[]): Promise<void>;
  /** Records a failed delivery: the message comes back at `retryAt`. */
  markFailed(id: string, retryAt: string): Promise<void>;
  /** Messages not yet delivered (for monitoring). */
  pendingCount(): Promise<number>;
}
