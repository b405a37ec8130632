/**
 * One case as its counsellor, supervisor or data-protection officer sees it: the register row,
 * the person's data as it stands (with the history of its rectifications), the notes, and the
 * consent record. The only query that returns a staff member the NIR.
 */
import { caseFileOf, readPersonalData, type ConsentOverride, type ConsentRecord, type ConsentStatus, type PersonalDataRecord } from '@misas/core';
import type { CaseRegisterRow } from '@misas/projections';
import type { ServiceContext } from '../context.ts';

/** The consent of a case, as recorded. */
export interface CaseConsent {
  readonly status: ConsentStatus;
  readonly record: ConsentRecord | null;
  readonly withdrawnAt: string | null;
  readonly overrides: readonly ConsentOverride[];
}

/** A case with the person's data. `person` is `erased` once the key is destroyed. */
export interface CaseDetail {
  readonly row: CaseRegisterRow;
  readonly consent: CaseConsent;
  readonly person: { readonly status: 'found'; readonly record: PersonalDataRecord } | { readonly status: 'missing' } | { readonly status: 'erased' };
}

/**
 * The detail of the case of `row`: the register row access was decided on, which is also the one
 * returned, and the person of that row. The case is not looked up again, so what is returned is
 * the case access was decided on.
 */
export async function caseDetail(context: ServiceContext, row: CaseRegisterRow): Promise<CaseDetail> {
  const file = caseFileOf((await context.handler.load(row.caseId)).state);
  return {
    row,
    consent: { status: file.consent, record: file.consentRecord, withdrawnAt: file.consentWithdrawnAt, overrides: file.consentOverrides },
    person: await readPersonalData(context.storage.vault, row.subjectRef),
  };
}
