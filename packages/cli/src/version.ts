/**
 * The version of `@misas/cli`, read from its package.json — one level above both `src/` (run
 * from source) and `dist/` (built).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const PackageJson = z.object({ version: z.string() });

/** The package's version, e.g. `0.1.0`. */
export function cliVersion(): string {
  return PackageJson.parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))).version;
}
