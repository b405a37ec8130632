/**
 * `misas run FILE... [--store URL] [--json]`: plays scenario files and prints their timeline.
 * Exit 0 when every expectation holds, 1 when one does not, 2 for a bad file or option.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, ExitCode, type CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { formatTimeline } from '../scenario/format-timeline.ts';
import { loadScenarioFile, ScenarioFileError } from '../scenario/parse.ts';
import { playScenario } from '../scenario/play.ts';
import type { ScenarioResult } from '../scenario/result.ts';
import type { Scenario } from '../scenario/schema.ts';
import { announceStore, storeOptionHelp, withStorage } from '../storage.ts';

/** `run` plays on a throwaway store unless told otherwise: a scenario is a check, not data entry. */
export const runDefaultStore = 'memory:';

const RunFiles = z.array(z.string().min(1)).min(1, 'name at least one scenario file');
const RunOptions = z.object({ store: z.string().min(1), json: z.boolean().default(false) });

/** One file, played. */
export interface PlayedFile {
  readonly file: string;
  readonly result: ScenarioResult;
}

/** What `--json` prints. */
export interface RunReport {
  readonly ok: boolean;
  readonly scenarios: readonly (ScenarioResult & { readonly file: string })[];
}

/** Reads every file before playing any, so that one bad file stops the run before it writes. */
async function loadAll(files: readonly string[]): Promise<{ file: string; scenario: Scenario }[]> {
  const loaded: { file: string; scenario: Scenario }[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      loaded.push({ file, scenario: await loadScenarioFile(file) });
    } catch (error) {
      if (!(error instanceof ScenarioFileError)) throw error;
      errors.push(error.message);
    }
  }
  if (errors.length > 0) throw new CliError(errors.join('\n'), ExitCode.badInput);
  return loaded;
}

/**
 * Plays the files, each on its own opening of the store: on `memory:` every file starts empty,
 * so that files reusing a case id do not collide; on a durable store they share its data.
 */
export async function runScenarioFiles(files: readonly string[], store: string): Promise<PlayedFile[]> {
  const played: PlayedFile[] = [];
  for (const { file, scenario } of await loadAll(files)) {
    played.push({ file, result: await withStorage(store, (storage) => playScenario(scenario, { storage })) });
  }
  return played;
}

/** The machine-readable result of a run. */
export function runReport(played: readonly PlayedFile[]): RunReport {
  return { ok: played.every(({ result }) => result.ok), scenarios: played.map(({ file, result }) => ({ file, ...result })) };
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('run')
    .description('play scenario files (JSON or YAML) and print their timeline')
    .argument('<files...>', 'scenario files: .json, .yaml or .yml (format: docs/scenarios.md)')
    .option('--store <url>', storeOptionHelp("by default a fresh in-memory store per file, nothing kept"), runDefaultStore)
    .option('--json', 'print a machine-readable result (steps, events, errors, final states, indicators) instead of the timeline')
    .addHelpText('after', '\nExit code: 0 when every expectation holds, 1 when one does not (each named on stderr), 2 for a bad file or option.')
    .action(async (files: unknown, options: unknown, command: Command) => {
      const { store, json } = readOptions(RunOptions, options);
      const names = readOptions(RunFiles, files);
      announceStore(output, command, store, store === runDefaultStore && names.length > 1 ? 'a fresh one per file' : undefined);
      const played = await runScenarioFiles(names, store);
      if (json) output.out(JSON.stringify(runReport(played), null, 2));
      else output.out(played.map(({ file, result }) => formatTimeline(result, file)).join('\n\n'));
      const failures = played.flatMap(({ file, result }) => result.steps.flatMap((step) => step.failures.map((failure) => `${file}: ${failure}`)));
      if (failures.length > 0) throw new CliError(`expectations not met:\n${failures.map((line) => `  ${line}`).join('\n')}`, ExitCode.failed);
    });
}
