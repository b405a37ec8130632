/**
 * The sequencer: gives committed events their global positions, after their commit.
 *
 * Appends insert rows with `position = NULL`. A pass, in a transaction holding the schema's
 * sequencer lock, numbers every row that is committed and still unnumbered, following `seq`,
 * from `max(position) + 1`. A row of a transaction still in flight is invisible to the pass, so it
 * is numbered by a later pass, above everything numbered before: a reader that has seen position
 * `p` is never shown a new event at or below `p`. docs/postgres-ordering.md gives the full argument.
 *
 * Who runs passes: a writer, shortly after its append commits (`afterAppend`: one pass for all the
 * appends of the last few milliseconds of this process, in the background), so that readers
 * usually find everything numbered and pay only the probe; and every reader, before it reads
 * (`run`), which keeps read-your-writes whatever the writers did.
 */
import type pg from 'pg';
import { CoalescingRunner } from './coalescing-runner.ts';
import { advisoryKey, inTransaction, qualified } from './connection.ts';
import { MisasError } from '@misas/core';
import { boolean, execute, queryOne } from './rows.ts';
import { batchOf } from './write-batch.ts';

/**
 * How long after an append its writer runs a pass. Appends of this window share one pass, so a
 * busy writer pays about one pass per window rather than one per append; the first reader after a
 * burst finds at most this window's appends still to number. Long enough that a writer whose
 * appends come tens of milliseconds apart still shares a pass between several of them.
 */
export const writerPassDelayMs = 100;

function isQueryResult(value: unknown): value is { rows: Record<string, unknown>[]; rowCount: number | null } {
  return typeof value === 'object' && value !== null && 'rows' in value && Array.isArray(value.rows) && 'rowCount' in value;
}

/** What the sequencer has done since this process opened the storage (for tests and monitoring). */
export interface SequencerStats {
  /** Passes run, including those that found nothing to number. */
  readonly passes: number;
  /** Passes that found nothing pending and took no lock: the usual case for a reader. */
  readonly idlePasses: number;
  /** Passes that found the lock held by another session (another process's pass) and waited for it. */
  readonly contendedPasses: number;
  /** Rows numbered by this process. */
  readonly numbered: number;
  /** The most rows numbered in one pass. */
  readonly largestPass: number;
  /** Passes asked for by this process's writers after their appends (`afterAppend`); several may share one of `passes`. */
  readonly writerPasses: number;
}

/** Numbers committed events; `run()` returns once every event committed before the call has a position. */
export class Sequencer {
  readonly #pool: pg.Pool;
  readonly #events: string;
  readonly #lockKey: string;
  readonly #runner: CoalescingRunner<number>;
  /** The pass's UPDATE: from the head, the pending rows in `seq` order. */
  readonly #numbering: string;
  #stats: SequencerStats = { passes: 0, idlePasses: 0, contendedPasses: 0, numbered: 0, largestPass: 0, writerPasses: 0 };
  #writerPass: ReturnType<typeof setTimeout> | undefined;
  #background: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#events = qualified(schema, 'events');
    this.#lockKey = advisoryKey(schema, 'sequencer');
    this.#numbering = `
      WITH head AS (
        SELECT coalesce(max(position), 0) AS position FROM ${this.#events}
      ), pending AS (
        SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM ${this.#events} WHERE position IS NULL
      )
      UPDATE ${this.#events} AS e
      SET position = head.position + pending.n
      FROM pending, head
      WHERE e.seq = pending.seq`;
    // Readers of one process share passes: ten concurrent readAll calls make one or two passes,
    // and hold at most one pool client waiting on the lock, not ten.
    this.#runner = new CoalescingRunner(() => this.#pass());
  }

  /** Numbers every event committed before this call; resolves to how many rows this pass numbered. */
  run(): Promise<number> {
    // Inside a write batch, passes are units of the batch, which already run one at a time; sharing
    // one would make a unit wait for a pass queued behind it (a deadlock).
    if (batchOf(this.#pool)) return this.#pass();
    return this.#runner.run();
  }

  /**
   * An append of this process committed: number it within `writerPassDelayMs`, in the background,
   * sharing the pass with the other appends of that window. Not inside a write batch (the pass
   * would hold the sequencer's lock until the batch ends): the batch calls this once it committed.
   * A failed background pass is harmless: the next pass, a reader's at the latest, numbers the rows.
   */
  afterAppend(): void {
    if (this.#writerPass !== undefined || this.#closed || batchOf(this.#pool)) return;
    this.#writerPass = setTimeout(() => {
      this.#writerPass = undefined;
      // A batch opened meanwhile: its end schedules the pass.
      if (batchOf(this.#pool)) return;
      this.#stats = { ...this.#stats, writerPasses: this.#stats.writerPasses + 1 };
      this.#background = this.run().catch(() => 0);
    }, writerPassDelayMs);
    // A pending pass does not keep the process alive: what it would number, a reader numbers.
    this.#writerPass.unref();
  }

  /** Before the pool ends: no new writer pass, and the one running finishes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#writerPass);
    this.#writerPass = undefined;
    await this.#background;
  }

  /** Counters since open. */
  get stats(): SequencerStats {
    return this.#stats;
  }

  async #pass(): Promise<number> {
    // Without a lock, and using the partial index: readers pay one index probe when nothing waits.
    const probe = await queryOne(this.#pool, `SELECT EXISTS (SELECT 1 FROM ${this.#events} WHERE position IS NULL) AS pending`);
    if (!boolean(probe, 'pending')) {
      this.#count(0, { idle: true, contended: false });
      return 0;
    }
    const pass = batchOf(this.#pool) ? await this.#passInBatch() : await this.#passAlone();
    this.#count(pass.numbered, { idle: false, contended: pass.contended });
    return pass.numbered;
  }

  /**
   * The pass as one round trip: BEGIN, try the lock (to count contention), wait for it, number,
   * COMMIT — statements of one simple-protocol string, each with its own snapshot under READ
   * COMMITTED, so the UPDATE's is taken once the lock is held.
   */
  async #passAlone(): Promise<{ numbered: number; contended: boolean }> {
    const lock = `${this.#lockKey}::bigint`;
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      const results: unknown = await client.query(
        `BEGIN; SELECT pg_try_advisory_xact_lock(${lock}) AS locked; SELECT pg_advisory_xact_lock(${lock}); ${this.#numbering}; COMMIT`,
      );
      if (!Array.isArray(results)) throw new MisasError('unexpected-row', 'a sequencer pass returned no result per statement');
      const tried: unknown = results[1];
      const update: unknown = results[3];
      const locked = isQueryResult(tried) ? tried.rows[0]?.['locked'] : undefined;
      const numbered = isQueryResult(update) ? update.rowCount : undefined;
      if (typeof locked !== 'boolean' || typeof numbered !== 'number') throw new MisasError('unexpected-row', 'a sequencer pass returned results of an unexpected shape');
      return { numbered, contended: !locked };
    } catch (error) {
      // A statement failed: the rest of the string was skipped and the transaction is aborted.
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (failure: unknown) => (failure instanceof Error ? failure : new Error(String(failure))),
      );
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** The pass as a unit of the open write batch (a savepoint holding the lock until the batch ends). */
  async #passInBatch(): Promise<{ numbered: number; contended: boolean }> {
    return inTransaction(this.#pool, async (client) => {
      // Blocking, not "try and give up": a pass already running elsewhere may have taken its
      // snapshot before our caller's append committed, so skipping would break read-your-writes.
      const tried = await queryOne(client, 'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [this.#lockKey]);
      const contended = !boolean(tried, 'locked');
      if (contended) await execute(client, 'SELECT pg_advisory_xact_lock($1::bigint)', [this.#lockKey]);
      // A statement of its own, after the lock: under READ COMMITTED its snapshot is taken now, so
      // it sees the positions of every earlier pass (they committed before releasing the lock).
      return { numbered: await execute(client, this.#numbering), contended };
    });
  }

  #count(numbered: number, pass: { idle: boolean; contended: boolean }): void {
    const stats = this.#stats;
    this.#stats = {
      passes: stats.passes + 1,
      idlePasses: stats.idlePasses + (pass.idle ? 1 : 0),
      contendedPasses: stats.contendedPasses + (pass.contended ? 1 : 0),
      numbered: stats.numbered + numbered,
      largestPass: Math.max(stats.largestPass, numbered),
      writerPasses: stats.writerPasses,
    };
  }
}
