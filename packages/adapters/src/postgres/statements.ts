/**
 * Prepared statements. With `prepare` on (the default), every query of this adapter is sent as a
 * named statement: PostgreSQL parses and plans it once per connection, then only binds and runs
 * it. The append's statement costs about a third of its unprepared time that way.
 *
 * Two things made us leave prepared statements out before, and how they are handled:
 * - **Generic plans made on a nearly empty table.** A prepared statement's plan is made without
 *   the parameters' values, from the statistics of the moment; on a table of a few rows a
 *   sequential scan is cheapest, and that plan would be kept while the table grows to millions.
 *   Our connections therefore run with `plan_cache_mode = force_generic_plan` (one plan per
 *   connection, made on first use, never re-planned per call) and `enable_seqscan = off`: every
 *   statement of this adapter has an index for its filter and order, and with sequential scans
 *   priced out the plan is that index plan whatever the statistics said when it was made.
 *   `postgres-prepared.int.test.ts` checks the plans with EXPLAIN on a table of three analysed rows.
 * - **Session state breaks poolers in transaction mode** (PgBouncer before 1.21 and its kin hand
 *   each transaction to any server connection, where the statement was never prepared). For them,
 *   `prepare=false` in the URL (or `prepare: false`) sends unnamed statements, planned per call
 *   with their values, and sets no session setting.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Pools, and the clients they open, that send named statements. */
const preparing = new WeakSet<object>();

/**
 * The settings a preparing connection starts with (as `-c` startup options): see the module's
 * comment for why each one is needed.
 */
export const preparedSessionSettings = '-c plan_cache_mode=force_generic_plan -c enable_seqscan=off';

/** From now on, `pool` and every client it opens send named (prepared) statements. */
export function prepareStatementsOn(pool: pg.Pool): void {
  preparing.add(pool);
  pool.on('connect', (client) => preparing.add(client));
}

/** Whether queries on `db` are sent as named statements. */
export function prepares(db: object): boolean {
  return preparing.has(db);
}

const names = new Map<string, string>();

/**
 * The query as pg sends it: named after a hash of its text when `db` prepares, so that one text
 * always has one name (pg refuses a name reused for another text on the same connection), and
 * unnamed otherwise.
 */
export function statement(db: object, text: string, values: readonly unknown[]): pg.QueryConfig {
  if (!preparing.has(db)) return { text, values: [...values] };
  let name = names.get(text);
  if (name === undefined) {
    name = `misas_${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text, values: [...values] };
}
