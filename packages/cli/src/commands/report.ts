/**
 * `misas report [--store URL] [--out FILE] [--from DAY --to DAY] [--fund ID]`: a self-contained
 * HTML page of the register's figures (funnel, outcomes, durations, causes, workload, the
 * lifecycle diagram), written to a file that opens offline. Register rows only: no personal data.
 * A simulation over several funds (`misas simulate --funds N`) is reported over all its funds, or
 * one with `--fund`. The page comes from `@misas/report`, an optional package loaded only here.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { Day, Id } from '@misas/core';
import { CliError, ExitCode, type CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { checkOutputPath, writeOutputFile } from '../output-path.ts';
import { loadReport } from '../report-loader.ts';
import { announceStore, simulationStorageUrl, storeOptionHelp } from '../storage.ts';
import { readStoreRows } from './report-rows.ts';

const ReportOptions = z
  .object({
    store: z.string().min(1),
    out: z.string().min(1),
    from: Day.optional(),
    to: Day.optional(),
    fund: Id.optional(),
  })
  .refine((options) => options.from === undefined || options.to === undefined || options.from <= options.to, { error: '--from must not be after --to', path: ['from'] });

/** What to report on, and where to write it. */
export type ReportRequest = Omit<z.infer<typeof ReportOptions>, 'store'>;

/** Where the report went, and how big it is. */
export interface WrittenReport {
  readonly path: string;
  readonly bytes: number;
  readonly cases: number;
  readonly period: { readonly from: string; readonly to: string };
}

/**
 * Reads the register, builds the page and writes it. `@misas/report` is loaded first: when it is
 * missing, nothing is read nor written.
 */
export async function writeReport(url: string, options: ReportRequest, hooks: { readonly onOpening?: () => void } = {}): Promise<WrittenReport> {
  const report = await loadReport();
  const path = await checkOutputPath(options.out);
  // Said once the page can be written: without @misas/report, the one line says what to install.
  hooks.onOpening?.();
  // A simulation over several funds is read from each fund's store (see report-rows.ts).
  const { rows, period } = await readStoreRows(report, url, {
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
    ...(options.fund === undefined ? {} : { fundId: options.fund }),
  });
  if (period === null) throw new CliError(`no case in the register${options.fund === undefined ? '' : ` of fund ${options.fund}`}: nothing to report`, ExitCode.failed);
  const html = await report.buildReport(rows, { ...period, fundId: options.fund ?? null, mermaidBundle: await report.readMermaidBundle() });
  await writeOutputFile(path, html);
  return { path, bytes: (await stat(path)).size, cases: rows.length, period };
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('report')
    .description('write a self-contained HTML page of charts over the case register (aggregates only, opens offline)')
    .option('--store <url>', storeOptionHelp("by default the file misas simulate writes; name your team's store to report on it"), simulationStorageUrl)
    .option('--out <file>', 'where to write the page', 'report.html')
    .option('--from <day>', 'first referral day (default: the first in the register)')
    .option('--to <day>', 'last referral day (default: the last in the register)')
    .option('--fund <id>', 'only this fund (default: every fund)')
    .action(async (options: unknown, command: Command) => {
      const { store, ...rest } = readOptions(ReportOptions, options);
      const written = await writeReport(store, rest, { onOpening: () => announceStore(output, command, store) });
      output.out(`wrote ${written.path} (${(written.bytes / 1024).toFixed(0)} KiB, ${written.bytes} bytes): ${written.cases} cases referred from ${written.period.from} to ${written.period.to}`);
    });
}
