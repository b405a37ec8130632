/**
 * Writes the docs generated from code: `docs/lifecycle.md` from the XState machine,
 * `docs/events.md` from the event catalogue and the commands,
 * `docs/referral-form.schema.json`, the JSON Schema a front end builds the referral form from,
 * `docs/scenario.schema.json`, the JSON Schema of the scenario files `misas run` plays (also shipped
 * in `@misas/cli` with the example scenarios, see `docs/cli-package-files.ts`), and
 * the access-policy tables of `docs/privacy.md` and the results of `docs/benchmarks.md` (from
 * `bench/results.json`), each a section between markers of a page otherwise written by hand.
 *
 *   pnpm docs:generate   write them, and say which files changed
 *   pnpm docs:check      write nothing; exit 1 listing the files that are not what the code says
 *
 * Both then run `generate-api-docs.ts`, which writes (or checks) the API reference in `docs/api/`.
 *
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withAccessPolicySection } from './docs/access-policy.ts';
import { withBenchmarkResultsSection } from './docs/benchmark-results.ts';
import { cliPackageFiles } from './docs/cli-package-files.ts';
import { eventCatalogueMarkdown } from './docs/event-catalogue.ts';
import { lifecycleMarkdown } from './docs/lifecycle-diagram.ts';
import { scenarioJsonSchema } from '@misas/cli';
import { referralFormJsonSchema } from '@misas/core';

/** The repository root, whatever directory the script is run from. */
export const repositoryRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** One generated file: its repository-relative path and what it must contain. */
export interface GeneratedDoc {
  readonly path: string;
  readonly content: string;
  /** `file`: the whole file is generated; `section`: only the part between markers, the rest is written by hand. */
  readonly generates: 'file' | 'section';
}

/**
 * Every generated doc, as the code says it should be now. A page with a generated section is
 * read from disk and its section replaced, so it must exist (with its markers).
 */
export function generatedDocs(): GeneratedDoc[] {
  const privacy = onDisk('docs/privacy.md');
  if (privacy === undefined) throw new Error('docs/privacy.md is missing: its access-policy section is generated between markers of a hand-written page');
  const benchmarks = onDisk('docs/benchmarks.md');
  if (benchmarks === undefined) throw new Error('docs/benchmarks.md is missing: its results section is generated between markers of a hand-written page');
  const results = onDisk('bench/results.json');
  if (results === undefined) throw new Error('bench/results.json is missing: run `pnpm bench --json` to measure');
  const scenarioSchema = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
  return [
    { path: 'docs/lifecycle.md', content: lifecycleMarkdown(), generates: 'file' },
    { path: 'docs/events.md', content: eventCatalogueMarkdown(), generates: 'file' },
    { path: 'docs/referral-form.schema.json', content: `${JSON.stringify(referralFormJsonSchema(), null, 2)}\n`, generates: 'file' },
    { path: 'docs/scenario.schema.json', content: scenarioSchema, generates: 'file' },
    { path: 'docs/privacy.md', content: withAccessPolicySection(privacy), generates: 'section' },
    { path: 'docs/benchmarks.md', content: withBenchmarkResultsSection(benchmarks, results), generates: 'section' },
    ...cliPackageFiles(repositoryRoot, scenarioSchema).map((file) => ({ ...file, generates: 'file' as const })),
  ];
}

function onDisk(path: string): string | undefined {
  try {
    return readFileSync(join(repositoryRoot, path), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The generated docs whose file is missing or differs from what the code says. */
export function staleDocs(docs: readonly GeneratedDoc[] = generatedDocs()): GeneratedDoc[] {
  return docs.filter((doc) => onDisk(doc.path) !== doc.content);
}

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: generate-docs.ts [--check]`);
    return 2;
  }
  const stale = staleDocs();
  if (args.includes('--check')) {
    if (stale.length === 0) {
      console.log('generated docs are up to date');
      return 0;
    }
    console.error(`stale generated docs (run \`pnpm docs:generate\`):\n${stale.map((doc) => `  ${doc.path}`).join('\n')}`);
    return 1;
  }
  for (const doc of stale) {
    const path = join(repositoryRoot, doc.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, doc.content);
    console.log(`wrote ${doc.path}`);
  }
  if (stale.length === 0) console.log('generated docs already up to date: nothing written');
  return 0;
}

// Run only as a script, so that tests can import the generators without writing anything.
if (import.meta.main) process.exitCode = main(process.argv.slice(2));
