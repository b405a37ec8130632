/**
 * `misas purge --now DATE`: the retention, and every other deadline due by then. Runs the
 * scheduler once with its clock at DATE: people whose retention ended are erased, reminders are
 * issued, cases of people never reached are closed. Each deadline's command has a stable id, so
 * running it twice does nothing more.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { CaseCommandHandler, Day, Instant, systemClock, VirtualClock, type MisasStorage } from '@misas/core';
import { Scheduler, type TickResult } from '@misas/projections';
import { CliError, ExitCode, type CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { announceStore, teamStoreOption, withStorage } from '../storage.ts';

/** A day runs from its first instant (deadlines fall due at the start of their day, UTC). */
const PurgeInstant = z
  .string()
  .refine((value) => Day.safeParse(value).success || Instant.safeParse(value).success, { error: 'must be a day (2027-09-01) or a UTC instant (2027-09-01T06:00:00Z)' })
  .transform((value) => (Day.safeParse(value).success ? `${value}T00:00:00.000Z` : value));

const PurgeOptions = z.object({ store: z.string().min(1), now: PurgeInstant, allowFuture: z.boolean().default(false) });

/** How far ahead of the real clock `--now` may be without `--allow-future`: a day covers time zones and a run just before midnight. */
const futureSlackMs = 24 * 3_600_000;

/**
 * Refuses a purge dated more than a day after the real clock: it would erase people whose
 * retention has not ended, for good. A rehearsal on a copy says so with `--allow-future`.
 * @throws CliError (refused, exit 1) naming both dates and the flag
 */
export function assertNotInTheFuture(now: string, realNow: Date, allowFuture: boolean): void {
  if (allowFuture || Date.parse(now) - realNow.getTime() <= futureSlackMs) return;
  throw new CliError(
    `--now ${now} is after the real date (${realNow.toISOString()}): a purge then erases people whose retention has not ended yet, for good. ` +
      'Nothing was done; on a copy or a test store, add --allow-future to run it anyway',
    ExitCode.failed,
  );
}

/** What a purge did, counted by kind. */
export interface PurgeSummary {
  readonly now: string;
  readonly erasures: number;
  readonly closures: number;
  readonly reminders: number;
  /** Deadlines the case had moved past (nothing sent). */
  readonly dropped: number;
  /**
   * Erasures done — keys deleted, reads answer `erased` — whose key bytes a reader's older
   * snapshot still keeps in the store's files (see `PersonalDataVault.completePendingErasures`).
   */
  readonly pendingOnDisk: number;
}

/** How long a purge waits, by default, for readers' older snapshots to end so that its erasures leave the disk. */
export const defaultErasureCompletionMs = 10_000;

/** Counts a scheduler tick's work. */
export function summarise(now: string, tick: TickResult): PurgeSummary {
  const applied = tick.fired.filter((fired) => fired.outcome === 'applied').map((fired) => fired.deadline.kind);
  const erasures = applied.filter((kind) => kind === 'retention-expiry').length;
  const closures = applied.filter((kind) => kind === 'unreachable-closure').length;
  return { now, erasures, closures, reminders: applied.length - erasures - closures, dropped: tick.dropped.length, pendingOnDisk: 0 };
}

/**
 * Runs the scheduler once at `now` on the storage, then gives its erasures up to
 * `completionTimeoutMs` to leave the disk: an operator is told if a reader keeps them there.
 */
export async function purge(storage: MisasStorage, now: string, options: { readonly completionTimeoutMs?: number } = {}): Promise<PurgeSummary> {
  const clock = new VirtualClock(now);
  // With the storage's snapshots, so that each erasure deletes the erased case's snapshots too.
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, snapshots: storage.snapshots, clock });
  const summary = summarise(now, await new Scheduler({ storage, handler, clock }).tick());
  const completion = await storage.vault.completePendingErasures?.({ timeoutMs: options.completionTimeoutMs ?? defaultErasureCompletionMs });
  return { ...summary, pendingOnDisk: completion?.pending.length ?? 0 };
}

/** The summary in one line. */
export function describePurge(summary: PurgeSummary): string {
  return (
    `at ${summary.now}: ${summary.erasures} erasure(s), ${summary.reminders} reminder(s), ${summary.closures} unreachable closure(s)` +
    (summary.dropped > 0 ? `; ${summary.dropped} deadline(s) no longer applied` : '') +
    (summary.pendingOnDisk > 0
      ? `; ${summary.pendingOnDisk} erasure(s) not yet complete on disk: another connection holds an older snapshot, ` +
        "so the deleted keys' bytes stay in the store's files until its next erasure or checkpoint (see docs/security.md)"
      : '')
  );
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('purge')
    .description('erase the people whose retention has ended by DATE, and send every other deadline due by then (reminders, unreachable closures)')
    .requiredOption('--now <date>', 'the date to run at: a day (2027-09-01) or a UTC instant')
    .addOption(teamStoreOption())
    .option('--allow-future', 'allow a --now more than a day after the real date (a rehearsal on a copy: people are erased for good)')
    .action(async (options: unknown, command: Command) => {
      const { store, now, allowFuture } = readOptions(PurgeOptions, options);
      assertNotInTheFuture(now, systemClock.now(), allowFuture);
      announceStore(output, command, store);
      const summary = await withStorage(store, (storage) => purge(storage, now));
      output.out(describePurge(summary));
    });
}
