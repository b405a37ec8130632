/**
 * The `vault_keys` table of SQLite: every subject key stored wrapped under a master key
 * (`KeyWrapper`), with the master key's id beside it, so that the database alone opens nothing.
 * Each method runs inside the caller's transaction.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { unknownMasterKey, vaultKeyContext, type KeyWrapper } from '@misas/core';
import { blob, integer, text, type Row } from './rows.ts';

/** Which stored keys a rewrap batch takes: those not under the current master key, or only the clear ones left by migration 4. */
export type RewrapScope = 'not-current' | 'clear';

/** Keys of the SQLite vault, wrapped. */
export class SqliteVaultKeys {
  readonly #wrapper: KeyWrapper;
  readonly #keyOf: StatementSync;
  readonly #createKey: StatementSync;
  readonly #batch: Record<RewrapScope, StatementSync>;
  readonly #count: Record<RewrapScope, StatementSync>;
  readonly #replace: StatementSync;
  readonly #keyIds: StatementSync;

  constructor(db: DatabaseSync, wrapper: KeyWrapper) {
    this.#wrapper = wrapper;
    this.#keyOf = db.prepare('SELECT subject_ref, key, key_id FROM vault_keys WHERE subject_ref = ?');
    this.#createKey = db.prepare('INSERT INTO vault_keys (subject_ref, key, key_id) VALUES (?, ?, ?)');
    // Walking the primary key from where the last batch stopped: each batch reads only its rows.
    // Both scopes take the current key id as a parameter (unused by `clear`, `? IS NOT NULL` is
    // always true) so that one call site runs either.
    this.#batch = {
      'not-current': db.prepare(
        'SELECT subject_ref, key, key_id FROM vault_keys WHERE subject_ref > ? AND (key_id IS NULL OR key_id <> ?) ORDER BY subject_ref LIMIT ?',
      ),
      clear: db.prepare('SELECT subject_ref, key, key_id FROM vault_keys WHERE subject_ref > ? AND key_id IS NULL AND ? IS NOT NULL ORDER BY subject_ref LIMIT ?'),
    };
    this.#count = {
      'not-current': db.prepare('SELECT count(*) AS n FROM vault_keys WHERE key_id IS NULL OR key_id <> ?'),
      clear: db.prepare('SELECT count(*) AS n FROM vault_keys WHERE key_id IS NULL AND ? IS NOT NULL'),
    };
    this.#replace = db.prepare('UPDATE vault_keys SET key = ?, key_id = ? WHERE subject_ref = ? AND key = ?');
    this.#keyIds = db.prepare('SELECT DISTINCT key_id FROM vault_keys WHERE key_id IS NOT NULL');
  }

  /** The master key new wraps use. */
  get currentKeyId(): string {
    return this.#wrapper.currentKeyId;
  }

  /** The subject's key, unwrapped; undefined when the subject has none. */
  read(subjectRef: string): Buffer | undefined {
    const row = this.#keyOf.get(subjectRef);
    return row === undefined ? undefined : this.#unwrap(row);
  }

  /** Stores a new subject key, wrapped under the current master key. */
  create(subjectRef: string, key: Buffer): void {
    this.#createKey.run(subjectRef, this.#wrapper.wrap(key, vaultKeyContext(subjectRef)), this.#wrapper.currentKeyId);
  }

  /**
   * Rewraps up to `size` keys of `scope` after `after` (in subject order) under the current master
   * key. A key changed meanwhile is left to the next run (the update matches the bytes read).
   * Returns the last subject seen, undefined once there are no more.
   */
  rewrapBatch(scope: RewrapScope, after: string, size: number): { readonly last: string | undefined; readonly rewrapped: number } {
    let last: string | undefined;
    let rewrapped = 0;
    for (const row of this.#batch[scope].all(after, this.#wrapper.currentKeyId, size)) {
      const subjectRef = text(row, 'subject_ref');
      const stored = blob(row, 'key');
      const wrapped = this.#wrapper.wrap(this.#unwrap(row), vaultKeyContext(subjectRef));
      rewrapped += Number(this.#replace.run(wrapped, this.#wrapper.currentKeyId, subjectRef, stored).changes);
      last = subjectRef;
    }
    return { last, rewrapped };
  }

  /** How many stored keys `scope` still takes. */
  remaining(scope: RewrapScope): number {
    const row = this.#count[scope].get(this.#wrapper.currentKeyId);
    return row === undefined ? 0 : integer(row, 'n');
  }

  /** Throws the one-line `MasterKeyError` naming a master key the store needs and the wrapper lacks. */
  assertAvailable(): void {
    for (const row of this.#keyIds.all()) {
      const keyId = text(row, 'key_id');
      if (!this.#wrapper.keyIds.includes(keyId)) throw unknownMasterKey(keyId, this.#wrapper);
    }
  }

  #unwrap(row: Row): Buffer {
    const key = blob(row, 'key');
    // A clear key left by migration 4 until the open that wraps it.
    if (row['key_id'] === null) return key;
    return this.#wrapper.unwrap(key, vaultKeyContext(text(row, 'subject_ref')));
  }
}

/** True when the file holds at least one wrapped key (then only its own master key can open it). */
export function holdsWrappedKeys(db: DatabaseSync): boolean {
  return db.prepare('SELECT 1 AS found FROM vault_keys WHERE key_id IS NOT NULL LIMIT 1').get() !== undefined;
}
