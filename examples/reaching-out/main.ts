/**
 * A reaching-out batch (aller-vers): a database query gave the fund a population file of people at
 * risk of fragility, with their answers to the four opening questions and the signals found. Each
 * row goes through the fragility grid (`screen` from @misas/core); for each person it flags, the
 * fund's reaching-out team files a referral (channel `reaching-out`, consent to be confirmed by
 * phone). Money trouble with nobody to rely on is a complex social situation: that referral goes
 * straight to the social service. The names are fictitious.
 *
 * Run it with `pnpm example reaching-out`.
 */
import { screen, type ScreeningResult } from '@misas/core';
import { formatIndicators } from '../shared/indicators.ts';
import { reachingOutForm, readPopulation, type PopulationRow } from '../shared/population.ts';
import { createWorld } from '../shared/world.ts';

export const populationFile = new URL('./population.csv', import.meta.url);

export interface Screened {
  readonly row: PopulationRow;
  readonly result: ScreeningResult;
  readonly caseId: string | null;
  readonly status: string | null;
}

export async function runReachingOut() {
  const world = createWorld({ start: '2026-04-01T08:00:00.000Z', seed: 2026 });
  const fundId = 'cpam-22';
  const team = world.misas.as({ role: 'supervisor', id: 'aller-vers-22', fundId });
  const screened: Screened[] = [];
  for (const row of readPopulation(populationFile)) {
    const result = screen({ answers: row.answers, signals: row.signals });
    if (!result.suggestReferral) {
      screened.push({ row, result, caseId: null, status: null });
      continue;
    }
    const caseId = `case-ao-${row.id}`;
    world.clock.advance({ minutes: 5 });
    const filed = await world.send(team, caseId, world.clock.now().toISOString(), {
      type: 'ReceiveReferral',
      data: { fundId, channel: 'reaching-out', form: reachingOutForm(row, result, '2026-04-01') },
    });
    screened.push({ row, result, caseId, status: filed.status });
  }
  return { world, screened };
}

const why = (result: ScreeningResult) =>
  result.triggers.map((t) => `${t.signal}${t.combinedWith ? ` + ${t.combinedWith.join(' + ')}` : ''} → ${t.reason}`).join('; ');

/** `pnpm example reaching-out`: screens the file, files the referrals and prints who was flagged and why. */
export async function main(): Promise<void> {
  const { world, screened } = await runReachingOut();
  const flagged = screened.filter((s) => s.caseId !== null);
  console.log(`Population file: ${screened.length} people; the grid flags ${flagged.length}.\n`);
  for (const { row, result, caseId, status } of screened) {
    const name = `${row.person.firstName} ${row.person.lastName}`.padEnd(20);
    if (caseId === null) {
      console.log(`  ${row.id} ${name} not flagged${result.cues.length > 0 ? ` (cues to ask about: ${result.cues.join(', ')})` : ''}`);
    } else {
      console.log(`  ${row.id} ${name} FLAGGED → ${caseId} (${status}): ${why(result)}`);
    }
  }
  const redirected = flagged.filter((s) => s.status === 'redirected');
  console.log(`\nReferrals filed: ${flagged.length} (${flagged.length - redirected.length} to triage, ${redirected.length} redirected to the social service)`);
  console.log(`\n${await formatIndicators(world.storage.events, { from: '2026-01-01', to: '2026-12-31' })}`);
}
