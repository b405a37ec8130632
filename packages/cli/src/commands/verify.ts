/**
 * `misas verify [--store URL] [--json]`: reads the whole log and checks every event against its
 * full schema — what reads skip for a store that validated its events on write (they check the
 * envelope only; see docs/security.md). Run it after restoring a backup, or when the database may
 * have been written by something other than misas. Each bad event is named as it is found; the
 * run exits 3 (the store is damaged) when there is any.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { verifyEvents, type BadEvent, type MisasStorage, type VerifyProgress, type VerifyReport } from '@misas/core';
import { CliError, ExitCode, type CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { announceStore, teamStoreOption, withStorage } from '../storage.ts';

const VerifyOptions = z.object({
  store: z.string().min(1),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
});

/** One bad event, on one line. */
export function describeBadEvent(bad: BadEvent): string {
  return `position ${bad.position}: case ${bad.caseId}, version ${bad.version}, ${bad.type}: ${bad.issue}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A progress line on stderr at most every `everyMs` (never for a run shorter than that): how far
 * in the log, and how many bad events so far.
 */
export function progressPrinter(output: CliOutput, everyMs = 2000, now: () => number = () => performance.now()): (progress: VerifyProgress) => void {
  let last = now();
  return (progress) => {
    const at = now();
    if (at - last < everyMs) return;
    last = at;
    const share = progress.head > 0 ? ` (${Math.min(100, (100 * progress.position) / progress.head).toFixed(1)} %)` : '';
    output.err(`verify: ${count(progress.verified)} events checked, up to position ${count(progress.position)} of ${count(progress.head)}${share}, ${count(progress.bad)} bad`);
  };
}

/**
 * Verifies the store's log; names each bad event through `onBadEvent` as it is found.
 * @param options.batchSize events read per page (default 2,000)
 */
export function verifyStore(
  storage: MisasStorage,
  hooks: { readonly onBadEvent?: (bad: BadEvent) => void; readonly onProgress?: (progress: VerifyProgress) => void; readonly batchSize?: number } = {},
): Promise<VerifyReport> {
  return verifyEvents(storage.events, hooks);
}

/** The failure of a run that found bad events: exit 3, the store is damaged. */
function damaged(report: VerifyReport): CliError {
  return new CliError(
    `${count(report.bad.length)} of ${count(report.verified)} events do not match their schema (named above): the store was changed by something other than misas, or restored from a damaged copy. ` +
      'Restore a backup that verifies, or have the events named corrected; until then open it in verify mode (?verify=full), so that every read checks them',
    ExitCode.storeUnavailable,
  );
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('verify')
    .description('check every event of the store against its full schema and name each one that does not match (after restoring a backup, or if the database may have been tampered with); exit 3 when any does not')
    .addOption(teamStoreOption())
    .option('--json', 'print the result as JSON: { verified, clean, bad: [{ position, caseId, version, type, issue }] }')
    .option('--no-progress', 'no progress lines on stderr (printed every 2 s on a long run)')
    .action(async (options: unknown, command: Command) => {
      const { store, json, progress } = readOptions(VerifyOptions, options);
      announceStore(output, command, store);
      const report = await withStorage(store, (storage) =>
        verifyStore(storage, {
          ...(json ? {} : { onBadEvent: (bad: BadEvent) => output.out(describeBadEvent(bad)) }),
          ...(progress ? { onProgress: progressPrinter(output) } : {}),
        }),
      );
      const clean = report.bad.length === 0;
      if (json) output.out(JSON.stringify({ verified: report.verified, clean, bad: report.bad }, null, 2));
      else if (clean) output.out(`${count(report.verified)} events verified: each matches its schema`);
      if (!clean) throw damaged(report);
    });
}
