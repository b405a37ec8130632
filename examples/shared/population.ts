/**
 * Reading a reaching-out population file (CSV) and turning one flagged person into a referral
 * form. The file has one row per person: identity, the four opening questions (yes/no, and the
 * last visit to a health professional), and the fragility signals the query found, `;`-separated.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  FragilitySignal,
  OpeningAnswers,
  type CareRenunciation,
  type FragilitySignal as Signal,
  type ReferralFormInput,
  type ScreeningResult,
} from '@misas/core';

export interface PopulationRow {
  readonly id: string;
  readonly person: { readonly firstName: string; readonly lastName: string; readonly birthDate: string; readonly phone: string };
  readonly answers: OpeningAnswers;
  readonly signals: Signal[];
}

const yes = (value: string) => value.trim().toLowerCase() === 'yes';

/** Parses the file; a row with an unknown answer or signal throws, naming the row. */
export function readPopulation(path: string | URL): PopulationRow[] {
  const records = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return records.map((record, index) => {
    const field = (name: string) => record[name] ?? '';
    try {
      return {
        id: field('id'),
        person: { firstName: field('firstName'), lastName: field('lastName'), birthDate: field('birthDate'), phone: field('phone') },
        answers: OpeningAnswers.parse({
          hasCarteVitale: yes(field('hasCarteVitale')),
          hasDeclaredGp: yes(field('hasDeclaredGp')),
          hasComplementaryCover: yes(field('hasComplementaryCover')),
          lastHealthVisit: field('lastHealthVisit'),
        }),
        signals: FragilitySignal.array().parse(field('signals').split(';').filter(Boolean)),
      };
    } catch (error) {
      throw new Error(`population row ${index + 2}: ${(error as Error).message}`);
    }
  });
}

/**
 * The back of the form, as far as the query knows it: the counsellor confirms it at contact.
 * Care given up is a consultation (plus devices when non-verbal signs were seen); the causes come
 * from the signals, and "other" when none says why.
 */
function careRenunciationOf(row: PopulationRow): CareRenunciation {
  const has = (signal: Signal) => row.signals.includes(signal) || (signal === 'no-gp' && !row.answers.hasDeclaredGp) || (signal === 'no-complementary-cover' && !row.answers.hasComplementaryCover);
  const causes: CareRenunciation['causes'] = [];
  if (has('no-gp') || has('no-complementary-cover')) causes.push('rights');
  if (has('money-trouble')) causes.push('out-of-pocket-cost');
  if (has('mobility-problems') || has('possible-disability')) causes.push('transport');
  if (has('complex-procedures-or-unknown-rights')) causes.push('complex-procedures');
  const visit = row.answers.lastHealthVisit;
  return {
    careTypes: has('non-verbal-signs') ? ['consultation', 'medical-devices'] : ['consultation'],
    since: visit === 'over-2-years' || visit === 'never' ? 'over-2-years' : visit === '1-to-2-years' ? 'over-1-year' : '3-to-12-months',
    causes: causes.length > 0 ? causes : ['other'],
    ...(causes.length > 0 ? {} : { otherDetails: 'Flagged by the reaching-out query; to be confirmed at contact.' }),
  };
}

/** The internal form of a reaching-out referral: detected by a query, consent to be confirmed by phone. */
export function reachingOutForm(row: PopulationRow, result: ScreeningResult, referralDate: string): ReferralFormInput {
  const careGivenUp = result.suggestedReasons.some((reason) => reason === 'care-renunciation' || reason === 'care-renunciation-disability');
  return {
    variant: 'internal',
    referralDate,
    detectionMode: 'phone',
    reasons: result.suggestedReasons,
    person: row.person,
    detector: { kind: 'reaching-out-query', name: 'Requête aller-vers 2026-T2', service: 'Cellule aller-vers, CPAM 22' },
    ...(careGivenUp ? { careRenunciation: careRenunciationOf(row) } : {}),
    consent: { kind: 'remote-pending-confirmation' },
  };
}
