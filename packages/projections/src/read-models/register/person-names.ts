/**
 * Names of the people in register rows, resolved from the personal-data vault at read time: the
 * register itself never stores them, so erasing a person (crypto-shredding) needs no rebuild, and
 * a rectified name shows without one.
 */
import { readPersonalData, type PersonalDataVault } from '@misas/core';

/** The name of the person accompanied, as it stands today (the referral form's, rectified since if need be). */
export interface PersonName {
  readonly firstName: string;
  readonly lastName: string;
}

/**
 * Adds `person: { firstName, lastName }` to each row, read from the vault under the row's
 * `subjectRef` with every rectification applied (core's `readPersonalData`). `person` is `null`
 * when the subject was erased (or has no referral entry). Nothing else of the personal data is
 * returned.
 *
 * This function does not check that the caller may see names: a later privacy feature checks the
 * caller's entitlement before calling it. Call it only on rows the caller is entitled to.
 *
 * @throws PersonalDataUnreadableError (from `@misas/core`) when an entry exists but does not match its schema.
 */
export async function withPersonNames<T extends { readonly subjectRef: string }>(
  rows: readonly T[],
  vault: PersonalDataVault,
): Promise<Array<T & { readonly person: PersonName | null }>> {
  const result: Array<T & { readonly person: PersonName | null }> = [];
  for (const row of rows) {
    const read = await readPersonalData(vault, row.subjectRef);
    if (read.status !== 'found') {
      result.push({ ...row, person: null });
      continue;
    }
    const { firstName, lastName } = read.record.current.person;
    result.push({ ...row, person: { firstName, lastName } });
  }
  return result;
}
