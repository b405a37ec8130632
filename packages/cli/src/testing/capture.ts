/**
 * Runs the `misas` program in-process and captures what it prints, for tests.
 */
import { fileURLToPath } from 'node:url';
import { runCli } from '../program.ts';

/** What one run printed and returned. */
export interface CapturedRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `misas ARGS…` and captures stdout, stderr and the exit code. */
export async function captureCli(args: readonly string[]): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A path from the repository root. */
export function repositoryPath(path: string): string {
  return fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
}

/** The example scenario the docs quote. */
export const exampleScenario = repositoryPath('examples/scenarios/remote-consent.yaml');
