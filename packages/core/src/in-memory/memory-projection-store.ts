/**
 * Read models in memory, with real transactions: writes are staged and applied on commit,
 * dropped when the work throws. Transactions run one at a time.
 */
import type { JsonValue } from '../application/ports/personal-data-vault.ts';
import type {
  ListOptions,
  ProjectionStore,
  ProjectionTransaction,
  ReadModelDocument,
} from '../application/ports/projection-store.ts';

const deleted = Symbol('deleted');
type Staged = JsonValue | typeof deleted;

function copy(value: JsonValue): JsonValue {
  return structuredClone(value) as JsonValue;
}

function listFrom(entries: Iterable<[string, JsonValue]>, options: ListOptions = {}): ReadModelDocument[] {
  const { prefix = '', after, limit } = options;
  const rows = [...entries]
    .filter(([key]) => key.startsWith(prefix) && (after === undefined || key > after))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value: copy(value) }));
  return limit === undefined ? rows : rows.slice(0, limit);
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
    const staged = new Map<string, Map<string, Staged>>();
    const cleared = new Set<string>();
    const checkpoints = new Map<string, number>();
    const committed = (collection: string) => this.#collections.get(collection) ?? new Map<string, JsonValue>();
    const view = (collection: string): Map<string, JsonValue> => {
      const result = new Map(cleared.has(collection) ? [] : committed(collection));
      for (const [key, value] of staged.get(collection) ?? []) {
        if (value === deleted) result.delete(key);
        else result.set(key, value);
      }
      return result;
    };
    const stage = (collection: string, key: string, value: Staged) => {
      const writes = staged.get(collection) ?? new Map<string, Staged>();
      writes.set(key, value);
      staged.set(collection, writes);
    };
    const tx: ProjectionTransaction = {
      get: async (collection, key) => {
        const value = view(collection).get(key);
        return value === undefined ? undefined : copy(value);
      },
      put: async (collection, key, value) => stage(collection, key, copy(value)),
      delete: async (collection, key) => stage(collection, key, deleted),
      list: async (collection, options) => listFrom(view(collection), options),
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
    for (const collection of new Set([...cleared, ...staged.keys()])) this.#collections.set(collection, view(collection));
    for (const [projection, position] of checkpoints) this.#checkpoints.set(projection, position);
    return result;
  }

  async get(collection: string, key: string): Promise<JsonValue | undefined> {
    const value = this.#collections.get(collection)?.get(key);
    return value === undefined ? undefined : copy(value);
  }

  async list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]> {
    return listFrom(this.#collections.get(collection) ?? [], options);
  }

  async checkpoint(projection: string): Promise<number> {
    return this.#checkpoints.get(projection) ?? 0;
  }
}
