/**
 * `pnpm check:packages`: the tarballs npm would publish, checked before anyone installs them.
 * Packs each package once (pnpm replaces `workspace:*` with the version), then for each tarball:
 * - what it holds: the README, LICENSE, CHANGELOG and built entry points; no test file nor test
 *   helper (`*.test.ts`, `testing/`, `test-kit.ts`), except `@misas/core/testing`, a documented kit;
 * - publint (strict: its warnings fail too);
 * - arethetypeswrong with the `esm-only` profile: the packages are ESM-only by choice (they use
 *   `node:sqlite` and top-level await in dependencies; Node ≥ 22.16 imports them natively), so
 *   attw does not judge how `require` would resolve them — every other problem fails.
 * Expects built packages (`pnpm build`). Prints one line per package, the problems when there are.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
const packages = ['core', 'adapters', 'projections', 'service', 'report', 'cli'] as const;
/** The subpaths whose `testing/` folder is a published kit rather than the package's own test helpers. */
const publishedKits: Record<string, readonly string[]> = { core: ['package/src/testing/', 'package/dist/testing/'] };
const required = ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/dist/index.js', 'package/dist/index.d.ts'];
/** What one package must ship besides: the CLI's scenario schema and examples, for `$schema` from node_modules. */
const requiredOf: Record<string, readonly string[]> = { cli: ['package/schema/scenario.schema.json', 'package/examples/remote-consent.json'] };

/** The problems in the file list of a package's tarball. */
export function tarballProblems(name: string, files: readonly string[]): string[] {
  const kits = publishedKits[name] ?? [];
  const problems = [...required, ...(requiredOf[name] ?? [])].filter((file) => !files.includes(file)).map((file) => `missing ${file}`);
  for (const file of files) {
    const testFile = /\.test\.[cm]?[jt]s$|\.test\.d\.ts$|(^|\/)test-kit\.|\.tsbuildinfo$/.test(file);
    const testHelper = file.includes('/testing/') && !kits.some((kit) => file.startsWith(kit));
    if (testFile || testHelper) problems.push(`ships ${file}`);
  }
  return problems;
}

function run(command: string, args: readonly string[], cwd = root): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'misas-pack-'));
  let failures = 0;
  try {
    run('npx', ['-y', 'pnpm@10', '--filter', './packages/*', 'pack', '--pack-destination', dir]);
    for (const name of packages) {
      const tarball = readdirSync(dir).find((file) => file.startsWith(`misas-${name}-`) && file.endsWith('.tgz'));
      if (tarball === undefined) {
        console.log(`✗ @misas/${name}: no tarball`);
        failures++;
        continue;
      }
      const path = join(dir, tarball);
      const files = run('tar', ['-tzf', path]).split('\n').filter(Boolean);
      const problems = tarballProblems(name, files);

      const bytes = readFileSync(path);
      const lint = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, strict: true, level: 'suggestion' });
      for (const message of lint.messages) problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg) ?? message.code}`);

      try {
        run(join(root, 'node_modules/.bin/attw'), [path, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--quiet']);
      } catch (error) {
        const output = error instanceof Error && 'stdout' in error ? String(error.stdout) : String(error);
        problems.push(`arethetypeswrong:\n${output.trim()}`);
      }
      if (problems.length === 0) console.log(`✓ @misas/${name}: ${files.length} files, publint and arethetypeswrong (esm-only) clean, no test file`);
      else {
        failures++;
        console.log(`✗ @misas/${name}:\n  ${problems.join('\n  ')}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(failures === 0 ? `check:packages: ${packages.length} packages ready to publish` : `check:packages: ${failures} package(s) not ready`);
  return failures === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
