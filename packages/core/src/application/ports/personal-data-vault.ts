/**
 * The personal-data vault port. Personal data never enters the event log: it is stored here,
 * encrypted with a key per person (subject), itself wrapped under a master key kept outside the
 * store (`KeyWrapper`). Destroying the key (`shred`) makes every copy of
 * the data unreadable for good — crypto-shredding — while the log stays append-only.
 */

import type { RewrapOptions, RewrapReport } from './key-wrapper.ts';

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The answer to a read. `erased` is final: the subject's key no longer exists. */
export type VaultRead =
  | { readonly status: 'found'; readonly value: JsonValue }
  | { readonly status: 'missing' }
  | { readonly status: 'erased' };

/**
 * One entry to write into a subject of the vault. An append may carry these (`AppendRequest.vaultPuts`)
 * to a store that writes them in the append's own transaction (`EventStore.commitsWithVault`).
 */
export interface VaultPut {
  readonly subjectRef: string;
  readonly entry: string;
  readonly value: JsonValue;
}

/**
 * Where personal data lives, out of the event log: each entry encrypted with its subject's key, so
 * that destroying the key (`erase`) makes every copy unreadable, backups included.
 */
export interface PersonalDataVault {
  /** Encrypts and stores one entry of a subject, creating the subject's key on first use. Refused once erased. */
  put(subjectRef: string, entry: string, value: JsonValue): Promise<void>;
  /** Decrypts one entry. */
  get(subjectRef: string, entry: string): Promise<VaultRead>;
  /** Every entry of a subject (for the right of access), or `erased`. */
  entries(subjectRef: string): Promise<{ readonly status: 'erased' } | { readonly status: 'found'; readonly entries: Readonly<Record<string, JsonValue>> }>;
  /** Deletes one entry (e.g. undoing a write whose command was refused). */
  remove(subjectRef: string, entry: string): Promise<void>;
  /** Destroys the subject's key and data. Idempotent. */
  shred(subjectRef: string): Promise<void>;
  /**
   * Wraps every stored subject key under the current master key, in batches, each committed on its
   * own: a run stopped half-way is resumed by the next one. Once it reports `remaining: 0`, the
   * older master keys are no longer needed.
   */
  rewrapKeys(options?: RewrapOptions): Promise<RewrapReport>;
  /**
   * For a vault on disk: finishes the erasures whose key bytes a reader's older snapshot kept in
   * the database files after `shred` returned (the key is deleted and reads answer `erased`, but
   * the bytes wait for a checkpoint or a rewrite). Retries until none is pending or `timeoutMs`
   * has passed, and returns the subjects still pending (empty on success).
   */
  completePendingErasures?(options?: { readonly timeoutMs?: number }): Promise<PendingErasures>;
}

/** Erasures not yet complete on disk: see `PersonalDataVault.completePendingErasures`. */
export interface PendingErasures {
  readonly pending: readonly string[];
}

/** One entry a vault holds, as its inventory lists it (no value: the sweeper never reads personal data). */
export interface VaultInventoryEntry {
  readonly subjectRef: string;
  readonly entry: string;
  /** When the entry was last written, as an ISO 8601 instant from the vault's clock. */
  readonly writtenAt: string;
}

/**
 * A vault that can list what it holds. A vault that cannot share the event store's transaction
 * (any vault but the one of the same storage) implements it, so that `sweepOrphanedPersonalData`
 * can find the entries a crash left without their event.
 */
export interface InventoriedVault extends PersonalDataVault {
  /** Every entry of every subject not erased, with when it was written. */
  inventory(): Promise<readonly VaultInventoryEntry[]>;
}
