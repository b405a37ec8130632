/**
 * The sequencer: gives committed events their global positions, after their commit.
 *
 * Appends insert rows with `position = NULL`. A pass, in a transaction holding the schema's
 * sequencer lock, numbers every row that is committed and still unnumbered, following `seq`,
 * from `max(position) + 1`. A row of a transaction still in flight is invisible to the pass, so it
 * is numbered by a later pass, above everything numbered before: a reader that has seen position
 * `p` is never shown a new event at or below `p`. docs/postgres-ordering.md gives the full argument.
 */
import type pg from 'pg';
import { CoalescingRunner } from './coalescing-runner.ts';
import { advisoryKey, inTransaction, qualified } from './connection.ts';
import { boolean, queryOne } from './rows.ts';

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
}

/** Numbers committed events; `run()` returns once every event committed before the call has a position. */
export class Sequencer {
  readonly #pool: pg.Pool;
  readonly #events: string;
  readonly #lockKey: string;
  readonly #runner: CoalescingRunner<number>;
  #stats: SequencerStats = { passes: 0, idlePasses: 0, contendedPasses: 0, numbered: 0, largestPass: 0 };

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#events = qualified(schema, 'events');
    this.#lockKey = advisoryKey(schema, 'sequencer');
    // Readers of one process share passes: ten concurrent readAll calls make one or two passes,
    // and hold at most one pool client waiting on the lock, not ten.
    this.#runner = new CoalescingRunner(() => this.#pass());
  }

  /** Numbers every event committed before this call; resolves to how many rows this pass numbered. */
  run(): Promise<number> {
    return this.#runner.run();
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
    const pass = await inTransaction(this.#pool, async (client) => {
      // Blocking, not "try and give up": a pass already running elsewhere may have taken its
      // snapshot before our caller's append committed, so skipping would break read-your-writes.
      const tried = await queryOne(client, 'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [this.#lockKey]);
      const contended = !boolean(tried, 'locked');
      if (contended) await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.#lockKey]);
      // A statement of its own, after the lock: under READ COMMITTED its snapshot is taken now, so
      // it sees the positions of every earlier pass (they committed before releasing the lock).
      const result = await client.query(`
        WITH head AS (
          SELECT coalesce(max(position), 0) AS position FROM ${this.#events}
        ), pending AS (
          SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM ${this.#events} WHERE position IS NULL
        )
        UPDATE ${this.#events} AS e
        SET position = head.position + pending.n
        FROM pending, head
        WHERE e.seq = pending.seq`);
      return { numbered: result.rowCount ?? 0, contended };
    });
    this.#count(pass.numbered, { idle: false, contended: pass.contended });
    return pass.numbered;
  }

  #count(numbered: number, pass: { idle: boolean; contended: boolean }): void {
    const stats = this.#stats;
    this.#stats = {
      passes: stats.passes + 1,
      idlePasses: stats.idlePasses + (pass.idle ? 1 : 0),
      contendedPasses: stats.contendedPasses + (pass.contended ? 1 : 0),
      numbered: stats.numbered + numbered,
      largestPass: Math.max(stats.largestPass, numbered),
    };
  }
}
