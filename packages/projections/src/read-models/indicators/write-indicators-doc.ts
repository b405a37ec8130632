/**
 * Rewrites the generated section of `docs/indicators.md` from the definitions in code:
 *
 *   pnpm exec node --conditions=@misas/source packages/projections/src/read-models/indicators/write-indicators-doc.ts [--check]
 *
 * With `--check`, writes nothing and exits 1 when the page is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withGeneratedSection } from './indicators-doc.ts';

/** Where the page is, whatever directory the script runs from. */
export const indicatorsDocPath = fileURLToPath(new URL('../../../../../docs/indicators.md', import.meta.url));

function main(args: readonly string[]): number {
  const current = readFileSync(indicatorsDocPath, 'utf8');
  const expected = withGeneratedSection(current);
  if (current === expected) {
    console.log('docs/indicators.md is up to date');
    return 0;
  }
  if (args.includes('--check')) {
    console.error('docs/indicators.md is stale: run write-indicators-doc.ts');
    return 1;
  }
  writeFileSync(indicatorsDocPath, expected);
  console.log('wrote docs/indicators.md');
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
