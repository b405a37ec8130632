/**
 * Finding a person's cases from who they say they are, to answer a rights request (access,
 * rectification, erasure). The register holds no names, so each person of the fund is read back
 * from the vault and compared on the data as it stands today (rectifications applied): a person
 * who had their name corrected is found under the corrected one.
 */
import { z } from 'zod';
import { Nir, normalizeNir, readPersonalData, ReferralPerson, ValidationError, type ReferralPersonalData } from '@misas/core';
import { caseRegisterName, readModel, scanCaseRegister } from '@misas/projections';
import type { ServiceContext } from '../context.ts';

const personField = ReferralPerson.shape;

/**
 * Who the person says they are: their name and birth date, or their NIR (spaces allowed).
 * Strict, so that a misspelt key fails instead of widening the search.
 */
export const PersonIdentity = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('identity'),
    lastName: personField.lastName,
    firstName: personField.firstName,
    birthDate: personField.birthDate,
  }),
  z.strictObject({ kind: z.literal('nir'), nir: Nir }),
]);
/** An identity once validated (the NIR normalised). */
export type PersonIdentity = z.infer<typeof PersonIdentity>;
/** An identity as a caller writes it. */
export type PersonIdentityInput = z.input<typeof PersonIdentity>;

/** One case of the person found. */
export interface PersonCase {
  readonly caseId: string;
  /** The person's vault reference in that case (pseudonymous), for the audit trail. */
  readonly subjectRef: string;
}

/**
 * A name as compared: case, accents, outer and repeated spaces do not count, so that "LÉA  durand"
 * finds "Léa Durand" — rights requests come by letter and phone, spelt as the person spells them.
 */
export function comparableName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whether the person's data as it stands matches the identity given. */
export function identityMatches(person: ReferralPersonalData['person'], identity: PersonIdentity): boolean {
  if (identity.kind === 'nir') return person.nir !== undefined && normalizeNir(person.nir) === identity.nir;
  return (
    person.birthDate === identity.birthDate &&
    comparableName(person.lastName) === comparableName(identity.lastName) &&
    comparableName(person.firstName) === comparableName(identity.firstName)
  );
}

/**
 * The cases of `fundId` whose person matches `identity`, in case-id order. Erased people are
 * never found: nothing is held about them any more.
 *
 * Every person of the fund is decrypted to be compared, so this is a rights-desk search, not a
 * lookup for everyday screens.
 *
 * @throws ValidationError (subject `identity`) naming the field and rule that fail; never the value given, a NIR least of all
 */
export async function findPersonCases(context: ServiceContext, fundId: string, identity: PersonIdentityInput): Promise<PersonCase[]> {
  const parsed = PersonIdentity.safeParse(identity);
  if (!parsed.success) throw ValidationError.fromZod('identity', parsed.error);
  const wanted = parsed.data;

  const found: PersonCase[] = [];
  for await (const row of scanCaseRegister(readModel(context.storage.projections, caseRegisterName), { fundId })) {
    if (row.personalDataErasedAt !== null) continue;
    const read = await readPersonalData(context.storage.vault, row.subjectRef);
    if (read.status !== 'found') continue;
    if (identityMatches(read.record.current.person, wanted)) found.push({ caseId: row.caseId, subjectRef: row.subjectRef });
  }
  // The register lists in key order; sorting here keeps the promise whatever a store's key encoding.
  return found.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
}
