/**
 * Reading the register rows a report is made of, from a store.
 */
import type { MisasStorage } from '@misas/core';
import { caseRegisterProjection, catchUp, readModel, registerRowsForPeriod, scanCaseRegister, type CaseRegisterRow } from '@misas/projections';

/** First and last referral date among `rows`; `null` when there are none. */
export function referralSpan(rows: readonly CaseRegisterRow[]): { from: string; to: string } | null {
  const days = rows.map((row) => row.dates.referralDate).sort();
  const from = days[0];
  const to = days.at(-1);
  return from === undefined || to === undefined ? null : { from, to };
}

/** What to read: a period (the whole span of referral dates when absent) and a fund. */
export interface RowsRequest {
  /** First referral date to read (inclusive, `YYYY-MM-DD`). */
  readonly from?: string;
  /** Last referral date to read (inclusive, `YYYY-MM-DD`). */
  readonly to?: string;
  /** Only this fund's rows; every fund's when absent. */
  readonly fundId?: string;
}

/**
 * Brings the case register up to date with the log, then reads the rows of the period (of one
 * fund, if asked). A bound not given is the first or last referral date in the register.
 * @returns the rows and the period they cover; `null` period when the register holds no case
 */
export async function readRegisterRows(storage: MisasStorage, request: RowsRequest): Promise<{ rows: CaseRegisterRow[]; period: { from: string; to: string } | null }> {
  const projection = caseRegisterProjection();
  // The register may lag the log (a store written by `misas run` is not caught up): read it fresh.
  await catchUp(storage.events, storage.projections, projection);
  const reader = readModel(storage.projections, projection.name);
  let { from, to } = request;
  if (from === undefined || to === undefined) {
    const all: CaseRegisterRow[] = [];
    for await (const row of scanCaseRegister(reader, request.fundId === undefined ? {} : { fundId: request.fundId })) all.push(row);
    const span = referralSpan(all);
    if (span === null) return { rows: [], period: null };
    from ??= span.from;
    to ??= span.to;
  }
  const rows = await registerRowsForPeriod(reader, { from, to, ...(request.fundId === undefined ? {} : { fundId: request.fundId }) });
  return { rows, period: { from, to } };
}
