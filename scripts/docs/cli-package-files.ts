/**
 * The files `@misas/cli` ships for scenario writers, so that they work from `node_modules`: the
 * scenario JSON Schema (`schema/scenario.schema.json`, exported as `@misas/cli/scenario.schema.json`)
 * and the example scenarios (`examples/`, exported as `@misas/cli/examples/*`), copied from
 * `examples/scenarios/` with their `$schema` pointing at the shipped schema, plus one of them as
 * JSON (a JSON file has no comment: it says `"$schema"` as a key). Written and checked by
 * `pnpm docs:generate` / `pnpm docs:check` like the other generated docs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Where the example scenarios are written, relative to the repository root. */
export const exampleScenariosFolder = 'examples/scenarios';
/** Where the CLI package ships its schema and examples. */
export const shippedSchemaPath = 'packages/cli/schema/scenario.schema.json';
/** The folder of the shipped examples. */
export const shippedExamplesFolder = 'packages/cli/examples';
/** The example also shipped as JSON: the docs' complete example. */
export const jsonExample = 'remote-consent';

/** The `$schema` of a shipped example: the shipped schema, relative to the example. */
export const shippedSchemaReference = '../schema/scenario.schema.json';
/** The `$schema` of an example in the repository: the schema in `docs/`. */
const repositorySchemaReference = '../../docs/scenario.schema.json';

/** One file to write: repository-relative path and content. */
export interface ShippedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * A repository example as the package ships it: its `$schema` line points at the shipped schema, a
 * second line says where it is copied from, and "Play it" names the installed bin and path.
 */
export function shippedYaml(name: string, text: string): string {
  const lines = text.split('\n');
  const schemaLine = `# yaml-language-server: $schema=${repositorySchemaReference}`;
  if (lines[0] !== schemaLine) throw new Error(`${exampleScenariosFolder}/${name}: its first line must be \`${schemaLine}\``);
  const rest = lines
    .slice(1)
    .join('\n')
    .replaceAll(`pnpm misas run ${exampleScenariosFolder}/`, 'npx misas run node_modules/@misas/cli/examples/');
  return [
    `# yaml-language-server: $schema=${shippedSchemaReference}`,
    `# Copied by \`pnpm docs:generate\` from ${exampleScenariosFolder}/${name} of the misas repository: edit that one.`,
    rest,
  ].join('\n');
}

/** A repository example as JSON, its `$schema` first. Comments are lost: the YAML copy keeps them. */
export function shippedJson(text: string): string {
  const document: unknown = parseYaml(text);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error(`${jsonExample}.yaml is not a mapping`);
  return `${JSON.stringify({ $schema: shippedSchemaReference, ...document }, null, 2)}\n`;
}

/** The schema and every example the CLI package ships, as the repository's files say they should be now. */
export function cliPackageFiles(root: string, schema: string): ShippedFile[] {
  const names = readdirSync(join(root, exampleScenariosFolder))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const files: ShippedFile[] = [{ path: shippedSchemaPath, content: schema }];
  for (const name of names) {
    const text = readFileSync(join(root, exampleScenariosFolder, name), 'utf8');
    files.push({ path: `${shippedExamplesFolder}/${name}`, content: shippedYaml(name, text) });
    if (name === `${jsonExample}.yaml`) files.push({ path: `${shippedExamplesFolder}/${jsonExample}.json`, content: shippedJson(text) });
  }
  return files;
}
