import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStorage } from '@misas/adapters';
import { generateMasterKey, masterKeyId } from '@misas/core';
import { captureCli } from '../testing/capture.ts';

const idOf = (base64: string) => masterKeyId(Buffer.from(base64, 'base64'));

describe('misas keys', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('generate prints a fresh master key: the base64 of 32 bytes', async () => {
    const first = await captureCli(['keys', 'generate']);
    expect(first.code).toBe(0);
    expect(Buffer.from(first.out, 'base64')).toHaveLength(32);
    expect((await captureCli(['keys', 'generate'])).out).not.toBe(first.out);
  });

  it('given a store under key A, when the key changes to B, then opening names A in one line; rotate with B then A moves every key, resumably, and B alone opens it', async () => {
    const [a, b] = [generateMasterKey(), generateMasterKey()];
    const store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'misas-cli-keys-')), 'cases.db')}`;
    vi.stubEnv('MISAS_MASTER_KEY', a);
    const storage = await openStorage(store);
    for (let i = 0; i < 5; i++) await storage.vault.put(`subj-${i}`, 'referral', { person: { lastName: `Nom-${i}` } });
    await storage.close();

    vi.stubEnv('MISAS_MASTER_KEY', b);
    const refused = await captureCli(['migrate', '--store', store]);
    expect(refused.code).toBe(2);
    expect(refused.err.split('\n')).toHaveLength(1);
    expect(refused.err).toContain(`wrapped under master key ${idOf(a)}, which is not among the master keys read from MISAS_MASTER_KEY (${idOf(b)})`);

    vi.stubEnv('MISAS_MASTER_KEY', `${b},${a}`);
    const partial = await captureCli(['keys', 'rotate', '--store', store, '--batch', '2', '--limit', '3']);
    expect(partial.code).toBe(0);
    expect(partial.err.split('\n')).toEqual(['rewrapped 2 key(s) so far, 3 left under older master keys', 'rewrapped 3 key(s) so far, 2 left under older master keys']);
    expect(partial.out).toBe(`${store}: 3 key(s) rewrapped to master key ${idOf(b)}; 2 still under older master keys: run misas keys rotate again to go on`);
    const rest = await captureCli(['keys', 'rotate', '--store', store]);
    expect(rest.out).toBe(`${store}: 2 key(s) rewrapped to master key ${idOf(b)}; every key is under it now: older master keys can be removed`);

    vi.stubEnv('MISAS_MASTER_KEY', b);
    const reopened = await openStorage(store);
    expect(await reopened.vault.get('subj-4', 'referral')).toEqual({ status: 'found', value: { person: { lastName: 'Nom-4' } } });
    await reopened.close();
  });
});
