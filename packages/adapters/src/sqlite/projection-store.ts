/**
 * Read models and checkpoints in SQLite. A projection's transaction is a real SQLite transaction
 * (`BEGIN IMMEDIATE` … `COMMIT`, or `ROLLBACK` when the callback throws), held across the awaits of
 * its async callback: its reads see its own writes, documents and checkpoint commit together, and
 * the write lock it holds makes projections in other processes wait rather than interleave.
 * Hold it briefly: writers of every process wait for it (up to their busy timeout).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  MisasError,
  type JsonValue,
  type ListOptions,
  type ProjectionStore,
  type ProjectionTransaction,
  type ProjectionTransactionOptions,
  type ReadModelDocument,
} from '@misas/core';
import { beginRelaxedWrite, beginWrite, commitWrite, endRelaxedWrite, rollbackWrite, type SqliteSynchronous } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import { integer, json, text, toJson } from './rows.ts';

/** The statements of the read-model tables, run synchronously by whoever holds the connection. */
class ReadModelTables {
  readonly #db: DatabaseSync;
  readonly #secureDelete: StatementSync;
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #delete: StatementSync;
  readonly #list: StatementSync;
  readonly #clear: StatementSync;
  readonly #checkpoint: StatementSync;
  readonly #saveCheckpoint: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#secureDelete = db.prepare('PRAGMA secure_delete');
    this.#get = db.prepare('SELECT value FROM read_models WHERE collection = ? AND key = ?');
    this.#put = db.prepare(
      'INSERT INTO read_models (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value',
    );
    this.#delete = db.prepare('DELETE FROM read_models WHERE collection = ? AND key = ?');
    // Keys compare with SQLite's BINARY collation (UTF-8 bytes, i.e. code points), which matches
    // JavaScript's order for every key outside the rare U+E000–U+FFFF vs astral-plane corner.
    this.#list = db.prepare(`
      SELECT key, value FROM read_models
      WHERE collection = $collection
        AND key >= $prefix AND substr(key, 1, length($prefix)) = $prefix
        AND ($after IS NULL OR key > $after)
      ORDER BY key
      LIMIT $limit
    `);
    this.#clear = db.prepare('DELETE FROM read_models WHERE collection = ?');
    this.#checkpoint = db.prepare('SELECT position FROM checkpoints WHERE projection = ?');
    this.#saveCheckpoint = db.prepare(
      'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
    );
  }

  get(collection: string, key: string): JsonValue | undefined {
    const row = this.#get.get(collection, key);
    return row === undefined ? undefined : json(row, 'value');
  }

  put(collection: string, key: string, value: JsonValue): void {
    this.#put.run(collection, key, toJson(value, `read model ${collection}/${key}`));
  }

  delete(collection: string, key: string): void {
    this.#delete.run(collection, key);
  }

  list(collection: string, options: ListOptions = {}): ReadModelDocument[] {
    const limit = options.limit ?? -1;
    if (options.limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
      throw new MisasError('invalid-read', `limit must be a whole number ≥ 0, got ${limit}`);
    }
    return this.#list
      .all({ collection, prefix: options.prefix ?? '', after: options.after ?? null, limit })
      .map((row) => ({ key: text(row, 'key'), value: json(row, 'value') }));
  }

  /**
   * Deletes a whole collection — a rebuild dropping the generation it replaced, thousands of rows.
   * The connection zeroes deleted content (`secure_delete`) for the vault's keys; here it does so
   * only on the pages it writes anyway (`FAST`), not on every page it frees, which made a drop
   * three times slower. Nothing is lost to privacy: a read model holds nothing the log does not
   * keep, and the log is never deleted.
   */
  clear(collection: string): void {
    const previous = integer(this.#secureDelete.get() ?? {}, 'secure_delete');
    this.#db.exec('PRAGMA secure_delete = FAST');
    try {
      this.#clear.run(collection);
    } finally {
      this.#db.exec(`PRAGMA secure_delete = ${previous}`);
    }
  }

  checkpoint(projection: string): number {
    const row = this.#checkpoint.get(projection);
    return row === undefined ? 0 : integer(row, 'position');
  }

  saveCheckpoint(projection: string, position: number): void {
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new MisasError('invalid-checkpoint', `a checkpoint is a position ≥ 0, got ${position}`);
    }
    this.#saveCheckpoint.run(projection, position);
  }
}

/** What a write of a transaction resolves to: one settled promise, shared (awaiting it again is harmless). */
const written: Promise<void> = Promise.resolve();

/** The `ProjectionTransaction` handed to one callback; it refuses to be used once the callback has settled. */
function transactionOver(tables: ReadModelTables, isOpen: () => boolean): ProjectionTransaction {
  const ended = () => Promise.reject(new MisasError('transaction-ended', 'This projection transaction has already committed or rolled back'));
  const live = <T>(work: () => T): Promise<T> => {
    if (!isOpen()) return ended();
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    get: (collection, key) => live(() => tables.get(collection, key)),
    // A fill writes tens of thousands of documents: no closure and no new promise per put.
    put: (collection, key, value) => {
      if (!isOpen()) return ended();
      try {
        tables.put(collection, key, value);
        return written;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    delete: (collection, key) => live(() => tables.delete(collection, key)),
    list: (collection, options) => live(() => tables.list(collection, options)),
    checkpoint: (projection) => live(() => tables.checkpoint(projection)),
    saveCheckpoint: (projection, position) => live(() => tables.saveCheckpoint(projection, position)),
    clear: (collection) => live(() => tables.clear(collection)),
  };
}

/** `ProjectionStore` on a SQLite connection; see the port for the guarantees. */
export class SqliteProjectionStore implements ProjectionStore {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #tables: ReadModelTables;
  readonly #synchronous: SqliteSynchronous;

  /** `synchronous` is the connection's level, which a `relaxed` commit restores after it. */
  constructor(db: DatabaseSync, gate: ConnectionGate, synchronous: SqliteSynchronous = 'full') {
    this.#db = db;
    this.#gate = gate;
    this.#tables = new ReadModelTables(db);
    this.#synchronous = synchronous;
  }

  /**
   * Runs `work` in one transaction. Transactions of this storage object run one at a time, in call
   * order; other operations on it wait for the commit, so they never see uncommitted documents.
   * Inside `work`, reads through the other ports (e.g. the event log) are allowed; writes are not.
   * The event store's `appendWith` opens one of these and appends in it before calling its callback.
   * A `relaxed` one commits without syncing the disk (see `beginRelaxedWrite`): a rebuild's fill.
   */
  transaction<T>(work: (tx: ProjectionTransaction) => Promise<T>, options: ProjectionTransactionOptions = {}): Promise<T> {
    return this.#gate.hold(async () => {
      const relaxed = options.durability === 'relaxed' && beginRelaxedWrite(this.#db, this.#synchronous);
      if (options.durability !== 'relaxed') beginWrite(this.#db);
      let open = true;
      try {
        const result = await work(transactionOver(this.#tables, () => open));
        open = false;
        commitWrite(this.#db);
        return result;
      } catch (error) {
        open = false;
        rollbackWrite(this.#db);
        throw error;
      } finally {
        if (relaxed) endRelaxedWrite(this.#db, this.#synchronous);
      }
    });
  }

  get(collection: string, key: string): Promise<JsonValue | undefined> {
    return this.#gate.read(() => this.#tables.get(collection, key));
  }

  list(collection: string, options?: ListOptions): Promise<readonly ReadModelDocument[]> {
    return this.#gate.read(() => this.#tables.list(collection, options));
  }

  checkpoint(projection: string): Promise<number> {
    return this.#gate.read(() => this.#tables.checkpoint(projection));
  }
}
