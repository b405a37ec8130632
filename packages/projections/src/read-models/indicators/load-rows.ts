/**
 * Loading the indicators' input from the case register.
 */
import type { ReadModelReader } from '../../engine/generations.ts';
import { requirePeriod } from '../shared/days.ts';
import { scanCaseRegister } from '../register/register-queries.ts';
import type { CaseRegisterRow } from '../register/register-row.ts';

/**
 * The register rows of the cases referred in [from, to] (referral date on the form), optionally
 * of one fund only (read through the fund index), in case-id order: the input of
 * `computeIndicators`.
 */
export async function registerRowsForPeriod(
  reader: ReadModelReader,
  options: { readonly from: string; readonly to: string; readonly fundId?: string },
): Promise<CaseRegisterRow[]> {
  const { from, to } = requirePeriod(options.from, options.to);
  const rows: CaseRegisterRow[] = [];
  const filter = { referredFrom: from, referredTo: to, ...(options.fundId === undefined ? {} : { fundId: options.fundId }) };
  for await (const row of scanCaseRegister(reader, filter)) rows.push(row);
  return rows;
}
