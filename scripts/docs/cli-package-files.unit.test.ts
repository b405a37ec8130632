/**
 * The scenario schema and examples that `@misas/cli` ships: generated from the repository's
 * examples, each pointing at the shipped schema by a path that works from `node_modules`, exported
 * and listed in the package's `files`, and playing the same case whether written in YAML or JSON.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, scenarioKeyOf } from '@misas/cli';
import { repositoryRoot } from '../generate-docs.ts';
import { cliPackageFiles, jsonExample, shippedExamplesFolder, shippedSchemaPath, shippedYaml } from './cli-package-files.ts';

const schema = readFileSync(join(repositoryRoot, 'docs/scenario.schema.json'), 'utf8');
const shipped = cliPackageFiles(repositoryRoot, schema);

/** Where a shipped example says its JSON Schema is: the YAML comment or the JSON key. */
function schemaReferenceOf(path: string, content: string): string | undefined {
  if (path.endsWith('.json')) {
    const document = JSON.parse(content) as { $schema?: unknown };
    return typeof document.$schema === 'string' ? document.$schema : undefined;
  }
  return /^# yaml-language-server: \$schema=(\S+)$/m.exec(content)?.[1];
}

describe('the files @misas/cli ships for scenario writers', () => {
  it('are the schema and every example of examples/scenarios, plus one as JSON', () => {
    const examples = readdirSync(join(repositoryRoot, 'examples/scenarios')).filter((name) => name.endsWith('.yaml'));
    expect(examples.length).toBeGreaterThan(5);
    expect(shipped.map((file) => file.path).sort()).toEqual(
      [shippedSchemaPath, `${shippedExamplesFolder}/${jsonExample}.json`, ...examples.map((name) => `${shippedExamplesFolder}/${name}`)].sort(),
    );
    expect(shipped.find((file) => file.path === shippedSchemaPath)?.content).toBe(schema);
  });

  it('leave no stale example in the package (a file removed from examples/scenarios goes from it too)', () => {
    const onDisk = readdirSync(join(repositoryRoot, shippedExamplesFolder)).map((name) => `${shippedExamplesFolder}/${name}`);
    expect(onDisk.sort()).toEqual(shipped.filter((file) => file.path.startsWith(`${shippedExamplesFolder}/`)).map((file) => file.path).sort());
  });

  it('each say `$schema` with a path that, from the example, reaches the shipped schema — in node_modules as in the repository', () => {
    for (const file of shipped.filter((f) => f.path !== shippedSchemaPath)) {
      const reference = schemaReferenceOf(file.path, file.content);
      expect(reference, file.path).toBeDefined();
      expect(resolve(repositoryRoot, dirname(file.path), reference ?? ''), file.path).toBe(join(repositoryRoot, shippedSchemaPath));
      expect(file.content, file.path).not.toContain('docs/scenario.schema.json');
    }
  });

  it('are exported by the package and listed in its files', () => {
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'packages/cli/package.json'), 'utf8')) as { exports: Record<string, unknown>; files: string[] };
    expect(manifest.exports['./scenario.schema.json']).toBe('./schema/scenario.schema.json');
    expect(manifest.exports['./examples/*']).toBe('./examples/*');
    expect(manifest.files).toEqual(expect.arrayContaining(['schema', 'examples']));
    expect(existsSync(join(repositoryRoot, 'packages/cli', 'schema/scenario.schema.json'))).toBe(true);
  });

  it('play the same scenario from the JSON example as from its YAML (same key, so the same ids)', async () => {
    const fromYaml = await loadScenarioFile(join(repositoryRoot, shippedExamplesFolder, `${jsonExample}.yaml`));
    const fromJson = await loadScenarioFile(join(repositoryRoot, shippedExamplesFolder, `${jsonExample}.json`));
    expect(fromJson.$schema).toBe('../schema/scenario.schema.json');
    expect(scenarioKeyOf(fromJson)).toBe(scenarioKeyOf(fromYaml));
    expect({ ...fromJson, $schema: undefined }).toEqual({ ...fromYaml, $schema: undefined });
  });

  it('refuse an example whose first line is not the repository schema line, rather than ship a wrong $schema', () => {
    expect(() => shippedYaml('odd.yaml', 'name: odd\n')).toThrow(/odd\.yaml: its first line must be/);
    expect(shippedYaml('x.yaml', '# yaml-language-server: $schema=../../docs/scenario.schema.json\n# Play it: pnpm misas run examples/scenarios/x.yaml\n')).toBe(
      '# yaml-language-server: $schema=../schema/scenario.schema.json\n' +
        '# Copied by `pnpm docs:generate` from examples/scenarios/x.yaml of the misas repository: edit that one.\n' +
        '# Play it: npx misas run node_modules/@misas/cli/examples/x.yaml\n',
    );
  });
});
