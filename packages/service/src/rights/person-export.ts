/**
 * The right of access (RGPD art. 15): everything held about the person of a case, as data and as
 * a readable document. A copy of each export is kept sealed in the vault under the person's
 * subject, so the fund can show what it answered — and that copy is destroyed with the person's
 * key at erasure, like every other copy of their data.
 */
import { z } from 'zod';
import { CaseNotFoundError, caseFileOf, MisasError, readPersonalData, type PersonalDataRead } from '@misas/core';
import type { ServiceContext } from '../context.ts';
import { PersonExportData, type ExportedAccess } from './person-export-data.ts';
import { assemblePersonExport } from './person-export-sections.ts';
import { renderPersonExport } from './render-person-export.ts';

export * from './person-export-data.ts';
export * from './person-export-contacts.ts';

/** One answer to an access request. */
export interface PersonExport {
  readonly exportId: string;
  readonly generatedAt: string;
  /** Everything held about the person, validated against {@link PersonExportData}. */
  readonly data: PersonExportData;
  /** The same, as a Markdown document to send to the person. */
  readonly document: string;
}

/** The vault entry (under the person's subject) keeping the copy of one export. */
export function exportEntry(exportId: string): string {
  return `export:${exportId}`;
}

/** The audit trail's largest page. */
const auditPageSize = 1000;

/**
 * Builds the export of the person of `caseId` and keeps its copy in the vault. Once the person
 * was erased, the export says so and still gives the case's facts and timeline; no copy is kept
 * then (the subject's key is gone, and the export holds no personal data).
 *
 * @throws CaseNotFoundError when the case has no events, or is not of `expectedFundId` when that is given
 * @throws PersonalDataUnreadableError when a vault entry of the person does not match its schema
 * @throws MisasError `subject-erased` from the vault when the person is erased while the export is built (ask again)
 */
export async function buildPersonExport(context: ServiceContext, caseId: string, expectedFundId?: string): Promise<PersonExport> {
  const { state, events } = await context.handler.load(caseId);
  const file = caseFileOf(state);
  // With `expectedFundId`, the case must be the one access was decided on: of that fund.
  if (state.version === 0 || file.fundId === null || file.subjectRef === null || (expectedFundId !== undefined && file.fundId !== expectedFundId)) {
    throw new CaseNotFoundError(caseId, expectedFundId ?? null);
  }
  const { fundId, subjectRef } = file;
  // The case's word wins: between the erasure event and the shredding, the vault may still answer.
  const personal: PersonalDataRead = file.personalDataErased ? { status: 'erased' } : await readPersonalData(context.storage.vault, subjectRef);

  const exportId = context.ids.next();
  const generatedAt = context.clock.now().toISOString();
  const assembled = assemblePersonExport({
    exportId,
    generatedAt,
    caseId,
    fundId,
    state,
    events,
    personal,
    retentionMonths: context.policies(fundId).retentionMonthsAfterClosure,
    accesses: await accessesTo(context, caseId),
  });
  const parsed = PersonExportData.safeParse(assembled);
  if (!parsed.success) {
    // Paths only: the values are the person's data.
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new MisasError('person-export-invalid', `the export of case ${caseId} does not match its schema at ${paths}`);
  }
  const data = parsed.data;

  if (personal.status !== 'erased') {
    // Kept before it is handed over, so that every answered request has its copy. The JSON round
    // trip drops fields left `undefined`, which a vault value may not hold.
    await context.storage.vault.put(subjectRef, exportEntry(exportId), z.json().parse(JSON.parse(JSON.stringify(data))));
  }
  return { exportId, generatedAt, data, document: renderPersonExport(data) };
}

/** Every entry of the audit trail about the case, page after page, oldest first. */
async function accessesTo(context: ServiceContext, caseId: string): Promise<ExportedAccess[]> {
  const accesses: ExportedAccess[] = [];
  let after: string | null = null;
  do {
    const page = await context.storage.audit.query({ caseId }, { limit: auditPageSize, after });
    for (const entry of page.entries) {
      accesses.push({
        at: entry.at,
        role: entry.principal.role,
        principalId: entry.principal.id,
        action: entry.action,
        what: entry.name,
        outcome: entry.outcome,
        personalData: entry.personalData,
      });
    }
    after = page.next;
  } while (after !== null);
  return accesses;
}
