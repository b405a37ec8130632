/**
 * Names of the people in register rows, resolved from the personal-data vault at read time: the
 * register itself never stores them, so erasing a person (crypto-shredding) needs no rebuild.
 */
import { ReferralPersonalData, referralEntry, type PersonalDataVault } from '@misas/core';

/** The name of the person accompanied, as written on the referral form. */
export interface PersonName {
  readonly firstName: string;
  readonly lastName: string;
}

/** The vault entry of a subject does not match the referral schema: the vault is corrupt. */
export class PersonalDataUnreadableError extends Error {
  readonly subjectRef: string;
  constructor(subjectRef: string) {
    // Never the content: it is personal data.
    super(`the '${referralEntry}' vault entry of subject ${subjectRef} does not match the referral personal-data schema`);
    this.name = 'PersonalDataUnreadableError';
    this.subjectRef = subjectRef;
  }
}

/**
 * Adds `person: { firstName, lastName }` to each row, read from the vault entry `referral` of the
 * row's `subjectRef`. `person` is `null` when the subject was erased (or has no referral entry).
 * Nothing else of the personal data is returned.
 *
 * This function does not check that the caller may see names: a later privacy feature checks the
 * caller's entitlement before calling it. Call it only on rows the caller is entitled to.
 *
 * @throws PersonalDataUnreadableError when an entry exists but does not match the schema.
 */
export async function withPersonNames<T extends { readonly subjectRef: string }>(
  rows: readonly T[],
  vault: PersonalDataVault,
): Promise<Array<T & { readonly person: PersonName | null }>> {
  const result: Array<T & { readonly person: PersonName | null }> = [];
  for (const row of rows) {
    const read = await vault.get(row.subjectRef, referralEntry);
    if (read.status !== 'found') {
      result.push({ ...row, person: null });
      continue;
    }
    const parsed = ReferralPersonalData.safeParse(read.value);
    if (!parsed.success) throw new PersonalDataUnreadableError(row.subjectRef);
    result.push({ ...row, person: { firstName: parsed.data.person.firstName, lastName: parsed.data.person.lastName } });
  }
  return result;
}
