/**
 * A personal-data vault held in memory. It really encrypts, with one key per subject wrapped under
 * a master key, so that tests exercise the same crypto-shredding and key handling as the durable
 * vaults.
 */
import { MisasError } from '../errors.ts';
import { MasterKeyRing, vaultKeyContext } from '../application/crypto/master-key-ring.ts';
import { entryContext, newSubjectKey, openEntry, sealEntry } from '../application/crypto/subject-cipher.ts';
import { defaultRewrapBatchSize, type KeyWrapper, type RewrapOptions, type RewrapReport } from '../application/ports/key-wrapper.ts';
import type { JsonValue, PersonalDataVault, VaultPut, VaultRead } from '../application/ports/personal-data-vault.ts';

/** What the in-memory vault holds, as bytes: what a heap dump would show an attacker. */
export interface InMemoryVaultRows {
  readonly keys: readonly { readonly subjectRef: string; readonly wrapped: Buffer }[];
  readonly entries: readonly { readonly subjectRef: string; readonly entry: string; readonly sealed: Buffer }[];
}

/**
 * A personal-data vault in memory that really encrypts (one key per subject, wrapped under a master
 * key), so that tests exercise the same crypto-shredding as the durable vaults.
 */
export class InMemoryVault implements PersonalDataVault {
  /** Subject keys, wrapped: the clear key exists only while an entry is sealed or opened. */
  readonly #keys = new Map<string, Buffer>();
  readonly #wrapper: KeyWrapper;
  readonly #entries = new Map<string, Map<string, Buffer>>();
  readonly #erased = new Set<string>();

  /** `keys`: the master keys (default: a random one for this process, as the data lives no longer). */
  constructor(keys: KeyWrapper = MasterKeyRing.ephemeral()) {
    this.#wrapper = keys;
  }

  async put(subjectRef: string, entry: string, value: JsonValue): Promise<void> {
    this.putAll([{ subjectRef, entry, value }]);
  }

  /**
   * Writes several entries synchronously, all or none: an erased subject refuses the whole lot
   * before anything is written. The in-memory event store calls it inside an append that carries
   * `vaultPuts`, so that the entries and the events are stored together.
   * @throws MisasError `subject-erased` when one of the subjects was erased (nothing written)
   */
  putAll(puts: readonly VaultPut[]): void {
    const erased = puts.find((put) => this.#erased.has(put.subjectRef));
    if (erased) {
      throw new MisasError('subject-erased', `subject ${erased.subjectRef} was erased: its data cannot be written again`);
    }
    // Serialised first: a value that cannot be must not leave the earlier entries written.
    const plaintexts = puts.map((put) => JSON.stringify(put.value));
    puts.forEach((put, index) => this.#write(put.subjectRef, put.entry, plaintexts[index] ?? 'null'));
  }

  #write(subjectRef: string, entry: string, plaintext: string): void {
    let key = this.#key(subjectRef);
    if (!key) {
      key = newSubjectKey();
      this.#keys.set(subjectRef, this.#wrapper.wrap(key, vaultKeyContext(subjectRef)));
    }
    const entries = this.#entries.get(subjectRef) ?? new Map<string, Buffer>();
    entries.set(entry, sealEntry(key, plaintext, entryContext(subjectRef, entry)));
    this.#entries.set(subjectRef, entries);
  }

  async get(subjectRef: string, entry: string): Promise<VaultRead> {
    if (this.#erased.has(subjectRef)) return { status: 'erased' };
    const key = this.#key(subjectRef);
    const sealed = this.#entries.get(subjectRef)?.get(entry);
    if (!key || !sealed) return { status: 'missing' };
    return { status: 'found', value: JSON.parse(openEntry(key, sealed, entryContext(subjectRef, entry))) as JsonValue };
  }

  async entries(subjectRef: string): Promise<{ status: 'erased' } | { status: 'found'; entries: Record<string, JsonValue> }> {
    if (this.#erased.has(subjectRef)) return { status: 'erased' };
    const key = this.#key(subjectRef);
    const result: Record<string, JsonValue> = {};
    for (const [entry, sealed] of this.#entries.get(subjectRef) ?? []) {
      if (key) result[entry] = JSON.parse(openEntry(key, sealed, entryContext(subjectRef, entry))) as JsonValue;
    }
    return { status: 'found', entries: result };
  }

  async remove(subjectRef: string, entry: string): Promise<void> {
    this.#entries.get(subjectRef)?.delete(entry);
  }

  async shred(subjectRef: string): Promise<void> {
    this.#keys.delete(subjectRef);
    this.#entries.delete(subjectRef);
    this.#erased.add(subjectRef);
  }

  async rewrapKeys(options: RewrapOptions = {}): Promise<RewrapReport> {
    const batchSize = Math.max(1, options.batchSize ?? defaultRewrapBatchSize);
    const current = this.#wrapper.currentKeyId;
    let rewrapped = 0;
    for (const [subjectRef, wrapped] of this.#keys) {
      if (options.limit !== undefined && rewrapped >= options.limit) break;
      if (this.#wrapper.keyIdOf(wrapped) === current) continue;
      const context = vaultKeyContext(subjectRef);
      this.#keys.set(subjectRef, this.#wrapper.wrap(this.#wrapper.unwrap(wrapped, context), context));
      rewrapped++;
      if (rewrapped % batchSize === 0) options.onBatch?.({ currentKeyId: current, rewrapped, remaining: this.#remaining() });
    }
    const report = { currentKeyId: current, rewrapped, remaining: this.#remaining() };
    if (rewrapped % batchSize !== 0) options.onBatch?.(report);
    return report;
  }

  /** The stored bytes, wrapped keys and sealed entries, for tests that play the attacker. */
  storedRows(): InMemoryVaultRows {
    return {
      keys: [...this.#keys].map(([subjectRef, wrapped]) => ({ subjectRef, wrapped: Buffer.from(wrapped) })),
      entries: [...this.#entries].flatMap(([subjectRef, entries]) =>
        [...entries].map(([entry, sealed]) => ({ subjectRef, entry, sealed: Buffer.from(sealed) })),
      ),
    };
  }

  #key(subjectRef: string): Buffer | undefined {
    const wrapped = this.#keys.get(subjectRef);
    return wrapped && this.#wrapper.unwrap(wrapped, vaultKeyContext(subjectRef));
  }

  #remaining(): number {
    let count = 0;
    for (const wrapped of this.#keys.values()) if (this.#wrapper.keyIdOf(wrapped) !== this.#wrapper.currentKeyId) count++;
    return count;
  }
}
