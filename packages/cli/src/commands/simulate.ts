/**
 * `misas simulate`: a calibrated year of referrals played through the real handler, store,
 * scheduler and projections, with a progress bar (rate and ETA) on stderr, and the indicators
 * compared with the calibration's targets at the end. The same seed gives the same year.
 *
 * It writes to a store of its own (`misas-simulation.db`), started afresh at each run; a store
 * holding any case it did not create is refused (see simulation/store-guard.ts). With `--funds N`,
 * each fund has a store of its own beside it, played on worker threads (simulation/national.ts).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseSqliteUrl } from '@misas/adapters';
import { Day } from '@misas/core';
import { CliError, ExitCode, type CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import {
  foreignCasesError,
  fundsOf,
  fundStorageUrl,
  inspectStoreForSimulation,
  nationalFundIds,
  simulateNational,
  simulateYear,
  type SimulationProgress,
  type SimulationResult,
} from '../simulation/index.ts';
import { announceStore, redactUrl, simulationStorageUrl, storeOptionHelp, withStorage } from '../storage.ts';

const SimulateOptions = z
  .object({
    cases: z.coerce.number().int().min(1).max(1_000_000),
    from: Day,
    to: Day,
    seed: z.coerce.number().int().min(0),
    funds: z.coerce.number().int().min(1).max(nationalFundIds.length).default(1),
    workers: z.coerce.number().int().min(1).max(256).optional(),
    until: Day.optional(),
    store: z.string().min(1).optional(),
    replace: z.boolean().default(false),
    json: z.boolean().default(false),
    progress: z.boolean().default(true),
  })
  .refine((options) => options.from <= options.to, { error: 'must not be after --to (the period runs forwards)', path: ['from'] })
  .refine((options) => options.until === undefined || options.from <= options.until, { error: 'must not be before --from', path: ['until'] })
  .refine((options) => options.cases >= options.funds, { error: 'must be at least --funds (every fund gets a referral)', path: ['cases'] });

/** The SQLite file a store URL names, `null` for an in-memory store; a PostgreSQL URL is refused. */
function replaceableFile(url: string): string | null {
  if (url === 'memory:' || url === 'sqlite::memory:') return null;
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new CliError(`--replace starts a SQLite file afresh, not ${redactUrl(url)}: on PostgreSQL, simulate into a new empty schema (postgres://…?schema=sim_2) or drop the old one yourself`, ExitCode.badInput);
  }
  try {
    // The file alone, without a `?synchronous=` query.
    return parseSqliteUrl(url).path;
  } catch (error) {
    throw new CliError(`cannot open the store ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.badInput);
  }
}

/**
 * Deletes the SQLite file of an earlier simulation (with its -wal and -shm) so that the run starts
 * on an empty store. Only a file that holds a simulation and nothing else: a store with a case the
 * simulation did not create is refused and left as it is; a file that is not a misas store cannot be opened.
 */
export async function startSimulationStoreAfresh(url: string): Promise<void> {
  const file = replaceableFile(url);
  if (file === null || !existsSync(file)) return;
  const state = await withStorage(url, inspectStoreForSimulation);
  if (state.kind === 'foreign') throw foreignCasesError(state);
  for (const path of [file, `${file}-wal`, `${file}-shm`]) await rm(path, { force: true });
}

/**
 * Starts the stores of a simulation over several funds afresh: the run's store, the fund stores
 * its mark lists (an earlier run, perhaps over other funds), and those of this run. Each is checked
 * as {@link startSimulationStoreAfresh} checks one: a store with a real case stops everything.
 */
export async function startNationalStoresAfresh(url: string, fundIds: readonly string[]): Promise<void> {
  const file = replaceableFile(url);
  const listed = file !== null && existsSync(file) ? await withStorage(url, inspectStoreForSimulation) : null;
  if (listed?.kind === 'foreign') throw foreignCasesError(listed);
  const earlier = listed?.kind === 'simulation' ? (listed.mark.funds ?? []) : [];
  for (const fundId of new Set([...earlier, ...fundIds])) await startSimulationStoreAfresh(fundStorageUrl(url, fundId));
  await startSimulationStoreAfresh(url);
}

const percent = (share: number | null) => (share === null ? '   —' : `${(share * 100).toFixed(1).padStart(5)} %`);

/** The end-of-run summary, in words. */
export function describeSimulation(result: SimulationResult): string[] {
  const { counts, timing } = result;
  return [
    `${counts.referrals} referrals from ${result.period.from} to ${result.period.to} (seed ${result.seed}), clock run to ${result.until}`,
    `${counts.commands} commands and ${counts.scheduler.reminders + counts.scheduler.unreachableClosures + counts.scheduler.erasures} scheduler commands ` +
      `in ${(timing.playMs / 1000).toFixed(1)} s (${timing.commandsPerSecond.toFixed(0)} commands/s), ${(timing.elapsedMs / 1000).toFixed(1)} s in all, peak memory ${timing.peakMemoryMiB} MiB` +
      (counts.rejected > 0 ? `; ${counts.rejected} refused` : ''),
    ...(result.funds ? [`${result.funds.length} funds (${result.funds.map((fund) => fund.fundId).slice(0, 3).join(', ')}${result.funds.length > 3 ? ', …' : ''}), each in a store of its own`] : []),
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
    .option('--funds <n>', `spread the referrals over the first N of the ${nationalFundIds.length} funds of a national year (cpam-22 first), each in a store of its own beside --store`, '1')
    .option('--workers <n>', 'worker threads playing the funds (default: the cores; each fund stays on one thread, so the result is the same)')
    .option('--until <day>', 'run the clock to this day (default: until every case has ended)')
    .option('--store <url>', storeOptionHelp(`default: ${simulationStorageUrl}, a file of its own started afresh at each run; a store with any case the simulation did not create is refused`))
    .option('--replace', 'start the store afresh if it holds an earlier simulation and nothing else (SQLite files; implied for the default store)')
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (options: unknown, command: Command) => {
      const { store: given, replace, json, progress, until, funds, workers, ...run } = readOptions(SimulateOptions, options);
      const store = given ?? simulationStorageUrl;
      announceStore(output, command, store, funds > 1 ? `and a store per fund beside it, for ${funds} funds` : undefined);
      const fundIds = fundsOf(funds);
      if (replace || given === undefined) await (funds > 1 ? startNationalStoresAfresh(store, fundIds) : startSimulationStoreAfresh(store));
      const bar = progress ? progressBar() : undefined;
      const hooks = bar ? { onProgress: (p: SimulationProgress) => bar.update(p) } : {};
      const result = await (funds > 1
        ? simulateNational({ storeUrl: store, funds, ...(workers === undefined ? {} : { workers }), ...run, ...(until ? { until } : {}) }, hooks)
        : withStorage(store, (storage) => simulateYear({ storage, ...run, ...(until ? { until } : {}) }, hooks))
      ).finally(() => bar?.stop());
      output.out(json ? JSON.stringify(result, null, 2) : describeSimulation(result).join('\n'));
    });
}
