/**
 * The register rows the report's tests draw: a half-year of 150 referrals simulated by the CLI
 * (`packages/cli/src/testing/write-report-rows.ts` writes them). This package sits below the CLI
 * and cannot run its simulator, so the rows are a file, parsed with the register's own schema: a
 * change of the row's shape fails here, with what to run.
 */
import { readFileSync } from 'node:fs';
import { CaseRegisterRow } from '@misas/projections';

/** The period the rows were simulated over (referral dates). */
export const simulatedPeriod = { from: '2026-01-01', to: '2026-06-30' } as const;

/** How many referrals the rows hold. */
export const simulatedCases = 150;

const regenerate = 'node --conditions=@misas/source packages/cli/src/testing/write-report-rows.ts';

/** The simulated rows, checked against the register's schema. */
export function simulatedRows(): CaseRegisterRow[] {
  const parsed = CaseRegisterRow.array().safeParse(JSON.parse(readFileSync(new URL('simulated-rows.json', import.meta.url), 'utf8')));
  if (!parsed.success) throw new Error(`simulated-rows.json no longer matches the register's rows (${parsed.error.issues[0]?.message ?? 'invalid'}): run ${regenerate}`);
  return parsed.data;
}
