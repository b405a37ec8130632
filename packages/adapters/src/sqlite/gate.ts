/**
 * Turn-taking on the one SQLite connection a storage object owns.
 *
 * `node:sqlite` is synchronous, so a plain operation (an append, a vault read) runs whole between
 * two turns of the event loop and cannot interleave with another. The exception is a projection
 * transaction: its callback is async, and the connection stays inside `BEGIN IMMEDIATE` across its
 * awaits. While it is open, any other operation on the connection would either see its uncommitted
 * writes or try to start a second transaction. The gate makes every operation wait its turn behind
 * an open transaction, in call order, and lets the transaction's own callback through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MisasError } from '@misas/core';
import { SqliteStorageClosedError, translateError, type SqliteErrorContext } from './errors.ts';

/** Identifies one open transaction; compared by identity. */
type Turn = { readonly transaction: true };

/** Serialises the operations of one storage object around its open projection transaction. */
export class ConnectionGate {
  readonly #errors: SqliteErrorContext;
  readonly #current = new AsyncLocalStorage<Turn>();
  #holder: Turn | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | undefined;

  /** `errors` names the file and the busy timeout in the typed errors SQLite's failures become. */
  constructor(errors: SqliteErrorContext) {
    this.#errors = errors;
  }

  /**
   * Runs a synchronous read. Called from inside an open transaction's callback, it runs at once on
   * the transaction's snapshot (waiting would deadlock); otherwise it waits for committed data.
   */
  read<T>(work: () => T): Promise<T> {
    if (this.#insideTransaction()) return this.#now(work);
    return this.#enqueue(() => this.#now(work));
  }

  /**
   * Runs a synchronous write. Refused from inside a projection transaction's callback: it would
   * either deadlock or silently join a transaction that may still roll back after acknowledging it.
   */
  write<T>(work: () => T): Promise<T> {
    if (this.#insideTransaction()) {
      return Promise.reject(
        new MisasError(
          'write-inside-transaction',
          'Cannot write to the event store, vault, outbox, leases or audit trail from inside a projection transaction: ' +
            'use the transaction object for read models, and do other writes after it commits',
        ),
      );
    }
    return this.#enqueue(() => this.#now(work));
  }

  /** Holds the connection for an async transaction: nothing else runs on it until `work` settles. */
  hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.#insideTransaction()) {
      return Promise.reject(new MisasError('nested-transaction', 'A projection transaction cannot be opened inside another one'));
    }
    return this.#enqueue(async () => {
      const turn: Turn = { transaction: true };
      this.#holder = turn;
      try {
        return await this.#current.run(turn, work);
      } catch (error) {
        throw translateError(error, this.#errors);
      } finally {
        this.#holder = undefined;
      }
    });
  }

  /** Waits for every operation queued so far, then runs `release` once; operations after it are refused. */
  close(release: () => void): Promise<void> {
    this.#closing ??= this.#enqueue(() => {
      this.#closed = true;
      release();
    });
    return this.#closing;
  }

  #insideTransaction(): boolean {
    return this.#holder !== undefined && this.#current.getStore() === this.#holder;
  }

  #now<T>(work: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new SqliteStorageClosedError());
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(translateError(error, this.#errors));
    }
  }

  #enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.#tail.then(() => {
      if (this.#closed) throw new SqliteStorageClosedError();
      return task();
    });
    // One failed operation must not stop the ones queued behind it.
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
