/**
 * Read models in memory, with real transactions: writes are staged and applied on commit,
 * dropped when the work throws. Transactions run one at a time.
 *
 * Values are frozen, not copied: a `JsonValue` is read-only by type, so the store takes what is put
 * (freezing it, so that a later mutation throws instead of changing a committed document) and hands
 * the same frozen value back. A rebuild writes tens of thousands of documents; copying each on the
 * way in and out was most of its time.
 */
import type { JsonValue } from '../application/ports/personal-data-vault.ts';
import type {
  ListOptions,
  ProjectionStore,
  ProjectionTransaction,
  ReadModelDocument,
} from '../application/ports/projection-store.ts';

/** What a transaction wrote to one collection: puts, and deletes of keys it did not put since. */
interface Staged {
  readonly puts: Map<string, JsonValue>;
  readonly deletes: Set<string>;
}

/** Freezes a value and what it holds; stops at what is frozen already, so a document that shares most of its parts with the previous one costs only its new parts. */
function frozen(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Children first, with `for…in` rather than `Object.values`: no array per object, and V8 freezes
  // an object whose children are frozen already faster.
  if (isList(value)) {
    for (const item of value) frozen(item);
  } else {
    for (const key in value) {
      const child = value[key];
      if (child !== undefined) frozen(child);
    }
  }
  return Object.freeze(value);
}

function isList(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The documents of `keys` (unsorted, possibly with misses), filtered, sorted and limited as `options` say. */
function listOf(keys: Iterable<string>, valueOf: (key: string) => JsonValue | undefined, options: ListOptions = {}): ReadModelDocument[] {
  const { prefix = '', after, limit } = options;
  const chosen: string[] = [];
  for (const key of keys) if (key.startsWith(prefix) && (after === undefined || key > after)) chosen.push(key);
  chosen.sort(compareKeys);
  const rows: ReadModelDocument[] = [];
  for (const key of chosen) {
    if (limit !== undefined && rows.length >= limit) break;
    const value = valueOf(key);
    if (value !== undefined) rows.push({ key, value });
  }
  return rows;
}

export class InMemoryProjectionStore implements ProjectionStore {
  readonly #collections = new Map<string, Map<string, JsonValue>>();
  readonly #checkpoints = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();

  transaction<T>(work: (tx: ProjectionTransaction) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#run(work));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run<T>(work: (tx: ProjectionTransaction) => Promise<T>): Promise<T> {
    // Staged writes over the committed maps: a read looks at the staged write, then (unless the
    // collection was cleared in this transaction) at the committed document.
    const staged = new Map<string, Staged>();
    const cleared = new Set<string>();
    const checkpoints = new Map<string, number>();
    const read = (collection: string, key: string): JsonValue | undefined => {
      const writes = staged.get(collection);
      if (writes !== undefined) {
        const put = writes.puts.get(key);
        if (put !== undefined) return put;
        if (writes.deletes.has(key)) return undefined;
      }
      return cleared.has(collection) ? undefined : this.#collections.get(collection)?.get(key);
    };
    const writesTo = (collection: string): Staged => {
      let writes = staged.get(collection);
      if (writes === undefined) {
        writes = { puts: new Map(), deletes: new Set() };
        staged.set(collection, writes);
      }
      return writes;
    };
    const tx: ProjectionTransaction = {
      get: async (collection, key) => read(collection, key),
      put: async (collection, key, value) => {
        const writes = writesTo(collection);
        writes.puts.set(key, frozen(value));
        writes.deletes.delete(key);
      },
      delete: async (collection, key) => {
        const writes = writesTo(collection);
        writes.puts.delete(key);
        writes.deletes.add(key);
      },
      list: async (collection, options) => {
        const keys = new Set(cleared.has(collection) ? [] : this.#collections.get(collection)?.keys());
        const writes = staged.get(collection);
        if (writes !== undefined) {
          for (const key of writes.puts.keys()) keys.add(key);
          for (const key of writes.deletes) keys.add(key);
        }
        return listOf(keys, (key) => read(collection, key), options);
      },
      checkpoint: async (projection) => checkpoints.get(projection) ?? this.#checkpoints.get(projection) ?? 0,
      saveCheckpoint: async (projection, position) => {
        checkpoints.set(projection, position);
      },
      clear: async (collection) => {
        cleared.add(collection);
        staged.delete(collection);
      },
    };
    const result = await work(tx);
    for (const collection of cleared) this.#collections.delete(collection);
    staged.forEach(({ puts, deletes }, collection) => {
      const documents = this.#collections.get(collection);
      if (documents === undefined) {
        // A new collection (a rebuild's new generation): its puts become it, with no copy.
        if (puts.size > 0) this.#collections.set(collection, puts);
        return;
      }
      // forEach, not for…of: no [key, value] pair per document written.
      puts.forEach((value, key) => documents.set(key, value));
      deletes.forEach((key) => documents.delete(key));
      if (documents.size === 0) this.#collections.delete(collection);
    });
    for (const [projection, position] of checkpoints) this.#checkpoints.set(projection, position);
    return result;
  }

  async get(collection: string, key: string): Promise<JsonValue | undefined> {
    return this.#collections.get(collection)?.get(key);
  }

  async list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]> {
    const documents = this.#collections.get(collection);
    if (documents === undefined) return [];
    return listOf(documents.keys(), (key) => documents.get(key), options);
  }

  async checkpoint(projection: string): Promise<number> {
    return this.#checkpoints.get(projection) ?? 0;
  }
}
