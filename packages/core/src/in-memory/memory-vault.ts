/**
 * A personal-data vault held in memory. It really encrypts, with one key per subject, so that
 * tests exercise the same crypto-shredding as the durable vaults.
 */
import { MisasError } from '../errors.ts';
import { entryContext, newSubjectKey, openEntry, sealEntry } from '../application/crypto/subject-cipher.ts';
import type { JsonValue, PersonalDataVault, VaultPut, VaultRead } from '../application/ports/personal-data-vault.ts';

export class InMemoryVault implements PersonalDataVault {
  readonly #keys = new Map<string, Buffer>();
  readonly #entries = new Map<string, Map<string, Buffer>>();
  readonly #erased = new Set<string>();

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
    let key = this.#keys.get(subjectRef);
    if (!key) {
      key = newSubjectKey();
      this.#keys.set(subjectRef, key);
    }
    const entries = this.#entries.get(subjectRef) ?? new Map<string, Buffer>();
    entries.set(entry, sealEntry(key, plaintext, entryContext(subjectRef, entry)));
    this.#entries.set(subjectRef, entries);
  }

  async get(subjectRef: string, entry: string): Promise<VaultRead> {
    if (this.#erased.has(subjectRef)) return { status: 'erased' };
    const key = this.#keys.get(subjectRef);
    const sealed = this.#entries.get(subjectRef)?.get(entry);
    if (!key || !sealed) return { status: 'missing' };
    return { status: 'found', value: JSON.parse(openEntry(key, sealed, entryContext(subjectRef, entry))) as JsonValue };
  }

  async entries(subjectRef: string): Promise<{ status: 'erased' } | { status: 'found'; entries: Record<string, JsonValue> }> {
    if (this.#erased.has(subjectRef)) return { status: 'erased' };
    const key = this.#keys.get(subjectRef);
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
}
