import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tarballProblems } from './check-packages.ts';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const packages = ['core', 'adapters', 'projections', 'service', 'report', 'cli'] as const;
/** The tested file each package's README quotes verbatim (the consumer check runs the .ci/consumer ones). */
const snippets: Record<(typeof packages)[number], string | undefined> = {
  core: 'examples/quickstart/main.ts',
  adapters: '.ci/consumer/src/sqlite-store.ts',
  projections: '.ci/consumer/src/register.ts',
  service: '.ci/consumer/src/service-session.ts',
  report: '.ci/consumer/src/report-page.ts',
  cli: undefined,
};

describe.each(packages)('@misas/%s is ready to publish', (name) => {
  const manifest: unknown = JSON.parse(read(`packages/${name}/package.json`));

  it('names its repository, home page, issue tracker, public access and Node floor', () => {
    expect(manifest).toMatchObject({
      name: `@misas/${name}`,
      license: 'MIT',
      repository: { type: 'git', url: 'git+https://github.com/misas-project/misas.git', directory: `packages/${name}` },
      homepage: `https://github.com/misas-project/misas/tree/main/packages/${name}#readme`,
      bugs: { url: 'https://github.com/misas-project/misas/issues' },
      publishConfig: { access: 'public' },
      engines: { node: '>=22.16.0' },
      type: 'module',
    });
    expect(manifest).toHaveProperty('sideEffects', name === 'cli' ? ['./dist/main.js', './src/main.ts'] : false);
  });

  it('has a LICENSE with a copyright holder, a CHANGELOG and a README with install, docs and a tested snippet', () => {
    expect(read(`packages/${name}/LICENSE`)).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} The misas contributors\n/);
    expect(read(`packages/${name}/CHANGELOG.md`)).toMatch(new RegExp(`^# @misas/${name}\\n`));
    const readme = read(`packages/${name}/README.md`);
    expect(readme).toContain(`npm install`);
    expect(readme).toContain(`@misas/${name}`);
    expect(readme).toContain('ESM only');
    expect(readme).toContain('## Documentation');
    const snippet = snippets[name];
    if (snippet === undefined) {
      // The CLI's commands are the ones the consumer check runs with the installed bin.
      const check = read('.ci/consumer-check.sh');
      for (const command of ['misas simulate --cases 12 --from 2026-01-01 --to 2026-02-28 --seed 7', 'misas report --out report.html']) {
        expect(readme).toContain(`npx ${command}`);
        expect(check).toContain(command);
      }
    } else {
      expect(existsSync(new URL(snippet, root))).toBe(true);
      expect(readme).toContain(read(snippet).trim());
    }
  });
});

describe('what a tarball may hold', () => {
  const complete = ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/dist/index.js', 'package/dist/index.d.ts'];

  it('accepts the built package with its sources', () => {
    expect(tarballProblems('adapters', [...complete, 'package/src/index.ts', 'package/dist/sqlite/index.js'])).toEqual([]);
  });

  it('requires the scenario schema and the JSON example in the CLI, for `$schema` from node_modules', () => {
    expect(tarballProblems('cli', complete)).toEqual(['missing package/schema/scenario.schema.json', 'missing package/examples/remote-consent.json']);
    expect(tarballProblems('cli', [...complete, 'package/schema/scenario.schema.json', 'package/examples/remote-consent.json'])).toEqual([]);
  });

  it("keeps @misas/core's documented test kit, and no other package's test helpers", () => {
    const kit = ['package/src/testing/index.ts', 'package/dist/testing/index.js'];
    expect(tarballProblems('core', [...complete, ...kit])).toEqual([]);
    expect(tarballProblems('adapters', [...complete, ...kit])).toEqual(kit.map((file) => `ships ${file}`));
  });

  it('refuses test files, test kits, build info and a missing README or LICENSE', () => {
    const shipped = ['package/src/sqlite/errors.int.test.ts', 'package/src/postgres/test-kit.ts', 'package/dist/tsconfig.tsbuildinfo'];
    expect(tarballProblems('adapters', [...complete.filter((file) => !/README|LICENSE/.test(file)), ...shipped])).toEqual([
      'missing package/README.md',
      'missing package/LICENSE',
      ...shipped.map((file) => `ships ${file}`),
    ]);
  });
});
