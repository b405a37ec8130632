/**
 * The register rows of a report, from one store or, for a simulation over several funds, from the
 * store of each fund its mark lists (each beside the store the run was named by): the funds'
 * registers added up, or one fund's with `--fund`.
 */
import type { CaseRegisterRow } from '@misas/projections';
import type { RowsRequest } from '@misas/report';
import type { ReportModule } from '../report-loader.ts';
import { fundStorageUrl } from '../simulation/funds.ts';
import { readSimulationMark } from '../simulation/store-guard.ts';
import { withStorage } from '../storage.ts';

/** The rows of the period, the period (null when no case matched), and the funds read from their own stores (null for one store). */
export interface StoreRows {
  readonly rows: CaseRegisterRow[];
  readonly period: { readonly from: string; readonly to: string } | null;
  readonly fundStores: readonly string[] | null;
}

/**
 * Reads the register rows a report is built from, following a simulation's list of fund stores,
 * with the reader of `@misas/report` (loaded by the caller).
 */
export async function readStoreRows(report: Pick<ReportModule, 'readRegisterRows'>, url: string, request: RowsRequest): Promise<StoreRows> {
  const { readRegisterRows } = report;
  return withStorage(url, async (storage) => {
    const funds = (await readSimulationMark(storage))?.funds;
    if (funds === undefined) return { ...(await readRegisterRows(storage, request)), fundStores: null };
    const chosen = request.fundId === undefined ? funds : funds.filter((fundId) => fundId === request.fundId);
    const rows: CaseRegisterRow[] = [];
    const periods: { from: string; to: string }[] = [];
    for (const fundId of chosen) {
      const part = await withStorage(fundStorageUrl(url, fundId), (fundStorage) => readRegisterRows(fundStorage, request));
      rows.push(...part.rows);
      if (part.period !== null) periods.push(part.period);
    }
    // Each fund's own span when none was asked: the report covers from the earliest to the latest.
    const period = periods.length === 0 ? null : { from: periods.map((p) => p.from).sort()[0] ?? '', to: periods.map((p) => p.to).sort().at(-1) ?? '' };
    return { rows, period, fundStores: chosen };
  });
}
