/**
 * Master keys held in memory, wrapping subject keys with AES-256-GCM: the `KeyWrapper` every
 * source (environment variable, key file, tests) builds. Several keys by id allow rotation: new
 * wraps use the first (current) one, older ones only unwrap until `rewrapKeys` has moved every
 * stored key to the current one.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { MasterKeyError } from '../../errors.ts';
import type { KeyWrapper } from '../ports/key-wrapper.ts';

const algorithm = 'aes-256-gcm';
const formatVersion = 1;
const ivLength = 12;
const tagLength = 16;
const masterKeyLength = 32;

/**
 * The id of a master key: `mk-` and the start of a domain-separated SHA-256 of it. It names the key
 * in the database and in messages without revealing it, and a different key always has another
 * id, so a wrong key is reported as a missing one, never as a crypto failure.
 */
export function masterKeyId(key: Buffer): string {
  return `mk-${createHash('sha256').update('misas-master-key-id\0').update(key).digest('hex').slice(0, 16)}`;
}

/** A fresh random master key, base64: what `MISAS_MASTER_KEY` or a key file holds. */
export function generateMasterKey(): string {
  return randomBytes(masterKeyLength).toString('base64');
}

/**
 * Decodes one base64 master key. `where` says where it was read (for the message, which never
 * quotes the value).
 * @throws MasterKeyError `master-key-invalid` unless it is the base64 of exactly 32 bytes
 */
export function parseMasterKey(base64: string, where: string): Buffer {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== masterKeyLength) {
    throw new MasterKeyError({
      rule: 'master-key-invalid',
      message: `the master key in ${where} is not the base64 of 32 bytes: generate one with \`misas keys generate\``,
    });
  }
  return key;
}

/** The associated data of a subject's wrapped key: the subject ref, so a wrapped key only opens for its own subject. */
export function vaultKeyContext(subjectRef: string): string {
  return `misas-vault-key:${subjectRef}`;
}

/**
 * A `KeyWrapper` over master keys in memory, the current one first.
 * Layout of a wrapped key: version (1 byte) | id length (1) | id (UTF-8) | iv (12) | tag (16) | ciphertext.
 */
export class MasterKeyRing implements KeyWrapper {
  /**
   * As key objects, made once: given a raw key, every `createCipheriv` imports it again, which
   * cost about as much as the encryption itself on each vault key wrapped or unwrapped.
   */
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  readonly source: string;

  /** `keys`: raw 32-byte master keys, the current one first. Duplicates are ignored. */
  constructor(keys: readonly Buffer[], source: string) {
    const first = keys[0];
    if (first === undefined) {
      throw new MasterKeyError({ rule: 'master-key-required', message: `no master key in ${source}: generate one with \`misas keys generate\`` });
    }
    const byId = new Map<string, KeyObject>();
    for (const key of keys) {
      if (key.length !== masterKeyLength) throw new MasterKeyError({ rule: 'master-key-invalid', message: `a master key from ${source} is not 32 bytes long` });
      byId.set(masterKeyId(key), createSecretKey(key));
    }
    this.#keys = byId;
    this.currentKeyId = masterKeyId(first);
    this.keyIds = [...byId.keys()];
    this.source = source;
  }

  /** A ring of base64 keys, the current one first. */
  static fromBase64(keys: readonly string[], source: string): MasterKeyRing {
    return new MasterKeyRing(keys.map((key, index) => parseMasterKey(key, keys.length > 1 ? `${source} (key ${index + 1})` : source)), source);
  }

  /** A ring with one random key that lives as long as the process: for stores that live no longer (memory). */
  static ephemeral(): MasterKeyRing {
    return new MasterKeyRing([randomBytes(masterKeyLength)], 'a key generated in memory for this process');
  }

  wrap(subjectKey: Buffer, context: string): Buffer {
    const id = Buffer.from(this.currentKeyId, 'utf8');
    const header = Buffer.concat([Buffer.from([formatVersion, id.length]), id]);
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv(algorithm, this.#current(), iv, { authTagLength: tagLength });
    cipher.setAAD(Buffer.concat([header, Buffer.from(context, 'utf8')]));
    const body = Buffer.concat([cipher.update(subjectKey), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  }

  unwrap(wrapped: Buffer, context: string): Buffer {
    const { keyId, headerLength } = readHeader(wrapped);
    const key = this.#keys.get(keyId);
    if (!key) throw this.#unknown(keyId);
    const iv = wrapped.subarray(headerLength, headerLength + ivLength);
    const tag = wrapped.subarray(headerLength + ivLength, headerLength + ivLength + tagLength);
    try {
      const decipher = createDecipheriv(algorithm, key, iv, { authTagLength: tagLength });
      decipher.setAAD(Buffer.concat([wrapped.subarray(0, headerLength), Buffer.from(context, 'utf8')]));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(wrapped.subarray(headerLength + ivLength + tagLength)), decipher.final()]);
    } catch {
      throw new MasterKeyError({
        rule: 'wrapped-key-unauthentic',
        keyId,
        message: `a stored vault key does not open under master key ${keyId} for ${context}: it was altered or moved from another subject`,
      });
    }
  }

  keyIdOf(wrapped: Buffer): string {
    return readHeader(wrapped).keyId;
  }

  #current(): KeyObject {
    const key = this.#keys.get(this.currentKeyId);
    if (!key) throw this.#unknown(this.currentKeyId);
    return key;
  }

  #unknown(keyId: string): MasterKeyError {
    return unknownMasterKey(keyId, this);
  }
}

/** The one-line error for a stored key wrapped under a master key the wrapper does not hold. */
export function unknownMasterKey(keyId: string, wrapper: Pick<KeyWrapper, 'keyIds' | 'source'>): MasterKeyError {
  return new MasterKeyError({
    rule: 'master-key-unknown',
    keyId,
    message:
      `the vault's keys are wrapped under master key ${keyId}, which is not among the master keys read from ${wrapper.source} ` +
      `(${wrapper.keyIds.join(', ')}): provide it (current key first, older keys after, until \`misas keys rotate\` has run)`,
  });
}

function readHeader(wrapped: Buffer): { keyId: string; headerLength: number } {
  const idLength = wrapped[1];
  if (wrapped[0] !== formatVersion || idLength === undefined || wrapped.length < 2 + idLength + ivLength + tagLength) {
    throw new MasterKeyError({ rule: 'wrapped-key-malformed', message: 'a stored vault key is not a wrapped key of this library (clear or damaged)' });
  }
  return { keyId: wrapped.subarray(2, 2 + idLength).toString('utf8'), headerLength: 2 + idLength };
}
