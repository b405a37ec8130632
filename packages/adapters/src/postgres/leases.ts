/**
 * Leases on PostgreSQL: a row per lease name with its holder and expiry. Time comes from the
 * caller (`now`), as in memory; the database clock is never read.
 */
import type { LeaseManager } from '@misas/core';
import type pg from 'pg';
import { qualified } from './connection.ts';
import { execute, query, text } from './rows.ts';

/** The leases of one schema. */
export class PostgresLeaseManager implements LeaseManager {
  readonly #pool: pg.Pool;
  readonly #leases: string;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#leases = qualified(schema, 'leases');
  }

  async acquire(name: string, owner: string, options: { now: Date; ttlMs: number }): Promise<boolean> {
    // One upsert decides: a new row, or an update allowed only to the holder (renewal) or once the
    // lease has expired. Concurrent claimants of a free name queue on the primary key; the first
    // inserts, and each later one re-evaluates the WHERE against the winner's row and gets no row.
    const rows = await query(
      this.#pool,
      `INSERT INTO ${this.#leases} AS l (name, owner, expires_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE l.owner = EXCLUDED.owner OR l.expires_at <= $4::timestamptz
       RETURNING owner`,
      [name, owner, new Date(options.now.getTime() + options.ttlMs).toISOString(), options.now.toISOString()],
    );
    return rows.length === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await execute(this.#pool, `DELETE FROM ${this.#leases} WHERE name = $1 AND owner = $2`, [name, owner]);
  }

  async holder(name: string, now: Date): Promise<string | undefined> {
    const [row] = await query(this.#pool, `SELECT owner FROM ${this.#leases} WHERE name = $1 AND expires_at > $2::timestamptz`, [
      name,
      now.toISOString(),
    ]);
    return row ? text(row, 'owner') : undefined;
  }
}
