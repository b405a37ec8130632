/**
 * A personal-data vault held in memory. It really encrypts, with one key per subject, so that
 * tests exercise the same crypto-shredding as the durable vaults.
 */
import { MisasError } from '../errors.ts';
import { entryContext, newSubjectKey, openEntry, sealEntry } from '../application/crypto/subject-cipher.ts';
import type { JsonValue, PersonalDataVault, VaultRead } from '../application/ports/personal-data-vault.ts';

export class InMemoryVault implements PersonalDataVault {
  readonly #keys = new Map<string, Buffer>();
  readonly #entries = new Map<string, Map<string, Buffer>>();
  readonly #erased = new Set<string>();

  async put(subjectRef: string, entry: string, value: JsonValue): Promise<void> {
    if (this.#erased.has(subjectRef)) {
      throw new MisasError('subject-erased', `subject ${subjectRef} was erased: its data cannot be written again`);
    }
    let key = this.#keys.get(subjectRef);
    if (!key) {
      key = newSubjectKey();
      this.#keys.set(subjectRef, key);
    }
    const entries = this.#entries.get(subjectRef) ?? new Map<string, Buffer>();
    entries.set(entry, sealEntry(key, JSON.stringify(value), entryContext(subjectRef, entry)));
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
