/**
 * The event store port: the one narrow interface every storage adapter implements.
 * Streams are cases; positions order all streams globally.
 */
import type { EventRecord } from '../../domain/events/decode.ts';
import type { EventMetadata } from '../../domain/events/metadata.ts';
import type { PersonalDataVault, VaultPut } from './personal-data-vault.ts';
import type { ProjectionTransaction } from './projection-store.ts';

/** An event to append: type, JSON-serialisable payload, complete metadata. */
export interface NewEvent {
  readonly type: string;
  readonly data: unknown;
  readonly meta: EventMetadata;
}

/** An event as read back from the global log: the stored JSON, still to be decoded, and its position. */
export interface StoredEvent extends EventRecord {
  /**
   * Place in the global log, increasing in commit order: a reader that has seen position `p`
   * will never be shown a new event at or below `p`.
   */
  readonly position: number;
}

/** One atomic append to one stream. */
export interface AppendRequest {
  readonly streamId: string;
  /** The stream's version the writer based its decision on; 0 for a new stream. */
  readonly expectedVersion: number;
  /** The command that produced these events: appending it twice is a no-op. */
  readonly commandId: string;
  /** One or more events, with versions `expectedVersion + 1`, `+ 2`, … */
  readonly events: readonly NewEvent[];
  /**
   * Personal data the events refer to, written into the vault in the append's own transaction:
   * stored with the events, or — for a conflict, a duplicate, a refused put (an erased subject),
   * a crash — not at all. Send it only to a store whose `commitsWithVault(vault)` is true; any
   * other store ignores it.
   */
  readonly vaultPuts?: readonly VaultPut[];
}

/** What an append did. */
export interface AppendResult {
  /** `duplicate` when this command id (or these event ids) were already stored: nothing was written. */
  readonly status: 'appended' | 'duplicate';
  /**
   * The events of this command as stored (the earlier ones, for a duplicate). Without positions:
   * a store may give an event its global position only once its transaction is known committed.
   */
  readonly events: readonly EventRecord[];
  /** The stream's version after the append. */
  readonly streamVersion: number;
}

/** Where to start reading the global log, and how much. */
export interface ReadAllOptions {
  /** Read events strictly after this position; 0 (default) reads from the start. */
  readonly after?: number;
  /** At most this many events (default: all). */
  readonly limit?: number;
}

/**
 * Guarantees every implementation gives (the conformance suite checks them):
 * - an append is atomic: all its events are stored, or none;
 * - `expectedVersion` is enforced: a stale writer gets a `ConcurrencyError` and writes nothing;
 * - a command id already appended to the stream returns `duplicate` and writes nothing;
 * - `readAll` returns events in position order with no event skipped by a concurrent commit.
 */
export interface EventStore {
  /** Appends events to one stream, atomically, if the stream is still at `expectedVersion`. */
  append(request: AppendRequest): Promise<AppendResult>;
  /** The stream's events in version order (empty for an unknown stream). */
  readStream(streamId: string, options?: { readonly fromVersion?: number }): Promise<readonly EventRecord[]>;
  /** The global log in position order. */
  readAll(options?: ReadAllOptions): Promise<readonly StoredEvent[]>;
  /** The position of the last event, 0 when empty. */
  headPosition(): Promise<number>;
  /**
   * Appends, and runs `alongside` against the read models in the same transaction: both commit,
   * or neither does (inline projections). `alongside` is not called for a duplicate. Stores whose
   * read models live in the same database implement it; the command handler requires it only
   * when inline projections are configured.
   */
  appendWith?(request: AppendRequest, alongside: (tx: ProjectionTransaction) => Promise<void>): Promise<AppendResult>;
  /**
   * True when this store writes `AppendRequest.vaultPuts` into this very `vault` (same database)
   * inside the append's transaction, by `append` and `appendWith` alike. The command handler then
   * sends personal data with the events instead of writing the vault first, so that no crash can
   * leave personal data that no event refers to. Stores without it, or answering false for a
   * vault of their own kind but another database, get the vault written before the append (see
   * `sweepOrphanedPersonalData` for what a crash in between leaves).
   */
  commitsWithVault?(vault: PersonalDataVault): boolean;
  /**
   * True when every event this store gives back was validated against its full schema when it was
   * written — by this store's `append`, which refuses an invalid event (`assertWellFormedAppend`
   * does it for the stores of misas) — and nothing writes the events otherwise. Readers then
   * decode an event at its current schema version with a cheap envelope check instead of the
   * whole schema (`eventCheckOf`, `decodeEvent`). Leave it out unless the store validates so:
   * every read then runs the full schemas. Verify mode (`openStorage(url, { verify: true })`,
   * `fullyCheckedReads`) answers false.
   */
  readonly validatedOnWrite?: boolean;
}
