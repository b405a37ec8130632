/**
 * Storage for read models and their checkpoints. A projection's writes and its checkpoint are
 * saved in one transaction, so a projection that crashes and restarts neither loses nor repeats
 * an event: exactly-once, on every store that implements this port.
 */
import type { JsonValue } from './personal-data-vault.ts';

/** One stored document of a read model. */
export interface ReadModelDocument {
  readonly key: string;
  readonly value: JsonValue;
}

/** How to page through a collection, in key order. */
export interface ListOptions {
  /** Only keys starting with this prefix. */
  readonly prefix?: string;
  /** Only keys strictly greater than this one (for paging). */
  readonly after?: string;
  readonly limit?: number;
}

/** What a projection may read and write inside one transaction. */
export interface ProjectionTransaction {
  /** The document under `key`, as this transaction sees it (its own writes included). */
  get(collection: string, key: string): Promise<JsonValue | undefined>;
  /** Writes a document, visible to others once the transaction commits. */
  put(collection: string, key: string, value: JsonValue): Promise<void>;
  /** Deletes a document (nothing if there is none). */
  delete(collection: string, key: string): Promise<void>;
  /** Documents of a collection in key order. */
  list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]>;
  /** Global position up to which `projection` has processed the log (0 if never run). */
  checkpoint(projection: string): Promise<number>;
  /** Records that `projection` has processed the log up to `position`, with the transaction. */
  saveCheckpoint(projection: string, position: number): Promise<void>;
  /** Removes every document of a collection (used by rebuilds). */
  clear(collection: string): Promise<void>;
}

/** How a projection transaction commits. */
export interface ProjectionTransactionOptions {
  /**
   * `relaxed`: the commit may be lost to a power failure or an OS crash until a later durable
   * commit of the same store (any ordinary one) covers it; it is still all or nothing, and never
   * damages what was committed before. For writes that can be redone and that nothing reads yet:
   * a rebuild's fill of a new generation, which queries only read after the durable switch. A
   * store without such a mode commits durably, as by default.
   */
  readonly durability?: 'durable' | 'relaxed';
}

/**
 * Read-model storage. Everything done inside `transaction` is committed together, or not at all
 * when the callback throws.
 */
export interface ProjectionStore {
  /** Runs `work` in one transaction: all its writes commit together, or none when it throws. */
  transaction<T>(work: (tx: ProjectionTransaction) => Promise<T>, options?: ProjectionTransactionOptions): Promise<T>;
  /** Reads outside a transaction see only committed work. */
  get(collection: string, key: string): Promise<JsonValue | undefined>;
  /** Committed documents of a collection in key order. */
  list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]>;
  /** Committed position up to which `projection` has processed the log (0 if never run). */
  checkpoint(projection: string): Promise<number>;
}
