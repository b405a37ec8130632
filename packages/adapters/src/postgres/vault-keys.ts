/**
 * The `vault_keys` table of PostgreSQL: every subject key stored wrapped under a master key
 * (`KeyWrapper`), its id in `key_id`, so that the database alone opens nothing.
 */
import { unknownMasterKey, vaultKeyContext, type KeyWrapper } from '@misas/core';
import type pg from 'pg';
import { inTransaction } from './connection.ts';
import { bytes, integer, optionalText, query, queryOne, text } from './rows.ts';

/** Which stored keys a rewrap batch takes: those not under the current master key, or only the clear ones left by migration 3. */
export type RewrapScope = 'not-current' | 'clear';

// Both filters take the current key id as $1 (unused by `clear`, where it is always non-null), so
// that every query runs either scope with the same parameters.
const scopeFilter: Record<RewrapScope, string> = {
  'not-current': '(key_id IS NULL OR key_id <> $1)',
  clear: '(key_id IS NULL AND $1::text IS NOT NULL)',
};

/** Keys of the PostgreSQL vault of one schema, wrapped. */
export class PostgresVaultKeys {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #wrapper: KeyWrapper;

  /** `table`: the qualified `vault_keys` table. */
  constructor(pool: pg.Pool, table: string, wrapper: KeyWrapper) {
    this.#pool = pool;
    this.#table = table;
    this.#wrapper = wrapper;
  }

  /** The master key new wraps use. */
  get currentKeyId(): string {
    return this.#wrapper.currentKeyId;
  }

  /** A new subject key wrapped under the current master key: the `key` and `key_id` to insert. */
  wrap(subjectRef: string, key: Buffer): { readonly wrapped: Buffer; readonly keyId: string } {
    return { wrapped: this.#wrapper.wrap(key, vaultKeyContext(subjectRef)), keyId: this.#wrapper.currentKeyId };
  }

  /** A stored key, unwrapped (`keyId` undefined: a clear key left by migration 3 until the open that wraps it). */
  unwrap(subjectRef: string, stored: Buffer, keyId: string | undefined): Buffer {
    return keyId === undefined ? stored : this.#wrapper.unwrap(stored, vaultKeyContext(subjectRef));
  }

  /**
   * Rewraps up to `size` keys of `scope` after `after` (in subject order), in one transaction that
   * locks their rows, so a shred waits for it rather than racing it. Returns the last subject
   * seen (undefined once there are no more) and the transaction's id.
   */
  async rewrapBatch(scope: RewrapScope, after: string, size: number): Promise<{ last: string | undefined; rewrapped: number; xid: string }> {
    return inTransaction(this.#pool, async (client) => {
      const rows = await query(
        client,
        `SELECT subject_ref, key, key_id FROM ${this.#table}
         WHERE subject_ref > $2 AND ${scopeFilter[scope]} ORDER BY subject_ref LIMIT $3 FOR UPDATE`,
        [this.#wrapper.currentKeyId, after, size],
      );
      const subjects: string[] = [];
      const wrapped: Buffer[] = [];
      for (const row of rows) {
        const subjectRef = text(row, 'subject_ref');
        subjects.push(subjectRef);
        wrapped.push(this.wrap(subjectRef, this.unwrap(subjectRef, bytes(row, 'key'), optionalText(row, 'key_id'))).wrapped);
      }
      if (subjects.length > 0) {
        await client.query(
          `UPDATE ${this.#table} AS k SET key = v.key, key_id = $1
           FROM unnest($2::text[], $3::bytea[]) AS v (subject_ref, key) WHERE k.subject_ref = v.subject_ref`,
          [this.#wrapper.currentKeyId, subjects, wrapped],
        );
      }
      const xid = await queryOne(client, 'SELECT pg_current_xact_id()::xid::text AS xid');
      return { last: subjects.at(-1), rewrapped: subjects.length, xid: text(xid, 'xid') };
    });
  }

  /** How many stored keys `scope` still takes. */
  async remaining(scope: RewrapScope): Promise<number> {
    const row = await queryOne(this.#pool, `SELECT count(*)::int AS n FROM ${this.#table} WHERE ${scopeFilter[scope]}`, [this.#wrapper.currentKeyId]);
    return integer(row, 'n');
  }

  /** Throws the one-line `MasterKeyError` naming a master key the schema needs and the wrapper lacks. */
  async assertAvailable(): Promise<void> {
    for (const row of await query(this.#pool, `SELECT DISTINCT key_id FROM ${this.#table} WHERE key_id IS NOT NULL`)) {
      const keyId = text(row, 'key_id');
      if (!this.#wrapper.keyIds.includes(keyId)) throw unknownMasterKey(keyId, this.#wrapper);
    }
  }
}
