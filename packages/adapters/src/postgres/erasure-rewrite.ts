/**
 * Finishing an erasure on disk in PostgreSQL. Deleting a key leaves its tuple dead in the
 * `vault_keys` file; `VACUUM FULL` writes a new file with the live rows and drops the old one —
 * but it copies a dead row that an older snapshot may still see ("recently dead"). So the rewrite
 * waits for the transactions older than the shred to end. When one outlives the wait, rewriting
 * would copy the key again: the erasure is left *pending* instead, and finished at the next
 * opportunity — the next shred, the next append or vault write of this storage, `close`, or an
 * explicit `completePendingErasures()` — once no older snapshot remains. Closing with erasures
 * still pending emits a process warning (`MISAS_ERASURE_PENDING`).
 *
 * WAL segments, archives and base backups still hold the key until they are recycled or expire:
 * see docs/scaling.md on backups.
 */
import type pg from 'pg';
import { CoalescingRunner } from './coalescing-runner.ts';
import { boolean, queryOne } from './rows.ts';
import { batchOf } from './write-batch.ts';

/** Rewrites of one key table, and the erasures that wait for one. */
export class KeyTableRewriter {
  readonly #pool: pg.Pool;
  readonly #rewrite: CoalescingRunner<void>;
  /** Subjects whose key bytes may still be in the table's file, with the id of the shred's transaction. */
  readonly #pending = new Map<string, string>();

  constructor(pool: pg.Pool, keysTable: string) {
    this.#pool = pool;
    // Shreds that arrive together share one rewrite: each rewrite copies the whole table.
    this.#rewrite = new CoalescingRunner(async () => {
      await pool.query(`VACUUM FULL ${keysTable}`);
    });
  }

  /** The subjects erased whose key bytes may still be on disk. */
  get pending(): readonly string[] {
    return [...this.#pending.keys()];
  }

  /**
   * The shred of `subjectRef` committed in transaction `xid`: rewrite the table once the older
   * snapshots have ended, waiting up to `waitMs`; past it, the erasure stays pending.
   */
  async shredded(subjectRef: string, xid: string, waitMs: number): Promise<void> {
    this.#pending.set(subjectRef, xid);
    await this.finish(waitMs);
  }

  /**
   * Rewrites the table for every pending erasure once no snapshot older than any of them remains,
   * waiting up to `waitMs` (0: check once). Returns the subjects still pending.
   */
  async finish(waitMs: number): Promise<readonly string[]> {
    // Inside a write batch the shred has not committed yet, and VACUUM cannot run in a transaction:
    // the rewrite waits for the batch's end (`afterWrite` once it committed).
    if (this.#pending.size === 0 || batchOf(this.#pool)) return this.pending;
    const covered = [...this.#pending];
    const deadline = Date.now() + waitMs;
    for (const [, xid] of covered) {
      if (!(await waitForOlderSnapshots(this.#pool, xid, Math.max(0, deadline - Date.now())))) return this.pending;
    }
    // A rewrite that starts now copies no row those shreds deleted.
    await this.#rewrite.run();
    for (const [subjectRef, xid] of covered) if (this.#pending.get(subjectRef) === xid) this.#pending.delete(subjectRef);
    return this.pending;
  }

  /** Right before the pool ends: a last check, and a warning if erasures stay pending. */
  async beforeClose(): Promise<void> {
    const left = await this.finish(0).catch(() => this.pending);
    if (left.length > 0) {
      process.emitWarning(
        `${left.length} erasure(s) not complete on disk: a transaction older than the shred kept the key table from being rewritten; ` +
          'the key bytes go at the next shred or completePendingErasures of any process',
        { code: 'MISAS_ERASURE_PENDING' },
      );
    }
  }
}

/**
 * Waits until no other session of this database has a snapshot or a transaction older than `xid`
 * (a committed transaction), or until `timeoutMs` has passed (0: one check). Sessions of other
 * roles are visible here only to a superuser or a member of pg_read_all_stats; prepared
 * transactions count too.
 */
async function waitForOlderSnapshots(pool: pg.Pool, xid: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    const row = await queryOne(
      pool,
      `SELECT EXISTS (
         SELECT 1 FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND ((backend_xmin IS NOT NULL AND age(backend_xmin) >= age($1::xid))
             OR (backend_xid IS NOT NULL AND age(backend_xid) >= age($1::xid)))
       ) OR EXISTS (
         SELECT 1 FROM pg_prepared_xacts WHERE database = current_database() AND age(transaction) >= age($1::xid)
       ) AS older`,
      [xid],
    );
    if (!boolean(row, 'older')) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
