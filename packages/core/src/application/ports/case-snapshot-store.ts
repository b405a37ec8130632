/**
 * The case snapshot port: where the command handler keeps a snapshot of a long case, so that a
 * cold load reads the snapshot and only the events after it. Narrow on purpose — read the latest,
 * keep one, delete a stream's — and only a cache: a snapshot is checked against the stream before
 * it is trusted (see `loadCase`), and a store that loses one costs a replay, never a wrong state.
 */

/** A snapshot as stored: whose stream, up to which event, and the JSON the handler persisted. */
export interface StoredCaseSnapshot {
  /** The stream (case id) the snapshot was taken of; snapshots are scoped per stream, as events are. */
  readonly streamId: string;
  /** The version of the last event folded in. */
  readonly version: number;
  /**
   * The id of that event. A load trusts the snapshot only if the stream holds this very event at
   * `version`: a snapshot ahead of the stream (a rolled-back write batch), copied from another
   * case, or of a stream that was rewritten, is ignored.
   */
  readonly eventId: string;
  /** JSON-serialisable; validated on every read (it is read back as `unknown`). */
  readonly data: unknown;
}

/**
 * Guarantees every implementation gives (the `case snapshots` conformance suite checks them):
 * - `read` gives back the latest snapshot written for the stream, or undefined; never another
 *   stream's;
 * - `write` keeps one snapshot per stream and never replaces a snapshot of a higher version;
 * - after `delete`, `read` gives undefined until a new `write`.
 */
export interface CaseSnapshotStore {
  /** The latest snapshot of a stream, as stored: the caller validates it. */
  read(streamId: string): Promise<StoredCaseSnapshot | undefined>;
  /** Keeps `snapshot` as the stream's snapshot unless the one kept is of a higher version. */
  write(snapshot: StoredCaseSnapshot): Promise<void>;
  /** Removes every snapshot of the stream (after an erasure, for one). */
  delete(streamId: string): Promise<void>;
}
