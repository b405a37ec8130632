/**
 * Queries over the case register: one case, or a filtered page of cases in case-id order.
 */
import { dayOf, type DetectorKind, type ReferralReason } from '@misas/core';
import type { ReadModelReader } from '../../engine/generations.ts';
import { stepMatches, type CaseStepFilter } from '../shared/case-step.ts';
import { dayWithin, requireDay } from '../shared/days.ts';
import { decodeDocument, keyPart, scanDocuments } from '../shared/documents.ts';
import { caseRegisterByFundCollection, caseRegisterCollection } from './register-projection.ts';
import { CaseRegisterRow } from './register-row.ts';

/** Which rows to return. Every criterion given must hold; date bounds are inclusive days. */
export interface CaseRegisterFilter {
  readonly fundId?: string;
  /** A step, or `contact` for any of its substeps. */
  readonly status?: CaseStepFilter;
  readonly counsellorId?: string;
  readonly detectorKind?: DetectorKind;
  /** Rows whose referral ticked this reason (among others). */
  readonly reason?: ReferralReason;
  /** Bounds on the day the referral was received (`dates.receivedAt`). */
  readonly receivedFrom?: string;
  readonly receivedTo?: string;
  /** Bounds on the referral date written on the form (`dates.referralDate`): the indicators' period. */
  readonly referredFrom?: string;
  readonly referredTo?: string;
  /** Bounds on the day of the latest closure; open, redirected and declined cases never match. */
  readonly closedFrom?: string;
  readonly closedTo?: string;
}

/** A page request: at most `limit` rows (1 to 1000) after the cursor `after` (a case id). */
export interface PageRequest {
  readonly limit: number;
  readonly after?: string | null;
}

/** A page of rows, and the cursor of the next page (`null` on the last one). */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly next: string | null;
}

/** The maximum page size of register queries. */
export const maxPageSize = 1000;

/** Whether a row matches a filter (exported for callers that filter rows they already hold). */
export function matchesRegisterFilter(row: CaseRegisterRow, filter: CaseRegisterFilter): boolean {
  const closedOn = row.dates.closedAt === null ? null : dayOf(row.dates.closedAt);
  const closedBounded = filter.closedFrom !== undefined || filter.closedTo !== undefined;
  return (
    (filter.fundId === undefined || row.fundId === filter.fundId) &&
    (filter.status === undefined || stepMatches(row.status, filter.status)) &&
    (filter.counsellorId === undefined || row.counsellorId === filter.counsellorId) &&
    (filter.detectorKind === undefined || row.detectorKind === filter.detectorKind) &&
    (filter.reason === undefined || row.reasons.includes(filter.reason)) &&
    dayWithin(dayOf(row.dates.receivedAt), filter.receivedFrom, filter.receivedTo) &&
    dayWithin(row.dates.referralDate, filter.referredFrom, filter.referredTo) &&
    (!closedBounded || (closedOn !== null && dayWithin(closedOn, filter.closedFrom, filter.closedTo)))
  );
}

function checkFilter(filter: CaseRegisterFilter): void {
  const days = ['receivedFrom', 'receivedTo', 'referredFrom', 'referredTo', 'closedFrom', 'closedTo'] as const;
  for (const name of days) {
    const value = filter[name];
    if (value !== undefined) requireDay(value, name);
  }
}

/** One case's row, or `undefined` for a case the register does not know. */
export async function caseRegisterRow(reader: ReadModelReader, caseId: string): Promise<CaseRegisterRow | undefined> {
  return decodeDocument(CaseRegisterRow, await reader.get(caseRegisterCollection, caseId), caseRegisterCollection, caseId);
}

/**
 * Every row matching the filter, in case-id order. With a `fundId`, only that fund's index is read.
 */
export async function* scanCaseRegister(reader: ReadModelReader, filter: CaseRegisterFilter = {}, after?: string | null): AsyncGenerator<CaseRegisterRow> {
  checkFilter(filter);
  if (filter.fundId === undefined) {
    for await (const document of scanDocuments(reader, caseRegisterCollection, after ? { after } : {})) {
      const row = decodeDocument(CaseRegisterRow, document.value, caseRegisterCollection, document.key);
      if (row && matchesRegisterFilter(row, filter)) yield row;
    }
    return;
  }
  const prefix = `${keyPart(filter.fundId)}/`;
  for await (const entry of scanDocuments(reader, caseRegisterByFundCollection, { prefix, ...(after ? { after: prefix + after } : {}) })) {
    const row = await caseRegisterRow(reader, entry.key.slice(prefix.length));
    if (row && matchesRegisterFilter(row, filter)) yield row;
  }
}

/**
 * A page of the case register: the rows matching `filter`, in case-id order (stable whatever
 * happens to the cases meanwhile), and the cursor to pass as `after` for the next page.
 *
 * @throws RangeError when `limit` is not a whole number from 1 to {@link maxPageSize}, or a date bound is not a day.
 */
export async function queryCaseRegister(reader: ReadModelReader, filter: CaseRegisterFilter = {}, page: PageRequest): Promise<Page<CaseRegisterRow>> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxPageSize) {
    throw new RangeError(`limit must be a whole number from 1 to ${maxPageSize}`);
  }
  const rows: CaseRegisterRow[] = [];
  for await (const row of scanCaseRegister(reader, filter, page.after)) {
    // One row beyond the page tells whether there is a next page, without an empty last page.
    if (rows.length === page.limit) return { rows, next: rows.at(-1)?.caseId ?? null };
    rows.push(row);
  }
  return { rows, next: null };
}
