/**
 * A write-back cache of documents over one projection transaction, for projections that apply
 * event by event: a document read or written several times in a batch costs one read and one write
 * of the store, whatever the number of events that touched it. Writes reach the transaction at
 * `flush`, which the engine calls before saving the checkpoint in the same transaction.
 */
import type { JsonValue, ProjectionTransaction } from '@misas/core';

const deleted = Symbol('deleted');

/** What the cache holds for one key: the document, or that there is none. */
type Held = { readonly value: JsonValue | typeof deleted; dirty: boolean };

/** A transaction whose document reads and writes stay in memory until `flush`. */
export interface CachedTransaction {
  readonly tx: ProjectionTransaction;
  /** Writes every document changed since the last flush through the underlying transaction. */
  flush(): Promise<void>;
}

/**
 * Wraps `tx`. Reads hit the store once per key, then the cache; writes stay in the cache.
 * A list or a clear first flushes what it depends on, so that every read sees every write made
 * before it, as without the cache. Documents are handed back as they were written, not copied:
 * projections treat them as values (see `Projection.apply`).
 */
export function cachedTransaction(tx: ProjectionTransaction): CachedTransaction {
  const collections = new Map<string, Map<string, Held>>();
  const heldIn = (collection: string) => {
    let held = collections.get(collection);
    if (held === undefined) {
      held = new Map();
      collections.set(collection, held);
    }
    return held;
  };
  const flushCollection = async (collection: string, held: Map<string, Held>) => {
    for (const [key, entry] of held) {
      if (!entry.dirty) continue;
      if (entry.value === deleted) await tx.delete(collection, key);
      else await tx.put(collection, key, entry.value);
      entry.dirty = false;
    }
  };
  const cached: ProjectionTransaction = {
    async get(collection, key) {
      const held = heldIn(collection);
      const entry = held.get(key);
      if (entry !== undefined) return entry.value === deleted ? undefined : entry.value;
      const value = await tx.get(collection, key);
      held.set(key, { value: value ?? deleted, dirty: false });
      return value;
    },
    async put(collection, key, value) {
      heldIn(collection).set(key, { value, dirty: true });
    },
    async delete(collection, key) {
      heldIn(collection).set(key, { value: deleted, dirty: true });
    },
    async list(collection, options) {
      const held = collections.get(collection);
      if (held !== undefined) await flushCollection(collection, held);
      return tx.list(collection, options);
    },
    async clear(collection) {
      // Writes made before the clear would be wiped by it: drop them instead of writing them.
      collections.delete(collection);
      await tx.clear(collection);
    },
    checkpoint: (projection) => tx.checkpoint(projection),
    saveCheckpoint: (projection, position) => tx.saveCheckpoint(projection, position),
  };
  return {
    tx: cached,
    async flush() {
      for (const [collection, held] of collections) await flushCollection(collection, held);
    },
  };
}
