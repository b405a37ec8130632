/**
 * `misas simulate`: a calibrated year of referrals played through the real handler, store,
 * scheduler and projections, with a progress bar (rate and ETA) on stderr, and the indicators
 * compared with the calibration's targets at the end. The same seed gives the same year.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { Day } from '@misas/core';
import type { CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { simulateYear, type SimulationProgress, type SimulationResult } from '../simulation/index.ts';
import { defaultStorageUrl, storeOptionHelp, withStorage } from '../storage.ts';

const SimulateOptions = z.object({
  cases: z.coerce.number().int().min(1).max(1_000_000),
  from: Day,
  to: Day,
  seed: z.coerce.number().int().min(0),
  until: Day.optional(),
  store: z.string().min(1),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
});

const percent = (share: number | null) => (share === null ? '   —' : `${(share * 100).toFixed(1).padStart(5)} %`);

/** The end-of-run summary, in words. */
export function describeSimulation(result: SimulationResult): string[] {
  const { counts, timing } = result;
  return [
    `${counts.referrals} referrals from ${result.period.from} to ${result.period.to} (seed ${result.seed}), clock run to ${result.until}`,
    `${counts.commands} commands and ${counts.scheduler.reminders + counts.scheduler.unreachableClosures + counts.scheduler.erasures} scheduler commands ` +
      `in ${(timing.playMs / 1000).toFixed(1)} s (${timing.commandsPerSecond.toFixed(0)} commands/s), ${(timing.elapsedMs / 1000).toFixed(1)} s in all, peak memory ${timing.peakMemoryMiB} MiB` +
      (counts.rejected > 0 ? `; ${counts.rejected} refused` : ''),
    '',
    `${'indicator'.padEnd(60)}  target   simulated`,
    ...result.comparison.map(
      (row) => `${row.label.padEnd(60)}  ${percent(row.target)}   ${percent(row.actual)}  (${row.numerator}/${row.denominator}, ${row.source})`,
    ),
  ];
}

/** A progress bar per phase on stderr; nothing when stderr is not a terminal (CI logs stay readable). */
function progressBar(): { update(progress: SimulationProgress): void; stop(): void } {
  let bar: SingleBar | undefined;
  let phase: SimulationProgress['phase'] | undefined;
  return {
    update(progress) {
      if (!process.stderr.isTTY) return;
      if (progress.phase !== phase) {
        bar?.stop();
        phase = progress.phase;
        bar = new SingleBar({ format: `${phase.padEnd(7)} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`, stream: process.stderr });
        bar.start(progress.total, 0, { rate: '…' });
      }
      bar?.update(progress.done, { rate: progress.rate === undefined ? '…' : progress.rate.toFixed(0) });
    },
    stop: () => bar?.stop(),
  };
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('simulate')
    .description('play a calibrated year of referrals through the real handler, store, scheduler and projections; prints the indicators against the published figures')
    .requiredOption('--cases <n>', 'how many referrals')
    .requiredOption('--from <day>', 'first referral day (YYYY-MM-DD)')
    .requiredOption('--to <day>', 'last referral day (YYYY-MM-DD)')
    .option('--seed <n>', 'the seed: the same seed gives the same year', '1')
    .option('--until <day>', 'run the clock to this day (default: until every case has ended)')
    .option('--store <url>', storeOptionHelp(), defaultStorageUrl)
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (options: unknown) => {
      const { store, json, progress, until, ...run } = readOptions(SimulateOptions, options);
      const bar = progress ? progressBar() : undefined;
      const result = await withStorage(store, async (storage) => {
        try {
          return await simulateYear({ storage, ...run, ...(until ? { until } : {}) }, bar ? { onProgress: (p) => bar.update(p) } : {});
        } finally {
          bar?.stop();
        }
      });
      output.out(json ? JSON.stringify(result, null, 2) : describeSimulation(result).join('\n'));
    });
}
