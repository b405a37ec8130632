/**
 * One case as its counsellor, supervisor or data-protection officer sees it: the register row,
 * the person's data as it stands (with the history of its rectifications), the notes, and the
 * consent record. The only query that returns a staff member the NIR.
 */
import { readPersonalData, type ConsentOverride, type ConsentRecord, type ConsentStatus, type PersonalDataRecord } from '@misas/core';
import { caseRegisterRow, readModel, caseRegisterName, type CaseRegisterRow } from '@misas/projections';
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

/** The detail of `caseId`, or `undefined` when the register does not know it. */
export async function caseDetail(context: ServiceContext, caseId: string): Promise<CaseDetail | undefined> {
  const row = await caseRegisterRow(readModel(context.storage.projections, caseRegisterName), caseId);
  if (!row) return undefined;
  const { state } = await context.handler.load(caseId);
  const file = state.snapshot.context;
  return {
    row,
    consent: { status: file.consent, record: file.consentRecord, withdrawnAt: file.consentWithdrawnAt, overrides: file.consentOverrides },
    person: await readPersonalData(context.storage.vault, row.subjectRef),
  };
}
