/**
 * The extract for the national evaluation of the Mission accompagnement santé: the cases referred
 * in a period, pseudonymised, without the people who object to this use of their data, and the
 * indicators over the same population. It reads the case register only: no vault, no name.
 */
import type { ReadModelReader } from '../../engine/generations.ts';
import { indicatorSetOf, type IndicatorSet } from '../indicators/indicator-set.ts';
import { registerRowsForPeriod } from '../indicators/load-rows.ts';
import type { CaseRegisterRow } from '../register/register-row.ts';
import { compareKeys } from '../shared/documents.ts';
import { requirePeriod } from '../shared/days.ts';
import { EvaluationRow } from './evaluation-row.ts';
import { pseudonymOf, requirePseudonymKey } from './pseudonym.ts';

/** What to extract. */
export interface EvaluationExtractOptions {
  /** First referral date of the period (inclusive, `YYYY-MM-DD`). */
  readonly from: string;
  /** Last referral date of the period (inclusive). */
  readonly to: string;
  /** The funds to extract (each read through the register's fund index); every fund when left out. */
  readonly fundIds?: readonly string[];
  /** The secret behind the pseudonyms, 32 characters or more. Keep it away from whoever receives the extract. */
  readonly pseudonymKey: string;
}

/** The extract: pseudonymised rows and the indicators over the same people. */
export interface EvaluationExtract {
  readonly period: { readonly from: string; readonly to: string };
  /** The funds extracted, in code-point order; `null` for every fund. */
  readonly fundIds: readonly string[] | null;
  /** One row per case referred in the period whose person does not object, in pseudonym order. */
  readonly rows: readonly EvaluationRow[];
  /** The indicators (as `computeIndicators` defines them) over the cases of `rows` only. */
  readonly aggregates: IndicatorSet;
  /** Cases of the period left out because the person objects to the evaluation. */
  readonly excludedForObjection: number;
}

/** A row built for the extract does not match its schema: a bug, reported by path and rule, never by value. */
export class EvaluationRowError extends Error {
  constructor(issues: readonly { readonly path: readonly PropertyKey[]; readonly code: string }[]) {
    super(`an evaluation row does not match its schema: ${issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'} [${issue.code}]`).join(', ')}`);
    this.name = 'EvaluationRowError';
  }
}

/** The register row as the evaluation may see it: picked field by field, never spread. */
function evaluationRowOf(row: CaseRegisterRow, pseudonymKey: string): EvaluationRow {
  const candidate: EvaluationRow = {
    pseudonym: pseudonymOf(pseudonymKey, row.caseId),
    fundId: row.fundId,
    referralMonth: row.dates.referralDate.slice(0, 7),
    ageBand: row.ageBand,
    channel: row.channel,
    detectionMode: row.detectionMode,
    detectorKind: row.detectorKind,
    reasons: [...row.reasons],
    careTypes: [...row.careTypes],
    renunciationSince: row.renunciationSince,
    renunciationCauses: [...row.renunciationCauses],
    triageDecision: row.triageDecision,
    declineReason: row.declineReason,
    closureReason: row.closureReason,
    problems: [...row.problems],
    strands: [...row.strands],
    partnersSolicited: [...row.partnersSolicited],
    outcomes: { ...row.outcomes, rightsOpened: [...row.outcomes.rightsOpened], careCarriedOut: [...row.outcomes.careCarriedOut] },
    durations: { ...row.durations },
    minutesTotal: row.minutes.total,
    reopenCount: row.reopenCount,
    status: row.status,
  };
  const parsed = EvaluationRow.safeParse(candidate);
  if (!parsed.success) throw new EvaluationRowError(parsed.error.issues);
  return parsed.data;
}

function requireFundIds(fundIds: readonly string[] | undefined): string[] | null {
  if (fundIds === undefined) return null;
  // An empty list is more likely a caller's slip than a wish for an empty extract: refuse it.
  if (fundIds.length === 0) throw new RangeError('fundIds, when given, must name at least one fund');
  if (fundIds.some((fundId) => fundId.length === 0)) throw new RangeError('fundIds must not contain an empty fund id');
  return [...new Set(fundIds)].sort(compareKeys);
}

async function registerRows(reader: ReadModelReader, period: { from: string; to: string }, fundIds: readonly string[] | null): Promise<CaseRegisterRow[]> {
  if (fundIds === null) return registerRowsForPeriod(reader, period);
  const rows: CaseRegisterRow[] = [];
  for (const fundId of fundIds) rows.push(...(await registerRowsForPeriod(reader, { ...period, fundId })));
  return rows;
}

/**
 * The national evaluation extract of the cases referred in [from, to] (the referral date on the
 * form), from the case register. Every person who objects to the evaluation — on the form or
 * later — is left out of the rows and of the aggregates, and only counted. Rows come in pseudonym
 * order, so that their order says nothing of when cases were received.
 *
 * The people whose data was erased stay in, like in the fund's indicators: the register keeps
 * facts only, and their case id no longer leads to anyone.
 *
 * @throws RangeError when the key is shorter than 32 characters, the period is not two days in
 *   order, or `fundIds` is empty.
 * @throws EvaluationRowError should a row not match {@link EvaluationRow} (nothing is returned then).
 */
export async function evaluationExtract(reader: ReadModelReader, options: EvaluationExtractOptions): Promise<EvaluationExtract> {
  const pseudonymKey = requirePseudonymKey(options.pseudonymKey);
  const period = requirePeriod(options.from, options.to);
  const fundIds = requireFundIds(options.fundIds);
  const inPeriod = await registerRows(reader, period, fundIds);
  const included = inPeriod.filter((row) => !row.objectsToEvaluation);
  const rows = included.map((row) => evaluationRowOf(row, pseudonymKey)).sort((a, b) => compareKeys(a.pseudonym, b.pseudonym));
  return {
    period,
    fundIds,
    rows,
    aggregates: indicatorSetOf(included),
    excludedForObjection: inPeriod.length - included.length,
  };
}
