/**
 * The personal-data vault in SQLite: entries sealed with AES-256-GCM under a key per subject
 * (the core's cipher, so every vault writes the same bytes), keys in their own table, wrapped
 * under a master key kept outside the file (vault-keys.ts).
 *
 * Shredding deletes the key and the entries and leaves a tombstone. `secure_delete` zeroes the
 * deleted rows inside their pages, and a `wal_checkpoint(TRUNCATE)` right after copies the zeroed
 * pages into the main file and empties the write-ahead log, so the key's bytes are left neither in
 * the `.db` file nor in the `-wal` file. A reader on another connection can hold that checkpoint
 * off: the erasure is then reported pending and finished later (see erasure-checkpoint.ts).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  defaultRewrapBatchSize,
  entryContext,
  MisasError,
  newSubjectKey,
  openEntry,
  sealEntry,
  type Clock,
  type JsonValue,
  type KeyWrapper,
  type PendingErasures,
  type PersonalDataVault,
  type RewrapOptions,
  type RewrapReport,
  type VaultPut,
  type VaultRead,
} from '@misas/core';
import { immediate, snapshot } from './connection.ts';
import { ErasureCheckpointer, type SqliteCheckpointReport } from './erasure-checkpoint.ts';
import type { ConnectionGate } from './gate.ts';
import { blob, parseJson, text, toJson } from './rows.ts';
import { SqliteVaultKeys, type RewrapScope } from './vault-keys.ts';

export type { SqliteCheckpointReport } from './erasure-checkpoint.ts';

/** What `lastCheckpoint.pendingErasures` names while the bytes of rewrapped keys' old wraps wait for a checkpoint. */
const oldKeyWraps = '(old key wraps)';

/** How long `completePendingErasures` retries by default. */
const defaultCompletionTimeoutMs = 30_000;

/** `PersonalDataVault` on a SQLite connection; see the port for the guarantees. */
export class SqliteVault implements PersonalDataVault {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #clock: Clock;
  readonly #isErased: StatementSync;
  readonly #keys: SqliteVaultKeys;
  readonly #sealedOf: StatementSync;
  readonly #entriesOf: StatementSync;
  readonly #putEntry: StatementSync;
  readonly #removeEntry: StatementSync;
  readonly #removeEntries: StatementSync;
  readonly #removeKey: StatementSync;
  readonly #tombstone: StatementSync;
  readonly #checkpointer: ErasureCheckpointer;

  constructor(db: DatabaseSync, gate: ConnectionGate, clock: Clock, keys: KeyWrapper) {
    this.#db = db;
    this.#gate = gate;
    this.#clock = clock;
    this.#checkpointer = new ErasureCheckpointer(db, gate);
    this.#isErased = db.prepare('SELECT 1 AS erased FROM vault_erased WHERE subject_ref = ?');
    this.#keys = new SqliteVaultKeys(db, keys);
    this.#sealedOf = db.prepare('SELECT sealed FROM vault_entries WHERE subject_ref = ? AND entry = ?');
    this.#entriesOf = db.prepare('SELECT entry, sealed FROM vault_entries WHERE subject_ref = ? ORDER BY entry');
    this.#putEntry = db.prepare(
      'INSERT INTO vault_entries (subject_ref, entry, sealed) VALUES (?, ?, ?) ON CONFLICT (subject_ref, entry) DO UPDATE SET sealed = excluded.sealed',
    );
    this.#removeEntry = db.prepare('DELETE FROM vault_entries WHERE subject_ref = ? AND entry = ?');
    this.#removeEntries = db.prepare('DELETE FROM vault_entries WHERE subject_ref = ?');
    this.#removeKey = db.prepare('DELETE FROM vault_keys WHERE subject_ref = ?');
    this.#tombstone = db.prepare('INSERT INTO vault_erased (subject_ref, erased_at) VALUES (?, ?) ON CONFLICT (subject_ref) DO NOTHING');
  }

  async put(subjectRef: string, entry: string, value: JsonValue): Promise<void> {
    const plaintext = toJson(value, `vault entry ${entry}`);
    await this.#gate.write(() => {
      immediate(this.#db, () => this.#putLocked(subjectRef, entry, plaintext));
      this.afterWrite();
    });
  }

  /**
   * Writes entries inside the write transaction already open on this connection (the event
   * store's append, possibly a savepoint of a write batch), so that they commit or roll back with
   * it. Called by the event store only, never through the gate.
   * @throws MisasError `subject-erased` when a subject was erased (the caller's transaction rolls back)
   */
  putWithin(puts: readonly VaultPut[]): void {
    if (!this.#db.isTransaction) throw new MisasError('vault-outside-transaction', 'putWithin needs the write transaction of an append');
    for (const put of puts) this.#putLocked(put.subjectRef, put.entry, toJson(put.value, `vault entry ${put.entry}`));
  }

  /** One put, inside a write transaction of this connection. */
  #putLocked(subjectRef: string, entry: string, plaintext: string): void {
    if (this.#erased(subjectRef)) {
      throw new MisasError('subject-erased', `subject ${subjectRef} was erased: its data cannot be written again`);
    }
    let key = this.#key(subjectRef);
    if (key === undefined) {
      key = newSubjectKey();
      this.#keys.create(subjectRef, key);
    }
    this.#putEntry.run(subjectRef, entry, sealEntry(key, plaintext, entryContext(subjectRef, entry)));
  }

  async get(subjectRef: string, entry: string): Promise<VaultRead> {
    return this.#gate.read(() =>
      snapshot(this.#db, (): VaultRead => {
        if (this.#erased(subjectRef)) return { status: 'erased' };
        const key = this.#key(subjectRef);
        const row = this.#sealedOf.get(subjectRef, entry);
        if (key === undefined || row === undefined) return { status: 'missing' };
        return { status: 'found', value: this.#open(key, subjectRef, entry, blob(row, 'sealed')) };
      }),
    );
  }

  async entries(
    subjectRef: string,
  ): Promise<{ readonly status: 'erased' } | { readonly status: 'found'; readonly entries: Readonly<Record<string, JsonValue>> }> {
    return this.#gate.read(() =>
      snapshot(this.#db, () => {
        if (this.#erased(subjectRef)) return { status: 'erased' } as const;
        const key = this.#key(subjectRef);
        const entries: Record<string, JsonValue> = {};
        if (key !== undefined) {
          for (const row of this.#entriesOf.all(subjectRef)) {
            const entry = text(row, 'entry');
            entries[entry] = this.#open(key, subjectRef, entry, blob(row, 'sealed'));
          }
        }
        return { status: 'found', entries } as const;
      }),
    );
  }

  async remove(subjectRef: string, entry: string): Promise<void> {
    await this.#gate.write(() => {
      immediate(this.#db, () => this.#removeEntry.run(subjectRef, entry));
      this.afterWrite();
    });
  }

  async shred(subjectRef: string): Promise<void> {
    await this.#gate.write(() => {
      immediate(this.#db, () => {
        this.#removeEntries.run(subjectRef);
        this.#removeKey.run(subjectRef);
        this.#tombstone.run(subjectRef, this.#clock.now().toISOString());
      });
      // After the commit, not inside it: a checkpoint cannot run within a transaction. The erasure
      // is committed either way; until a checkpoint succeeds it is reported pending, and retried.
      this.#checkpointer.shredded(subjectRef);
    });
  }

  /**
   * Retries the checkpoint until every pending erasure is complete on disk, or `timeoutMs`
   * (default 30 s) has passed: call it after a shred reported pending, e.g. once long readers are
   * known to be done, or before taking a copy of the file. Returns the last report; its
   * `pendingErasures` is empty on success.
   */
  async completePendingErasures(options: { readonly timeoutMs?: number } = {}): Promise<PendingErasures> {
    const report = await this.#checkpointer.complete(options.timeoutMs ?? defaultCompletionTimeoutMs);
    return { pending: report?.pendingErasures ?? [] };
  }

  async rewrapKeys(options: RewrapOptions = {}): Promise<RewrapReport> {
    return this.#rewrap('not-current', options);
  }

  /**
   * On open: wraps the clear keys a store from before schema version 4 holds, and checks that every
   * master key the stored keys name is at hand (one clear error line otherwise). Only reads when
   * there is nothing to wrap.
   */
  async prepareKeys(): Promise<void> {
    const clear = await this.#gate.read(() => snapshot(this.#db, () => this.#keys.remaining('clear')));
    if (clear > 0) await this.#rewrap('clear', {});
    await this.#gate.read(() => snapshot(this.#db, () => this.#keys.assertAvailable()));
  }

  // One transaction per batch, so writers interleave; then one checkpoint, so the old bytes of the
  // keys (clear, or under the old master key) leave the write-ahead log as they left the pages.
  async #rewrap(scope: RewrapScope, options: RewrapOptions): Promise<RewrapReport> {
    const size = Math.max(1, options.batchSize ?? defaultRewrapBatchSize);
    let after = '';
    let rewrapped = 0;
    const report = (): RewrapReport => ({ currentKeyId: this.#keys.currentKeyId, rewrapped, remaining: this.#keys.remaining(scope) });
    for (;;) {
      const take = options.limit === undefined ? size : Math.min(size, options.limit - rewrapped);
      if (take <= 0) break;
      const batch = await this.#gate.write(() => immediate(this.#db, () => this.#keys.rewrapBatch(scope, after, take)));
      if (batch.last === undefined) break;
      after = batch.last;
      rewrapped += batch.rewrapped;
      options.onBatch?.(await this.#gate.read(() => snapshot(this.#db, report)));
    }
    if (rewrapped > 0) {
      // The old wraps' bytes go like an erased key's: pending until a checkpoint truncates the log.
      await this.#gate.write(() => this.#checkpointer.shredded(oldKeyWraps));
    }
    return this.#gate.read(() => snapshot(this.#db, report));
  }

  /** Called once a write batch has committed: runs the checkpoint its erasures put off. */
  afterBatch(): void {
    this.#checkpointer.batchCommitted();
  }

  /**
   * Called after a write of this connection committed, on the gate's turn: a chance to finish
   * pending erasures. Never throws: the write is done, and an erasure that cannot be finished here
   * stays pending for the next opportunity.
   */
  afterWrite(): void {
    try {
      this.#checkpointer.opportunity();
    } catch {
      // Reported by the next attempt that fails the same way: lastCheckpoint keeps the pending subjects.
    }
  }

  /** Whether an erasure waits for its checkpoint (so that a writer knows to call `afterWrite`). */
  get erasurePending(): boolean {
    return this.#checkpointer.pending;
  }

  /** Called right before the connection closes: a last checkpoint for pending erasures. */
  beforeClose(): void {
    this.#checkpointer.beforeClose();
  }

  /**
   * What the last checkpoint after an erasure achieved, for monitoring; undefined before any.
   * `pendingErasures` lists the subjects whose key bytes may still be in the files.
   */
  get lastCheckpoint(): SqliteCheckpointReport | undefined {
    return this.#checkpointer.last;
  }

  #erased(subjectRef: string): boolean {
    return this.#isErased.get(subjectRef) !== undefined;
  }

  #key(subjectRef: string): Buffer | undefined {
    return this.#keys.read(subjectRef);
  }

  #open(key: Buffer, subjectRef: string, entry: string, sealed: Buffer): JsonValue {
    return parseJson(openEntry(key, sealed, entryContext(subjectRef, entry)), `vault entry ${entry}`);
  }
}
