/**
 * Finishing an erasure on disk in SQLite. A shred deletes the key with `secure_delete` on, so the
 * page written for it holds zeros; but it is written to the write-ahead log, and the key's old
 * bytes stay in the `.db` file (or in older log frames) until a checkpoint copies the new page over
 * them and truncates the log. A reader on another connection whose snapshot predates the shred
 * stops that checkpoint: SQLite must keep the old page for it.
 *
 * So every shred leaves its subject *pending* until a `wal_checkpoint(TRUNCATE)` succeeds after it.
 * Each attempt is non-blocking (busy timeout 0 for the checkpoint: a reader is not waited for on
 * the event loop); a busy one is retried with backoff on a timer, a bounded number of times, and
 * again at every later opportunity — the next append or vault write of this storage, the next
 * shred, the end of a write batch, `close`, or an explicit `completePendingErasures()`. The
 * pending subjects are reported in `lastCheckpoint.pendingErasures`; closing with some still
 * pending emits a process warning (`MISAS_ERASURE_PENDING`) rather than leaving them silently.
 */
import type { DatabaseSync } from 'node:sqlite';
import { isBusy } from './errors.ts';
import type { ConnectionGate } from './gate.ts';
import { integer } from './rows.ts';

/** What the last checkpoint after an erasure achieved; see `SqliteVault.lastCheckpoint`. */
export interface SqliteCheckpointReport {
  /** True when another connection kept SQLite from copying and truncating the whole log. */
  readonly busy: boolean;
  /** Pages in the log before truncation (-1 for an in-memory database, or when the log was locked). */
  readonly logPages: number;
  /**
   * Subjects erased — their key deleted, reads answer `erased` — whose key bytes may still be in
   * the database files, until a checkpoint succeeds. Empty once the erasures are complete on disk.
   */
  readonly pendingErasures: readonly string[];
}

/** Timer retries after a busy checkpoint: 25 ms doubling up to 5 s, about 30 s in all. */
const retryDelaysMs = [25, 50, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000];

/** Checkpoints after erasures, until they succeed. One per SQLite vault. */
export class ErasureCheckpointer {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #pending = new Set<string>();
  #last: SqliteCheckpointReport | undefined;
  #retries = 0;
  #timer: NodeJS.Timeout | undefined;
  #afterBatch = false;

  constructor(db: DatabaseSync, gate: ConnectionGate) {
    this.#db = db;
    this.#gate = gate;
  }

  /** The report of the last attempt, undefined before any erasure. */
  get last(): SqliteCheckpointReport | undefined {
    return this.#last;
  }

  /** Whether some erasure still waits for its checkpoint. */
  get pending(): boolean {
    return this.#pending.size > 0;
  }

  /**
   * A shred of `subjectRef` has just been written, on the gate's turn. Outside a transaction it is
   * committed: checkpoint now. Inside a write batch the commit is the batch's: checkpoint then.
   */
  shredded(subjectRef: string): void {
    this.#pending.add(subjectRef);
    if (this.#db.isTransaction) this.#afterBatch = true;
    else this.opportunity();
  }

  /** A write batch committed: runs the checkpoint its erasures put off. */
  batchCommitted(): void {
    if (!this.#afterBatch) return;
    this.#afterBatch = false;
    this.opportunity();
  }

  /**
   * Something was written on this connection (on the gate's turn): if erasures are pending, try
   * the checkpoint again, with a fresh round of timer retries should it still be busy.
   */
  opportunity(): void {
    if (this.#pending.size === 0 || this.#db.isTransaction) return;
    this.#retries = 0;
    this.#attempt();
  }

  /**
   * Retries the checkpoint (backoff from 10 ms to 500 ms) until no erasure is pending or
   * `timeoutMs` has passed, and returns the last report (`pendingErasures` empty on success).
   */
  async complete(timeoutMs: number): Promise<SqliteCheckpointReport | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 500)) {
      await this.#gate.write(() => this.opportunity());
      if (this.#pending.size === 0 || Date.now() >= deadline) return this.#last;
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
    }
  }

  /** Right before the connection closes: a last attempt, and a warning if erasures stay pending. */
  beforeClose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0 || this.#db.isTransaction) return;
    this.#run();
    if (this.#pending.size > 0) {
      process.emitWarning(
        `${this.#pending.size} erasure(s) not complete on disk: a reader on another connection kept SQLite from checkpointing; ` +
          'the key bytes go at the next checkpoint of the file (another process’s shred or completePendingErasures, or when its last connection closes)',
        { code: 'MISAS_ERASURE_PENDING' },
      );
    }
  }

  #attempt(): void {
    this.#run();
    if (this.#pending.size === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    if (this.#timer !== undefined || this.#retries >= retryDelaysMs.length) return;
    const delay = retryDelaysMs[this.#retries++];
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Through the gate, behind whatever is queued; a closed storage refuses it, which is fine.
      this.#gate.write(() => this.#attempt()).catch(() => undefined);
    }, delay);
    // A retry must not keep the process alive on its own.
    this.#timer.unref();
  }

  #run(): void {
    const report = this.#checkpoint();
    if (!report.busy) this.#pending.clear();
    this.#last = { ...report, pendingErasures: [...this.#pending] };
  }

  /** One `wal_checkpoint(TRUNCATE)` that does not wait for other connections. */
  #checkpoint(): { busy: boolean; logPages: number } {
    const previous = this.#db.prepare('PRAGMA busy_timeout').get();
    this.#db.exec('PRAGMA busy_timeout = 0');
    try {
      const row = this.#db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
      if (row === undefined) return { busy: true, logPages: -1 };
      return { busy: integer(row, 'busy') !== 0, logPages: integer(row, 'log') };
    } catch (error) {
      // The erasure is already committed: a lock on the log is no reason to report it failed.
      if (isBusy(error)) return { busy: true, logPages: -1 };
      throw error;
    } finally {
      this.#db.exec(`PRAGMA busy_timeout = ${previous === undefined ? 0 : integer(previous, 'timeout')}`);
    }
  }
}
