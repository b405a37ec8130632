import { readFileSync } from 'node:fs';
import { minimumNodeVersion } from '@misas/adapters';
import { describe, expect, it } from 'vitest';
import { cliMinimumNodeVersion, unsupportedNodeReason } from './node-version.ts';

describe("the misas binary's runtime check", () => {
  it('has the floor of the SQLite store, which every package.json states in engines', () => {
    expect(cliMinimumNodeVersion).toBe(minimumNodeVersion);
    for (const dir of ['../../..', '../../core', '../../adapters', '../../projections', '../../service', '../../cli']) {
      const manifest: unknown = JSON.parse(readFileSync(new URL(`${dir}/package.json`, import.meta.url), 'utf8'));
      expect(manifest, dir).toMatchObject({ engines: { node: `>=${minimumNodeVersion}` } });
    }
  });

  it.each(['22.16.0', '22.20.1', '23.1.0', '24.9.0', 'v26.0.0'])('lets Node.js %s run', (version) => {
    expect(unsupportedNodeReason(version)).toBeUndefined();
  });

  it.each(['22.15.1', '22.13.0', '21.7.3', '20.19.5'])('refuses Node.js %s in one line naming the version needed', (version) => {
    const reason = unsupportedNodeReason(version);
    expect(reason).toBe(`this is Node.js ${version}; misas needs Node.js >= 22.16.0: upgrade Node.js (nvm, fnm or your system's packages)`);
  });
});
