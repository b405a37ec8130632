/**
 * The version of `@misas/cli`, read from its package.json — one level above both `src/` (run
 * from source) and `dist/` (built). Imports nothing but `node:fs`: `misas --version` answers from
 * here without loading the program (see main.ts).
 */
import { readFileSync } from 'node:fs';

/** The package's version, e.g. `0.1.0`. */
export function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string') return manifest.version;
  throw new Error('the package.json of @misas/cli names no version');
}

/**
 * Whether the arguments ask for the version alone (`misas --version`, `misas -V`): answered
 * before the commands, the stores and their schemas are loaded, which takes most of a start.
 */
export function asksForVersionOnly(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}
