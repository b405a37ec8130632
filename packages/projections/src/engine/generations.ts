/**
 * Generations let a projection be rebuilt from zero while the current copy keeps serving: each
 * generation writes under its own collection prefix and checkpoint, and a pointer document says
 * which one queries read. Switching is one transaction.
 */
import { z } from 'zod';
import type { JsonValue, ListOptions, ProjectionStore, ProjectionTransaction, ReadModelDocument } from '@misas/core';

/** Where the pointers to the active generations live. */
export const registryCollection = 'misas:projections';

/** The storage names of one generation of one projection. */
export interface Generation {
  readonly projection: string;
  readonly number: number;
}

const prefixOf = (generation: Generation) => `${generation.projection}@${generation.number}/`;
/** The checkpoint name of one generation. */
export const checkpointOf = (generation: Generation) => `${generation.projection}@${generation.number}`;

/** The registry entry of a projection: the generation queries read, and the highest one ever started. */
const RegistryEntry = z.object({ active: z.number().int().min(1), latest: z.number().int().min(1) });
type RegistryEntry = z.infer<typeof RegistryEntry>;

function registryEntry(value: JsonValue | undefined): RegistryEntry {
  if (value === undefined) return { active: 1, latest: 1 };
  const parsed = RegistryEntry.safeParse(value);
  if (!parsed.success) throw new Error(`corrupt projection registry entry: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** The generation queries read now (1 until a rebuild switches it). */
export async function activeGeneration(store: ProjectionStore | ProjectionTransaction, projection: string): Promise<Generation> {
  return { projection, number: registryEntry(await store.get(registryCollection, projection)).active };
}

/** Starts a new, empty generation (never one a failed rebuild may have half-filled). */
export async function startGeneration(tx: ProjectionTransaction, projection: string): Promise<Generation> {
  const entry = registryEntry(await tx.get(registryCollection, projection));
  await tx.put(registryCollection, projection, { active: entry.active, latest: entry.latest + 1 });
  return { projection, number: entry.latest + 1 };
}

/** Makes `generation` the one queries read; returns the generation it replaces. */
export async function activate(tx: ProjectionTransaction, generation: Generation): Promise<Generation> {
  const entry = registryEntry(await tx.get(registryCollection, generation.projection));
  await tx.put(registryCollection, generation.projection, { active: generation.number, latest: Math.max(entry.latest, generation.number) });
  return { projection: generation.projection, number: entry.active };
}

/**
 * A transaction seen through one generation: collection names are prefixed, the checkpoint is
 * the generation's own. Projection code uses plain collection names and never sees generations.
 */
export function scopedTransaction(tx: ProjectionTransaction, generation: Generation): ProjectionTransaction {
  const prefix = prefixOf(generation);
  const own = checkpointOf(generation);
  // One name per collection, made once: a flush writes thousands of documents to a few collections.
  const names = new Map<string, string>();
  const scoped = (collection: string) => {
    let name = names.get(collection);
    if (name === undefined) {
      name = prefix + collection;
      names.set(collection, name);
    }
    return name;
  };
  return {
    get: (collection, key) => tx.get(scoped(collection), key),
    put: (collection, key, value) => tx.put(scoped(collection), key, value),
    delete: (collection, key) => tx.delete(scoped(collection), key),
    list: (collection, options) => tx.list(scoped(collection), options),
    clear: (collection) => tx.clear(scoped(collection)),
    checkpoint: () => tx.checkpoint(own),
    saveCheckpoint: (_projection, position) => tx.saveCheckpoint(own, position),
  };
}

/** Read access to the active generation of a projection's read model. */
export interface ReadModelReader {
  /** The document under `key` in the active generation. */
  get(collection: string, key: string): Promise<JsonValue | undefined>;
  /** Documents of a collection of the active generation, in key order. */
  list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]>;
}

/** A reader over the active generation, resolved at each call so a switch is seen at once. */
export function readModel(store: ProjectionStore, projection: string): ReadModelReader {
  return {
    get: async (collection, key) => store.get(prefixOf(await activeGeneration(store, projection)) + collection, key),
    list: async (collection, options) => store.list(prefixOf(await activeGeneration(store, projection)) + collection, options),
  };
}

/** A reader over one given generation, active or not (a rebuild reads back what it wrote). */
export function generationReader(store: ProjectionStore, generation: Generation): ReadModelReader {
  const prefix = prefixOf(generation);
  return {
    get: (collection, key) => store.get(prefix + collection, key),
    list: (collection, options) => store.list(prefix + collection, options),
  };
}
