/**
 * Runs the `misas` program in-process and captures what it prints, for tests.
 */
import { fileURLToPath } from 'node:url';
import { runCli } from '../program.ts';

/** What one run printed and returned. */
export interface CapturedRun {
  readonly code: number;
  readonly out: string;
  /** stderr without the `misas: store …` lines, which are in `store`. */
  readonly err: string;
  /** The lines saying which store the command opened (`misas: store URL (KIND)`). */
  readonly store: readonly string[];
}

/** The prefix of the line a command prints before opening its store (storage.ts, storeLine). */
export const storeLinePrefix = 'misas: store ';

/**
 * Takes the `misas: store …` lines out of stderr, so that a test of a failure still sees its one
 * line; the store lines have tests of their own (store-line.attack.int.test.ts).
 */
export function splitStoreLines(stderr: string): { readonly err: string; readonly store: string[] } {
  const lines = stderr === '' ? [] : stderr.split('\n');
  return { err: lines.filter((line) => !line.startsWith(storeLinePrefix)).join('\n'), store: lines.filter((line) => line.startsWith(storeLinePrefix)) };
}

/** Runs `misas ARGS…` and captures stdout, stderr and the exit code. */
export async function captureCli(args: readonly string[]): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), ...splitStoreLines(err.join('\n')) };
}

/** A path from the repository root. */
export function repositoryPath(path: string): string {
  return fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
}

/** The example scenario the docs quote. */
export const exampleScenario = repositoryPath('examples/scenarios/remote-consent.yaml');
