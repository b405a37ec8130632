/**
 * The port that wraps each person's vault key under a master key kept outside the database, so
 * that a copy of the database alone opens nothing. A key-management service plugs in here.
 *
 * `wrap` and `unwrap` are synchronous on purpose: the SQLite vault reads and creates keys inside
 * synchronous transactions, and a network round trip per referral under the write lock would
 * serialise every writer behind the KMS. A KMS therefore plugs in by envelope: it decrypts the
 * master keys once when the process starts (an asynchronous factory of your own), and the wrapper
 * built from them works locally — the master keys live in memory, never in the database.
 */

export interface KeyWrapper {
  /** The id of the master key new wraps use; recorded beside every wrapped key. */
  readonly currentKeyId: string;
  /** Every master key id this wrapper can unwrap with, the current one first. */
  readonly keyIds: readonly string[];
  /** Where the master keys come from (an environment variable, a file), for error messages; never key material. */
  readonly source: string;
  /**
   * Wraps a subject key under the current master key. `context` (see `vaultKeyContext`) is bound
   * as associated data: the bytes unwrap only under the same context, so a wrapped key copied to
   * another subject opens nothing. The bytes carry the master key id (see `keyIdOf`).
   */
  wrap(subjectKey: Buffer, context: string): Buffer;
  /** Unwraps what `wrap` gave, under the master key it names. Throws `MasterKeyError` on an unknown key id or bytes that do not authenticate. */
  unwrap(wrapped: Buffer, context: string): Buffer;
  /** The master key id a wrapped key names, without unwrapping it. */
  keyIdOf(wrapped: Buffer): string;
}

/** What a rewrap run did: how many keys it moved to the current master key and how many are still under older ones. */
export interface RewrapReport {
  readonly currentKeyId: string;
  readonly rewrapped: number;
  /** Stored keys not yet under the current master key when the run stopped (0 once done). */
  readonly remaining: number;
}

/** How a rewrap run proceeds. */
export interface RewrapOptions {
  /** Keys rewrapped per transaction (default 500): a long run never holds a lock for long. */
  readonly batchSize?: number;
  /** Stop after this many keys (a run in slices); the next run resumes where this one stopped. */
  readonly limit?: number;
  /** Called after each committed batch, e.g. to print progress. */
  readonly onBatch?: (progress: RewrapReport) => void;
}

/** The default batch of a rewrap run. */
export const defaultRewrapBatchSize = 500;
