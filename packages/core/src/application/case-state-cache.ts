/**
 * The cases a command handler has seen lately, so that a command does not replay its case's whole
 * stream: the handler reads only the events appended since (usually none) and folds them in.
 * Bounded, least recently used first out, so memory does not grow with the number of cases.
 */
import type { CaseState } from '../domain/lifecycle/case-state.ts';

/** A case as last seen: its state, and the ids of the commands already in its stream. */
export interface CachedCase {
  readonly state: CaseState;
  /** For idempotency: a command id in here is a retry, answered from the stream. */
  readonly commandIds: ReadonlySet<string>;
}

/** A least-recently-used map of case states. A capacity of 0 keeps nothing. */
export class CaseStateCache {
  readonly #capacity: number;
  // A Map iterates in insertion order: re-inserting on every use keeps the least recent first.
  readonly #entries = new Map<string, CachedCase>();

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError(`cachedCases must be a whole number ≥ 0, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** How many cases are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached state of a case, marked most recently used; undefined when not cached. */
  get(caseId: string): CachedCase | undefined {
    const entry = this.#entries.get(caseId);
    if (entry !== undefined) {
      this.#entries.delete(caseId);
      this.#entries.set(caseId, entry);
    }
    return entry;
  }

  /** Caches a case's state, evicting the least recently used case beyond the capacity. */
  set(caseId: string, entry: CachedCase): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(caseId);
    this.#entries.set(caseId, entry);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** Forgets a case (its state must be read from the log again). */
  delete(caseId: string): void {
    this.#entries.delete(caseId);
  }
}
