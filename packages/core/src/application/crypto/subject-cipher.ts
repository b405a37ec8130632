/**
 * Authenticated encryption of vault entries with a per-subject key (AES-256-GCM).
 * Shared by every vault implementation so that what lands on disk is the same everywhere.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const algorithm = 'aes-256-gcm';
const ivLength = 12;
const tagLength = 16;

/** A fresh random 256-bit key for one subject. */
export function newSubjectKey(): Buffer {
  return randomBytes(32);
}

/**
 * Encrypts `plaintext`. `context` (subject and entry name) is bound as associated data, so a
 * ciphertext copied under another subject or entry fails to decrypt.
 * Layout: iv (12 bytes) | tag (16 bytes) | ciphertext.
 */
export function sealEntry(key: Buffer, plaintext: string, context: string): Buffer {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv(algorithm, key, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Decrypts what `sealEntry` produced; throws if the key, context or bytes do not match. */
export function openEntry(key: Buffer, sealed: Buffer, context: string): string {
  const iv = sealed.subarray(0, ivLength);
  const tag = sealed.subarray(ivLength, ivLength + tagLength);
  const decipher = createDecipheriv(algorithm, key, iv, { authTagLength: tagLength });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(ivLength + tagLength)), decipher.final()]).toString('utf8');
}

/** The associated data of one entry. */
export function entryContext(subjectRef: string, entry: string): string {
  return `misas-vault:${subjectRef}:${entry}`;
}
