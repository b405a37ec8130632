/**
 * What a projection is: a name, the events it cares about, and how each one changes its read
 * model. Its writes go through a `ProjectionTransaction`, committed with its checkpoint.
 */
import type { CaseEvent, CaseEventType, ProjectionTransaction } from '@misas/core';

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
   */
  apply(event: CaseEvent, tx: ProjectionTransaction, position: number | undefined): Promise<void>;
  /**
   * True for a projection that runs inline (see `inlineProjector`). Its documents then record,
   * per case, the last version applied, so that the inline path and a catch-up (a rebuild) never
   * apply an event twice, whichever comes first.
   */
  readonly inline?: boolean;
}
