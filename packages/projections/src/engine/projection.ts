/**
 * What a projection is: a name, the events it cares about, and how each one changes its read
 * model. Its writes go through a `ProjectionTransaction`, committed with its checkpoint.
 */
import type { CaseEvent, CaseEventType, ProjectionTransaction } from '@misas/core';
import type { ReadModelReader } from './generations.ts';

/** A read model built from the event log. */
export interface Projection {
  /** Unique, stable name; also the name of its checkpoint and lease. */
  readonly name: string;
  /** The event types it handles; others only move its checkpoint forward. */
  readonly handles: readonly CaseEventType[];
  /** The collections it writes, so that a rebuild can drop the generation it replaces. */
  readonly collections: readonly string[];
  /**
   * Applies one event. Must only write through `tx`, so that it commits with the checkpoint.
   * `position` is the event's place in the global log; it is undefined when the projection runs
   * inline, in the append's own transaction, where the position is not assigned yet.
   *
   * Documents are values: never change one read through `tx` or one already written — write a
   * new one. The engine keeps the documents of a batch in memory, and hands back what was written.
   */
  apply(event: CaseEvent, tx: ProjectionTransaction, position: number | undefined): Promise<void>;
  /**
   * True for a projection that runs inline (see `inlineProjector`). Its documents then record,
   * per case, the last version applied, so that the inline path and a catch-up (a rebuild) never
   * apply an event twice, whichever comes first.
   */
  readonly inline?: boolean;
  /**
   * The batch form of `apply`, which catch-ups and rebuilds use instead of `apply` when a
   * projection offers it (see `caseProjection`): the same documents, in a fraction of the time.
   * Without it, the engine calls `apply` for each event. A projection copied with another `apply`
   * must leave this out, or the new `apply` is bypassed everywhere but on the inline path.
   */
  readonly openBatch?: (options: BatchOptions) => ProjectionBatch;
}

/** How a {@link ProjectionBatch} is to run. */
export interface BatchOptions {
  /**
   * The projection runs inline: the batch skips the events of a case at or below the version it
   * recorded for it, and records the versions it applies (as `applyOnce` does).
   */
  readonly inline: boolean;
  /**
   * The generation was empty when the batch was opened and nothing else writes to it (a rebuild
   * fills a generation no one reads yet): a document the batch does not hold is not stored either,
   * so nothing needs reading. Meaningful only for a batch that lives across flushes.
   */
  readonly fresh: boolean;
}

/**
 * A projection's events applied in bulk: each event is applied synchronously to what the batch
 * holds in memory, reading the store only for what it does not hold yet, and the documents that
 * changed are written once, at the flush, in the transaction that saves the checkpoint.
 */
export interface ProjectionBatch {
  /** Reads, through `source`, what applying `events` will need and is not held yet. */
  load(source: ReadModelReader, events: readonly CaseEvent[]): Promise<void>;
  /**
   * Applies one event — one the projection handles, or any event of an inline projection.
   * Synchronous: nothing is read or written here. Returns false, having done nothing, when the
   * event needs what the batch does not hold: `load` it, then apply it again. `handles` says
   * whether the projection handles the event's type, when the caller knows it already.
   */
  apply(event: CaseEvent, handles?: boolean): boolean;
  /** Writes through `tx` what changed since the last flush. */
  flush(tx: ProjectionTransaction): Promise<void>;
  /** Cases with changes not written yet. */
  readonly pending: number;
}
