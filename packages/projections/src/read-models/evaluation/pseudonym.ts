/**
 * Keyed pseudonyms for the evaluation extract. A plain hash of a case id could be recomputed by
 * anyone holding case ids (a fund's own staff, a leaked log); a keyed one only by the key's holder,
 * and a new key gives pseudonyms that cannot be linked to the old ones.
 */
import { createHmac } from 'node:crypto';

/** The shortest secret accepted: 32 characters, so that it cannot be guessed by trying. */
export const minimumPseudonymKeyLength = 32;

/**
 * Checks that `key` is long enough to be a secret.
 * @throws RangeError when it is shorter than {@link minimumPseudonymKeyLength} (the message never quotes it).
 */
export function requirePseudonymKey(key: string): string {
  if (key.length < minimumPseudonymKeyLength) {
    throw new RangeError(`pseudonymKey must be a secret of at least ${minimumPseudonymKeyLength} characters`);
  }
  return key;
}

/** HMAC-SHA256 of `caseId` under `key`, in lower-case hex: stable for one key, unrelated across keys. */
export function pseudonymOf(key: string, caseId: string): string {
  return createHmac('sha256', key).update(caseId, 'utf8').digest('hex');
}
