/**
 * Read models and checkpoints on PostgreSQL.
 *
 * Transactions of one schema's projection store run one at a time, across processes: each takes
 * the store's transaction-level advisory lock right after BEGIN. We chose this over the two
 * alternatives:
 * - `SELECT … FOR UPDATE` in `get` locks only rows that exist, so two transactions that both find a
 *   document missing both create it and one increment is lost; `list` and `checkpoint` would need
 *   their own locking too.
 * - SERIALIZABLE with retry is correct but re-runs the caller's callback, which the port does not
 *   say may happen (a callback that logs or counts would do it twice).
 * The cost is that two projections do not write at the same moment. Projection work is one worker
 * per projection (a lease) applying small batches, so the lock is rarely contended; it gives the
 * same semantics as the in-memory store, which also runs transactions one at a time.
 */
import type { JsonValue, ListOptions, ProjectionStore, ProjectionTransaction, ReadModelDocument } from '@misas/core';
import { MisasError } from '@misas/core';
import type pg from 'pg';
import { advisoryKey, inTransaction, qualified, type Db } from './connection.ts';
import { execute, integer, isJsonValue, jsonValue, query, text } from './rows.ts';

/** Documents per upsert statement: big pages go out in several, each well under pg's parameter and message limits. */
const upsertPage = 500;

/**
 * The puts of one projection transaction not yet sent, the last per document, as the JSON text
 * they will be stored as (so a get answers a copy, as a read from the table would).
 */
class WaitingPuts {
  readonly #documents = new Map<string, { readonly collection: string; readonly key: string; readonly json: string }>();

  get size(): number {
    return this.#documents.size;
  }

  put(collection: string, key: string, value: JsonValue): void {
    const id = documentId(collection, key);
    // Deleted first, so that the map keeps the order of the last puts.
    this.#documents.delete(id);
    this.#documents.set(id, { collection, key, json: JSON.stringify(value) });
  }

  /** The waiting document, parsed again; undefined when none waits (the table has the answer). */
  get(collection: string, key: string): JsonValue | undefined {
    const waiting = this.#documents.get(documentId(collection, key));
    if (waiting === undefined) return undefined;
    const value: unknown = JSON.parse(waiting.json);
    if (!isJsonValue(value)) throw new MisasError('unexpected-row', `read model ${collection}/${key} is not JSON`);
    return value;
  }

  forget(collection: string, key: string): void {
    this.#documents.delete(documentId(collection, key));
  }

  forgetCollection(collection: string): void {
    for (const [id, document] of this.#documents) if (document.collection === collection) this.#documents.delete(id);
  }

  /** Sends every waiting put as one `INSERT … SELECT … unnest … ON CONFLICT DO UPDATE`. */
  async flush(client: pg.PoolClient, tables: Tables): Promise<void> {
    if (this.#documents.size === 0) return;
    const documents = [...this.#documents.values()];
    this.#documents.clear();
    await execute(
      client,
      `INSERT INTO ${tables.readModels} (collection, key, value)
       SELECT u.collection, u.key, u.value::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS u(collection, key, value)
       ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value`,
      [documents.map((document) => document.collection), documents.map((document) => document.key), documents.map((document) => document.json)],
    );
  }
}

function documentId(collection: string, key: string): string {
  return `${collection}\u0000${key}`;
}

interface Tables {
  readonly readModels: string;
  readonly checkpoints: string;
}

/** The projection store of one schema. */
export class PostgresProjectionStore implements ProjectionStore {
  readonly #pool: pg.Pool;
  readonly #tables: Tables;
  readonly #lockKey: string;
  // In-process queue in front of the advisory lock: ten concurrent transactions of this process
  // hold one pool client at a time, not ten clients of which nine wait on the lock (which could
  // exhaust the pool and block the lock holder's own queries).
  #queue: Promise<unknown> = Promise.resolve();

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#tables = { readModels: qualified(schema, 'read_models'), checkpoints: qualified(schema, 'checkpoints') };
    this.#lockKey = advisoryKey(schema, 'projections');
  }

  /**
   * Runs `work` in one database transaction, committed when it resolves and rolled back when it
   * throws. Do not start another projection transaction from inside `work`: it would wait for this
   * one, which waits for it.
   */
  transaction<T>(work: (tx: ProjectionTransaction) => Promise<T>): Promise<T> {
    return this.transactionWithClient((tx) => work(tx));
  }

  /**
   * `transaction`, also handing `work` the client the transaction runs on, already holding the
   * store's advisory lock: for the event store's `appendWith`, whose append must commit with the
   * read-model writes and be serialised with projection batches so that neither loses an update.
   * Not part of the port.
   */
  transactionWithClient<T>(work: (tx: ProjectionTransaction, client: pg.PoolClient) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#run(work));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run<T>(work: (tx: ProjectionTransaction, client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, async (client) => {
      await execute(client, 'SELECT pg_advisory_xact_lock($1::bigint)', [this.#lockKey]);
      let open = true;
      const tables = this.#tables;
      // Puts wait here and go out as one multi-row upsert: before a list (which must see them), and
      // before the commit. A get of a waiting document answers from here.
      const waiting = new WaitingPuts();
      const guard = <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
        (...args: A): Promise<R> => {
          if (!open) return Promise.reject(new MisasError('transaction-closed', 'this projection transaction has already ended'));
          return operation(...args);
        };
      const tx: ProjectionTransaction = {
        get: guard(async (collection: string, key: string) => waiting.get(collection, key) ?? getDocument(client, tables, collection, key)),
        put: guard(async (collection: string, key: string, value: JsonValue) => {
          waiting.put(collection, key, value);
          if (waiting.size >= upsertPage) await waiting.flush(client, tables);
        }),
        delete: guard(async (collection: string, key: string) => {
          waiting.forget(collection, key);
          await execute(client, `DELETE FROM ${tables.readModels} WHERE collection = $1 AND key = $2`, [collection, key]);
        }),
        list: guard(async (collection: string, options?: ListOptions) => {
          await waiting.flush(client, tables);
          return listDocuments(client, tables, collection, options);
        }),
        checkpoint: guard((projection: string) => readCheckpoint(client, tables, projection)),
        saveCheckpoint: guard(async (projection: string, position: number) => {
          if (!Number.isSafeInteger(position) || position < 0) {
            throw new MisasError('invalid-checkpoint', `a checkpoint is a whole number ≥ 0, got ${position}`);
          }
          await execute(
            client,
            `INSERT INTO ${tables.checkpoints} (projection, position) VALUES ($1, $2)
             ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position`,
            [projection, position],
          );
        }),
        clear: guard(async (collection: string) => {
          waiting.forgetCollection(collection);
          await execute(client, `DELETE FROM ${tables.readModels} WHERE collection = $1`, [collection]);
        }),
      };
      try {
        const result = await work(tx, client);
        // Closed first: a put racing the flush would otherwise be lost after it.
        open = false;
        await waiting.flush(client, tables);
        return result;
      } finally {
        // A callback that kept `tx` and uses it later must not write outside the transaction.
        open = false;
      }
    });
  }

  get(collection: string, key: string): Promise<JsonValue | undefined> {
    return getDocument(this.#pool, this.#tables, collection, key);
  }

  list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]> {
    return listDocuments(this.#pool, this.#tables, collection, options);
  }

  checkpoint(projection: string): Promise<number> {
    return readCheckpoint(this.#pool, this.#tables, projection);
  }
}

async function getDocument(db: Db, tables: Tables, collection: string, key: string): Promise<JsonValue | undefined> {
  const [row] = await query(db, `SELECT value FROM ${tables.readModels} WHERE collection = $1 AND key = $2`, [collection, key]);
  return row ? jsonValue(row, 'value') : undefined;
}

async function listDocuments(db: Db, tables: Tables, collection: string, options: ListOptions = {}): Promise<ReadModelDocument[]> {
  const { prefix = '', after, limit } = options;
  // starts_with rather than LIKE: a prefix may contain % or _.
  const rows = await query(
    db,
    `SELECT key, value FROM ${tables.readModels}
     WHERE collection = $1 AND starts_with(key, $2) AND ($3::text IS NULL OR key > $3)
     ORDER BY key
     LIMIT $4`,
    [collection, prefix, after ?? null, limit ?? null],
  );
  return rows.map((row) => ({ key: text(row, 'key'), value: jsonValue(row, 'value') }));
}

async function readCheckpoint(db: Db, tables: Tables, projection: string): Promise<number> {
  const [row] = await query(db, `SELECT position FROM ${tables.checkpoints} WHERE projection = $1`, [projection]);
  return row ? integer(row, 'position') : 0;
}
