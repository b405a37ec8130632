/**
 * A reactor acts on the outside world for some events — enqueue a message, shred a key —
 * instead of writing a read model. Its actions cannot join the checkpoint's transaction (they go
 * through other ports), so it runs at-least-once: act on a batch, then save the checkpoint. Every
 * reaction must therefore be idempotent (an outbox message id, a shred of an erased subject).
 */
import { decodeEvent, eventCheckOf, namingBadEvents, type CaseEvent, type CaseEventType, type EventStore, type ProjectionStore, type UpcasterRegistry } from '@misas/core';

/**
 * Something that acts on the outside world for some events (enqueue a message, shred a key),
 * at least once: it acts on a batch, then saves its checkpoint.
 */
export interface Reactor {
  /** Unique, stable name; also the name of its checkpoint and lease. */
  readonly name: string;
  readonly handles: readonly CaseEventType[];
  /** Acts on one event. Must be idempotent: after a crash it sees the event again. */
  react(event: CaseEvent, position: number): Promise<void>;
}

/** Runs a reactor from its checkpoint to the head of the log; returns how many events it acted on. */
export async function runReactor(
  events: EventStore,
  store: ProjectionStore,
  reactor: Reactor,
  options: { readonly batchSize?: number; readonly upcasters?: UpcasterRegistry } = {},
): Promise<{ readonly reacted: number; readonly checkpoint: number }> {
  const batchSize = options.batchSize ?? 500;
  const handled = new Set<string>(reactor.handles);
  let reacted = 0;
  let checkpoint = await store.checkpoint(reactor.name);
  for (;;) {
    const records = await events.readAll({ after: checkpoint, limit: batchSize });
    for (const record of records) {
      if (!handled.has(record.type)) continue;
      // A reaction fed a payload changed in the database since it was validated fails with the event named.
      await namingBadEvents(events, options.upcasters, () => reactor.react(decodeEvent(record, options.upcasters, eventCheckOf(events)), record.position));
      reacted++;
    }
    const last = records.at(-1)?.position;
    if (last === undefined) break;
    await store.transaction((tx) => tx.saveCheckpoint(reactor.name, last));
    checkpoint = last;
    if (records.length < batchSize) break;
  }
  return { reacted, checkpoint };
}
