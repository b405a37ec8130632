/**
 * The personal-data vault in SQLite: entries sealed with AES-256-GCM under a key per subject
 * (the core's cipher, so every vault writes the same bytes), keys in their own table.
 *
 * Shredding deletes the key and the entries and leaves a tombstone. `secure_delete` zeroes the
 * deleted rows inside their pages, and a `wal_checkpoint(TRUNCATE)` right after copies the zeroed
 * pages into the main file and empties the write-ahead log, so the key's bytes are left neither in
 * the `.db` file nor in the `-wal` file.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  entryContext,
  MisasError,
  newSubjectKey,
  openEntry,
  sealEntry,
  systemClock,
  type Clock,
  type JsonValue,
  type PersonalDataVault,
  type VaultPut,
  type VaultRead,
} from '@misas/core';
import { immediate, snapshot } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import { isBusy } from './errors.ts';
import { blob, integer, parseJson, text, toJson } from './rows.ts';

/** What the last erasure's checkpoint achieved; see `SqliteVault.lastCheckpoint`. */
export interface SqliteCheckpointReport {
  /** True when another connection kept SQLite from copying and truncating the whole log. */
  readonly busy: boolean;
  /** Pages in the log before truncation (-1 for an in-memory database). */
  readonly logPages: number;
}

/** `PersonalDataVault` on a SQLite connection; see the port for the guarantees. */
export class SqliteVault implements PersonalDataVault {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #clock: Clock;
  readonly #isErased: StatementSync;
  readonly #keyOf: StatementSync;
  readonly #createKey: StatementSync;
  readonly #sealedOf: StatementSync;
  readonly #entriesOf: StatementSync;
  readonly #putEntry: StatementSync;
  readonly #removeEntry: StatementSync;
  readonly #removeEntries: StatementSync;
  readonly #removeKey: StatementSync;
  readonly #tombstone: StatementSync;
  #lastCheckpoint: SqliteCheckpointReport | undefined;
  #checkpointPending = false;

  constructor(db: DatabaseSync, gate: ConnectionGate, clock: Clock = systemClock) {
    this.#db = db;
    this.#gate = gate;
    this.#clock = clock;
    this.#isErased = db.prepare('SELECT 1 AS erased FROM vault_erased WHERE subject_ref = ?');
    this.#keyOf = db.prepare('SELECT key FROM vault_keys WHERE subject_ref = ?');
    this.#createKey = db.prepare('INSERT INTO vault_keys (subject_ref, key) VALUES (?, ?)');
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
    await this.#gate.write(() => immediate(this.#db, () => this.#putLocked(subjectRef, entry, plaintext)));
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
      this.#createKey.run(subjectRef, key);
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
    await this.#gate.write(() => immediate(this.#db, () => this.#removeEntry.run(subjectRef, entry)));
  }

  async shred(subjectRef: string): Promise<void> {
    await this.#gate.write(() => {
      immediate(this.#db, () => {
        this.#removeEntries.run(subjectRef);
        this.#removeKey.run(subjectRef);
        this.#tombstone.run(subjectRef, this.#clock.now().toISOString());
      });
      // After the commit, not inside it: a checkpoint cannot run within a transaction. The erasure
      // is committed either way; if another process's reader keeps the log from being emptied,
      // the next checkpoint (any later erasure, or SQLite's own when the last connection closes)
      // overwrites the old pages. Inside a write batch the commit is the batch's: checkpoint then.
      if (this.#db.isTransaction) this.#checkpointPending = true;
      else this.#lastCheckpoint = this.#checkpoint();
    });
  }

  /** Called once a write batch has committed: runs the checkpoint its erasures put off. */
  afterBatch(): void {
    if (!this.#checkpointPending) return;
    this.#checkpointPending = false;
    this.#lastCheckpoint = this.#checkpoint();
  }

  /** What the checkpoint after the last `shred` achieved, for monitoring; undefined before any. */
  get lastCheckpoint(): SqliteCheckpointReport | undefined {
    return this.#lastCheckpoint;
  }

  #checkpoint(): SqliteCheckpointReport {
    try {
      const row = this.#db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
      if (row === undefined) return { busy: true, logPages: -1 };
      return { busy: integer(row, 'busy') !== 0, logPages: integer(row, 'log') };
    } catch (error) {
      // The erasure is already committed: a lock on the log is no reason to report it failed.
      if (isBusy(error)) return { busy: true, logPages: -1 };
      throw error;
    }
  }

  #erased(subjectRef: string): boolean {
    return this.#isErased.get(subjectRef) !== undefined;
  }

  #key(subjectRef: string): Buffer | undefined {
    const row = this.#keyOf.get(subjectRef);
    return row === undefined ? undefined : blob(row, 'key');
  }

  #open(key: Buffer, subjectRef: string, entry: string, sealed: Buffer): JsonValue {
    return parseJson(openEntry(key, sealed, entryContext(subjectRef, entry)), `vault entry ${entry}`);
  }
}
