/**
 * Writes the API reference, `docs/api/`, with TypeDoc (and its Markdown plugin, so that GitHub
 * renders it) from the TSDoc of every public entry point of the packages, as `typedoc.json` lists
 * them. One TypeDoc run; it fails, writing nothing, on any warning — an export, member or
 * signature without TSDoc, a broken `{@link}`, a type that is used but not exported — except the
 * one exemption `isExemptWarning` explains.
 *
 * `scripts/docs/api-undocumented.json` lists the exports and members that had no TSDoc when the
 * reference was introduced (TypeDoc's `intentionallyNotDocumented`). It may only shrink: a new
 * export without TSDoc fails, and so does an entry that is documented now (remove it).
 *
 * A schema of `@misas/core` that carries its description in zod (`.meta({ description })`: every
 * command and event) has it as its doc comment, so the text is written once. Hence the run with
 * `--conditions=@misas/source`, to import `@misas/core` from source.
 *
 *   node scripts/generate-api-docs.ts           write docs/api (part of `pnpm docs:generate`)
 *   node scripts/generate-api-docs.ts --check   write nothing; exit 1 listing what drifted (part of `pnpm docs:check`)
 *
 * The output is deterministic: no dates, no source links (`disableSources`), no absolute paths.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@misas/core';
import { Application, Comment, ConsoleLogger, Converter, LogLevel, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';
import { apiDocsFolder, isExemptWarning, readTree, treeDrift, withApiDocsHeader } from './docs/api-reference.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The exports and members still without TSDoc, by TypeDoc's name (`@misas/core.EventStore.append`). */
function undocumentedBaseline(): string[] {
  const names: unknown = JSON.parse(readFileSync(join(root, 'scripts/docs/api-undocumented.json'), 'utf8'));
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) throw new Error('scripts/docs/api-undocumented.json must be an array of names');
  return names;
}

/** The description a value carries when it is a zod schema described with `.meta` or `.describe`. */
function schemaDescriptionOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('description' in value)) return undefined;
  return typeof value.description === 'string' && value.description.trim() !== '' ? value.description : undefined;
}

/** Gives each undocumented variable of `@misas/core` that is a described zod schema its description. */
function documentSchemasFromZod(app: Application): void {
  const descriptions = new Map(Object.entries(core).flatMap(([name, value]) => {
    const description = schemaDescriptionOf(value);
    return description === undefined ? [] : [[name, description] as const];
  }));
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Variable)) {
      const description = descriptions.get(reflection.name);
      if (reflection.hasComment() || description === undefined || reflection.parent?.name !== '@misas/core') continue;
      reflection.comment = new Comment([{ kind: 'text', text: description }]);
    }
  });
}

/** TypeDoc's console logger, less the exempt "not documented" warnings (counted, not printed). */
class ApiDocsLogger extends ConsoleLogger {
  exempt = 0;
  override log(message: string, level: Exclude<LogLevel, LogLevel.None>): void {
    if (level === LogLevel.Warn && isExemptWarning(message)) {
      this.exempt += 1;
      return;
    }
    super.log(message, level);
  }
}

/** Runs TypeDoc into a fresh temporary folder; undefined when it warned or failed. */
async function generate(): Promise<{ folder: string; exempt: number } | undefined> {
  const folder = mkdtempSync(join(tmpdir(), 'misas-api-docs-'));
  const app = await Application.bootstrapWithPlugins(
    { options: join(root, 'typedoc.json'), out: folder, lang: 'en', intentionallyNotDocumented: undocumentedBaseline() },
    [new TypeDocReader(), new TSConfigReader()],
  );
  const logger = new ApiDocsLogger();
  app.logger = logger;
  documentSchemasFromZod(app);
  const project = await app.convert();
  if (project !== undefined) app.validate(project);
  if (project === undefined || logger.hasErrors() || logger.hasWarnings()) {
    rmSync(folder, { recursive: true, force: true });
    return undefined;
  }
  await app.generateOutputs(project);
  const index = join(folder, 'README.md');
  writeFileSync(index, withApiDocsHeader(readFileSync(index, 'utf8')));
  return { folder, exempt: logger.exempt };
}

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: generate-api-docs.ts [--check]`);
    return 2;
  }
  process.chdir(root);
  const generated = await generate();
  if (generated === undefined) {
    console.error(`the API reference was not generated: fix the TypeDoc warnings above (every export and member needs TSDoc)`);
    return 1;
  }
  try {
    const committedFolder = join(root, apiDocsFolder);
    const fresh = readTree(generated.folder);
    const drift = treeDrift(fresh, readTree(committedFolder));
    const drifted = [...drift.changed, ...drift.removed].map((path) => `${apiDocsFolder}/${path}`);
    if (args.includes('--check')) {
      if (drifted.length === 0) {
        console.log(`API reference is up to date (${fresh.size} pages)`);
        return 0;
      }
      console.error(`stale API reference (run \`pnpm docs:generate\`):\n${drifted.map((path) => `  ${path}`).join('\n')}`);
      return 1;
    }
    for (const path of drift.changed) {
      mkdirSync(dirname(join(committedFolder, path)), { recursive: true });
      writeFileSync(join(committedFolder, path), fresh.get(path) ?? '');
      console.log(`wrote ${apiDocsFolder}/${path}`);
    }
    for (const path of drift.removed) {
      rmSync(join(committedFolder, path));
      console.log(`removed ${apiDocsFolder}/${path}`);
    }
    if (drifted.length === 0) console.log('API reference already up to date: nothing written');
    return 0;
  } finally {
    rmSync(generated.folder, { recursive: true, force: true });
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
