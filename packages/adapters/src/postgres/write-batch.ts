/**
 * Group commit on PostgreSQL (`storage.writeBatch`): while a batch is open on a pool, every query
 * and transaction this adapter runs on that pool goes to one client holding one transaction,
 * committed once at the end.
 *
 * - Each unit of work — a transaction of a port (an append with its vault puts, a projection
 *   transaction, a sequencer pass) or a single write statement — runs as a SAVEPOINT of the batch,
 *   so it stays all or nothing on its own: a refused command is rolled back to its savepoint and the
 *   batch goes on, as on SQLite.
 * - Units run one at a time, in call order (one client, one transaction). A unit that calls the
 *   ports again from inside (a projection transaction asking `headPosition`) runs those calls in
 *   place instead of queueing behind itself: the async context tells it apart.
 * - Transaction-level advisory locks taken inside the batch are held until it ends: other
 *   processes' writers to the same subjects, projection batches and sequencer passes wait for it,
 *   as SQLite's writers wait for its file lock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MisasError } from '@misas/core';
import type pg from 'pg';
import { statement } from './statements.ts';

const savepoint = 'misas_write';

/** The unit of work running now, if any: its queries run in place. */
const current = new AsyncLocalStorage<WriteBatch>();

/** One open batch: its client, and the queue of units. */
export class WriteBatch {
  readonly client: pg.PoolClient;
  #tail: Promise<unknown> = Promise.resolve();
  /** Set when a statement failed outside a savepoint: the transaction is aborted, the batch can only roll back. */
  #broken: unknown;
  /** Savepoints open now: a statement failing inside one is undone by its rollback, not fatal to the batch. */
  #depth = 0;

  constructor(client: pg.PoolClient) {
    this.client = client;
  }

  /** Runs `work` alone on the batch's client, after the units called before it. */
  unit<T>(work: () => Promise<T>): Promise<T> {
    if (current.getStore() === this) return work();
    const run = this.#tail.then(() => {
      if (this.#broken !== undefined) throw new MisasError('write-batch-failed', `an earlier statement of this write batch failed (${describe(this.#broken)}): the batch can only roll back`);
      return current.run(this, work);
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Runs `work` in a savepoint of the batch (taking `lock` first, if given): released when it resolves, rolled back to when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>, lock?: string): Promise<T> {
    return this.unit(async () => {
      await this.client.query(`SAVEPOINT ${savepoint}`);
      this.#depth++;
      try {
        if (lock !== undefined) await this.client.query(`SELECT pg_advisory_xact_lock(${lock}::bigint)`);
        const result = await work(this.client);
        await this.client.query(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (error) {
        await this.#undo();
        throw error;
      } finally {
        this.#depth--;
      }
    });
  }

  /**
   * One query of a port. A read runs as it is (a failed read marks the batch broken); a write runs
   * in a savepoint, so that a refused write (a unique violation a port turns into an answer) leaves
   * the batch usable.
   */
  query(text: string, values: readonly unknown[]): Promise<pg.QueryResult<Record<string, unknown>>> {
    if (/^\s*SELECT\b/i.test(text)) {
      return this.unit(async () => {
        try {
          return await this.client.query<Record<string, unknown>>(statement(this.client, text, values));
        } catch (error) {
          // Inside a savepoint its rollback repairs the transaction; outside one the transaction is aborted.
          if (this.#depth === 0) this.#broken ??= error;
          throw error;
        }
      });
    }
    return this.transaction((client) => client.query<Record<string, unknown>>(statement(client, text, values)));
  }

  async #undo(): Promise<void> {
    try {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
    } catch (error) {
      this.#broken ??= error;
    }
  }

  /** Ends the batch: COMMIT, or ROLLBACK. A commit PostgreSQL turned into a rollback (an aborted transaction) throws. */
  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    await this.#tail;
    if (outcome === 'rollback' || this.#broken !== undefined) {
      await this.client.query('ROLLBACK');
      if (outcome === 'commit') throw new MisasError('write-batch-failed', `a statement of this write batch failed (${describe(this.#broken)}): nothing of it was committed`);
      return;
    }
    const result = await this.client.query('COMMIT');
    if (result.command !== 'COMMIT') throw new MisasError('write-batch-failed', 'PostgreSQL rolled the write batch back at commit: nothing of it was committed');
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The batch open on each pool. */
const open = new WeakMap<pg.Pool, WriteBatch>();

/** The batch open on `pool`, if any. */
export function batchOf(pool: object): WriteBatch | undefined {
  return open.get(pool as pg.Pool);
}

/**
 * Runs `work` with a batch open on `pool`, then commits it — or rolls it all back when `work`
 * throws, and rethrows.
 * @throws MisasError `nested-transaction` when a batch is already open on this pool
 */
export async function withWriteBatch<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  if (open.has(pool) || current.getStore() !== undefined) throw new MisasError('nested-transaction', 'A write batch cannot be opened inside another batch');
  const client = await pool.connect();
  // A client whose BEGIN, COMMIT or ROLLBACK failed is in an unknown state: destroyed, not reused.
  let broken: Error | undefined;
  try {
    const batch = new WriteBatch(client);
    try {
      await client.query('BEGIN');
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
    open.set(pool, batch);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      open.delete(pool);
      await batch.end('rollback').catch((failure: unknown) => {
        broken = failure instanceof Error ? failure : new Error(String(failure));
      });
      throw error;
    }
    open.delete(pool);
    try {
      await batch.end('commit');
    } catch (error) {
      if (!(error instanceof MisasError)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
    return result;
  } finally {
    client.release(broken);
  }
}
