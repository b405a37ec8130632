/**
 * The personal-data vault on PostgreSQL: AES-256-GCM entries under a key per subject
 * (`sealEntry` / `openEntry` of @misas/core), keys and entries in separate tables, the keys
 * wrapped under a master key kept outside the database (vault-keys.ts).
 *
 * Crypto-shredding on PostgreSQL needs more than a DELETE: a deleted row stays in the table's data
 * file as a dead tuple until the space is reused, so `shred` rewrites the small `vault_keys` table
 * with `VACUUM FULL` once the subject's key is deleted — or, while an older snapshot lives, reports
 * the erasure pending and rewrites later (see erasure-rewrite.ts).
 */
import {
  defaultRewrapBatchSize,
  entryContext,
  MisasError,
  newSubjectKey,
  openEntry,
  sealEntry,
  type JsonValue,
  type KeyWrapper,
  type PendingErasures,
  type PersonalDataVault,
  type RewrapOptions,
  type RewrapReport,
  type VaultPut,
  type VaultRead,
} from '@misas/core';
import type pg from 'pg';
import { advisoryKey, inTransaction, qualified } from './connection.ts';
import { KeyTableRewriter } from './erasure-rewrite.ts';
import { boolean, bytes, execute, isJsonValue, optionalBytes, optionalText, query, queryOne, text } from './rows.ts';
import { PostgresVaultKeys, type RewrapScope } from './vault-keys.ts';
import { batchOf } from './write-batch.ts';

/** How long `shred` waits for older snapshots to end before leaving the erasure pending. */
const snapshotWaitMs = 10_000;

/** What `pendingErasures` names while the bytes of rewrapped keys' old wraps wait for the table's rewrite. */
const oldKeyWraps = '(old key wraps)';

/** How long `completePendingErasures` waits by default. */
const defaultCompletionTimeoutMs = 30_000;

/** The vault of one schema. */
export class PostgresVault implements PersonalDataVault {
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #keys: string;
  readonly #entries: string;
  readonly #erased: string;
  readonly #rewriter: KeyTableRewriter;
  readonly #vaultKeys: PostgresVaultKeys;

  constructor(pool: pg.Pool, schema: string, keys: KeyWrapper) {
    this.#pool = pool;
    this.#schema = schema;
    this.#keys = qualified(schema, 'vault_keys');
    this.#entries = qualified(schema, 'vault_entries');
    this.#erased = qualified(schema, 'vault_erased');
    this.#rewriter = new KeyTableRewriter(pool, this.#keys);
    this.#vaultKeys = new PostgresVaultKeys(pool, this.#keys, keys);
  }

  /**
   * Under the subject's lock: refuses an erased subject, then writes the entry under the subject's
   * key, creating the key for a new subject. A key is drawn and the entry sealed with it before
   * the transaction, for the case that the subject is new (every referral's is): then the checks,
   * the key and the entry are one statement, and the whole put three round trips. For a subject
   * that has a key, the statement returns it and the entry is sealed again with it and written.
   */
  async put(subjectRef: string, entry: string, value: JsonValue): Promise<void> {
    await inTransaction(this.#pool, (client) => this.#putLocked(client, subjectRef, entry, value), { lock: this.#subjectLock(subjectRef) });
    await this.afterWrite();
  }

  /**
   * Writes entries inside a transaction the caller has open on `client` (the event store's append),
   * so that they commit or roll back with it. Takes each subject's lock first, in a fixed order,
   * as `put` and `shred` do; the locks are held until that transaction ends.
   * @throws MisasError `subject-erased` when a subject was erased (the caller's transaction must roll back)
   */
  async putWithin(client: pg.ClientBase, puts: readonly VaultPut[]): Promise<void> {
    const subjects = [...new Set(puts.map((put) => put.subjectRef))].sort();
    for (const subjectRef of subjects) await execute(client, 'SELECT pg_advisory_xact_lock($1::bigint)', [this.#subjectLock(subjectRef)]);
    for (const put of puts) await this.#putLocked(client, put.subjectRef, put.entry, put.value);
  }

  /** One put, on a client whose transaction holds the subject's lock. */
  async #putLocked(client: pg.ClientBase, subjectRef: string, entry: string, value: JsonValue): Promise<void> {
    const plaintext = JSON.stringify(value);
    const context = entryContext(subjectRef, entry);
    const candidateKey = newSubjectKey();
    const sealedWithCandidate = sealEntry(candidateKey, plaintext, context);
    const candidate = this.#vaultKeys.wrap(subjectRef, candidateKey);
    const upsertEntry = `INSERT INTO ${this.#entries} (subject_ref, entry, sealed)`;
    const onConflict = 'ON CONFLICT (subject_ref, entry) DO UPDATE SET sealed = EXCLUDED.sealed';
    // After the lock (a statement of its own), so its snapshot shows any shred that held it.
    const row = await queryOne(
      client,
      `WITH erased AS (
         SELECT EXISTS (SELECT 1 FROM ${this.#erased} WHERE subject_ref = $1) AS erased
       ), existing AS (
         SELECT key, key_id FROM ${this.#keys} WHERE subject_ref = $1
       ), created AS (
         INSERT INTO ${this.#keys} (subject_ref, key, key_id)
         SELECT $1, $3, $5 WHERE NOT (SELECT erased FROM erased) AND NOT EXISTS (SELECT 1 FROM existing)
         RETURNING subject_ref
       ), stored AS (
         ${upsertEntry} SELECT subject_ref, $2, $4 FROM created
         ${onConflict}
         RETURNING 1
       )
       SELECT (SELECT erased FROM erased) AS erased, (SELECT key FROM existing) AS key, (SELECT key_id FROM existing) AS key_id,
              EXISTS (SELECT 1 FROM stored) AS stored`,
      [subjectRef, entry, candidate.wrapped, sealedWithCandidate, candidate.keyId],
    );
    if (boolean(row, 'erased')) {
      throw new MisasError('subject-erased', `subject ${subjectRef} was erased: its data cannot be written again`);
    }
    if (boolean(row, 'stored')) return;
    const stored = optionalBytes(row, 'key');
    if (!stored) throw new MisasError('unexpected-row', `vault put of ${subjectRef}: neither an existing key nor a new one`);
    const key = this.#vaultKeys.unwrap(subjectRef, stored, optionalText(row, 'key_id'));
    await execute(client, `${upsertEntry} VALUES ($1, $2, $3) ${onConflict}`, [subjectRef, entry, sealEntry(key, plaintext, context)]);
  }

  async get(subjectRef: string, entry: string): Promise<VaultRead> {
    // One statement, one snapshot: a shred committing meanwhile is seen whole or not at all.
    const row = await queryOne(
      this.#pool,
      `SELECT EXISTS (SELECT 1 FROM ${this.#erased} WHERE subject_ref = $1) AS erased,
              (SELECT key FROM ${this.#keys} WHERE subject_ref = $1) AS key,
              (SELECT key_id FROM ${this.#keys} WHERE subject_ref = $1) AS key_id,
              (SELECT sealed FROM ${this.#entries} WHERE subject_ref = $1 AND entry = $2) AS sealed`,
      [subjectRef, entry],
    );
    if (boolean(row, 'erased')) return { status: 'erased' };
    const key = optionalBytes(row, 'key');
    const sealed = optionalBytes(row, 'sealed');
    if (!key || !sealed) return { status: 'missing' };
    return { status: 'found', value: decrypt(this.#vaultKeys.unwrap(subjectRef, key, optionalText(row, 'key_id')), sealed, subjectRef, entry) };
  }

  async entries(subjectRef: string): Promise<{ status: 'erased' } | { status: 'found'; entries: Record<string, JsonValue> }> {
    const rows = await query(
      this.#pool,
      `SELECT EXISTS (SELECT 1 FROM ${this.#erased} WHERE subject_ref = $1) AS erased, k.key, k.key_id, e.entry, e.sealed
       FROM (SELECT 1) AS one
       LEFT JOIN ${this.#keys} AS k ON k.subject_ref = $1
       LEFT JOIN ${this.#entries} AS e ON e.subject_ref = $1
       ORDER BY e.entry`,
      [subjectRef],
    );
    if (rows.some((row) => boolean(row, 'erased'))) return { status: 'erased' };
    const result: Record<string, JsonValue> = {};
    const stored = rows[0] && optionalBytes(rows[0], 'key');
    const key = rows[0] && stored && this.#vaultKeys.unwrap(subjectRef, stored, optionalText(rows[0], 'key_id'));
    for (const row of rows) {
      const entry = optionalText(row, 'entry');
      if (key && entry !== undefined) result[entry] = decrypt(key, bytes(row, 'sealed'), subjectRef, entry);
    }
    return { status: 'found', entries: result };
  }

  async remove(subjectRef: string, entry: string): Promise<void> {
    await execute(this.#pool, `DELETE FROM ${this.#entries} WHERE subject_ref = $1 AND entry = $2`, [subjectRef, entry]);
    await this.afterWrite();
  }

  async shred(subjectRef: string): Promise<void> {
    const shredded = await inTransaction(
      this.#pool,
      async (client) => {
        await execute(client, `DELETE FROM ${this.#entries} WHERE subject_ref = $1`, [subjectRef]);
        const deleted = await execute(client, `DELETE FROM ${this.#keys} WHERE subject_ref = $1`, [subjectRef]);
        await execute(client, `INSERT INTO ${this.#erased} (subject_ref) VALUES ($1) ON CONFLICT (subject_ref) DO NOTHING`, [subjectRef]);
        const xid = await queryOne(client, 'SELECT pg_current_xact_id()::xid::text AS xid');
        return { keyDeleted: deleted > 0, xid: text(xid, 'xid') };
      },
      { lock: this.#subjectLock(subjectRef) },
    );
    // The key's tuple is dead but its bytes are still in the data file: rewrite the table once
    // the transactions older than ours have ended, or leave the erasure pending (see KeyTableRewriter).
    if (shredded.keyDeleted) await this.#rewriter.shredded(subjectRef, shredded.xid, snapshotWaitMs);
    else await this.afterWrite();
  }

  /** The subjects erased whose key bytes may still be in the key table's file (a reader's older snapshot held the rewrite off). */
  get pendingErasures(): readonly string[] {
    return this.#rewriter.pending;
  }

  /**
   * Waits (default up to 30 s) for the snapshots older than the pending erasures to end, then
   * rewrites the key table. Returns the subjects still pending: empty on success.
   */
  async completePendingErasures(options: { readonly timeoutMs?: number } = {}): Promise<PendingErasures> {
    return { pending: await this.#rewriter.finish(options.timeoutMs ?? defaultCompletionTimeoutMs) };
  }

  /**
   * After a write of this storage committed: finishes the pending erasures if no older snapshot
   * remains (one check, no wait). Never throws: the write it follows is done, and an erasure that
   * fails to finish here stays pending for the next opportunity.
   */
  async afterWrite(): Promise<void> {
    // Inside a write batch nothing is committed yet: the batch calls this once it has.
    if (this.#rewriter.pending.length > 0 && !batchOf(this.#pool)) await this.#rewriter.finish(0).catch(() => undefined);
  }

  /** Called right before the pool ends: a last attempt at the pending erasures, with a warning for those left. */
  beforeClose(): Promise<void> {
    return this.#rewriter.beforeClose();
  }

  async rewrapKeys(options: RewrapOptions = {}): Promise<RewrapReport> {
    return this.#rewrap('not-current', options);
  }

  /**
   * On open: wraps the clear keys a schema from before version 3 holds, and checks that every
   * master key the stored keys name is at hand (one clear error line otherwise).
   */
  async prepareKeys(): Promise<void> {
    if ((await this.#vaultKeys.remaining('clear')) > 0) await this.#rewrap('clear', {});
    await this.#vaultKeys.assertAvailable();
  }

  // One transaction per batch, so writers interleave. Then the key table is rewritten, as after a
  // shred: the old bytes of each key (clear, or under the old master key) are dead tuples until then.
  async #rewrap(scope: RewrapScope, options: RewrapOptions): Promise<RewrapReport> {
    const size = Math.max(1, options.batchSize ?? defaultRewrapBatchSize);
    const currentKeyId = this.#vaultKeys.currentKeyId;
    let after = '';
    let rewrapped = 0;
    let xid: string | undefined;
    for (;;) {
      const take = options.limit === undefined ? size : Math.min(size, options.limit - rewrapped);
      if (take <= 0) break;
      const batch = await this.#vaultKeys.rewrapBatch(scope, after, take);
      if (batch.last === undefined) break;
      ({ xid } = batch);
      after = batch.last;
      rewrapped += batch.rewrapped;
      options.onBatch?.({ currentKeyId, rewrapped, remaining: await this.#vaultKeys.remaining(scope) });
    }
    // The old wraps' bytes go like an erased key's: pending until the table is rewritten.
    if (xid !== undefined) await this.#rewriter.shredded(oldKeyWraps, xid, snapshotWaitMs);
    return { currentKeyId, rewrapped, remaining: await this.#vaultKeys.remaining(scope) };
  }

  // Serialises put and shred of one subject across processes, so that a put cannot recreate a key
  // for a subject being shredded (it would see no tombstone, then write after the shred commits).
  #subjectLock(subjectRef: string): string {
    return advisoryKey(this.#schema, 'vault-subject', subjectRef);
  }
}

function decrypt(key: Buffer, sealed: Buffer, subjectRef: string, entry: string): JsonValue {
  const value: unknown = JSON.parse(openEntry(key, sealed, entryContext(subjectRef, entry)));
  if (!isJsonValue(value)) throw new MisasError('unexpected-row', `vault entry ${entry} of ${subjectRef} does not hold JSON`);
  return value;
}
