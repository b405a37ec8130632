import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey, masterKeyId, MasterKeyRing } from '@misas/core';
import { openStorage } from '../open-storage.ts';
import { openSqliteStorage } from '../sqlite/index.ts';
import { createKeyFile, masterKeysFromEnvironment, readMasterKeyFile } from './master-keys.ts';

const idOf = (base64: string) => masterKeyId(Buffer.from(base64, 'base64'));

describe('where a storage gets its master keys', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-master-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given nothing configured, when a SQLite file is opened, then a key file is made beside it (owner-only, one warning) and reused', async () => {
    const path = join(dir, 'misas.db');
    const warnings: string[] = [];
    const first = await openSqliteStorage({ path, environment: {}, onWarning: (line) => warnings.push(line) });
    await first.vault.put('s', 'referral', { name: 'Lou' });
    await first.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`created ${path}.key`);
    expect(warnings[0]).not.toContain('\n');
    if (process.platform !== 'win32') expect((await stat(`${path}.key`)).mode & 0o777).toBe(0o600);

    const again = await openStorage(`sqlite:${path}`, { environment: {}, onWarning: (line) => warnings.push(line) });
    expect(await again.vault.get('s', 'referral')).toEqual({ status: 'found', value: { name: 'Lou' } });
    await again.close();
    expect(warnings).toHaveLength(1);
    // The same file, named through MISAS_MASTER_KEY_FILE, opens the store just as well.
    const named = await openStorage(`sqlite:${path}`, { environment: { MISAS_MASTER_KEY_FILE: `${path}.key` } });
    expect(await named.vault.get('s', 'referral')).toMatchObject({ status: 'found' });
    await named.close();
  });

  it('given MISAS_MASTER_KEY with a new and an old key, then the first is current and the second still opens', () => {
    const [current, old] = [generateMasterKey(), generateMasterKey()];
    const keys = masterKeysFromEnvironment({ MISAS_MASTER_KEY: ` ${current},\n${old} ` });
    expect(keys?.currentKeyId).toBe(idOf(current));
    expect(keys?.keyIds).toEqual([idOf(current), idOf(old)]);
    expect(masterKeysFromEnvironment({})).toBeUndefined();
  });

  it('refuses, in one line, both variables at once, a malformed key, a key file others may read, and a missing file', async () => {
    const file = join(dir, 'master.key');
    await writeFile(file, `# comment\n${generateMasterKey()}\n`, { mode: 0o600 });
    expect(() => masterKeysFromEnvironment({ MISAS_MASTER_KEY: generateMasterKey(), MISAS_MASTER_KEY_FILE: file })).toThrow(
      expect.objectContaining({ rule: 'master-key-ambiguous' }),
    );
    expect(() => masterKeysFromEnvironment({ MISAS_MASTER_KEY: 'c2hvcnQ=' })).toThrow(expect.objectContaining({ rule: 'master-key-invalid' }));
    expect(() => masterKeysFromEnvironment({ MISAS_MASTER_KEY_FILE: join(dir, 'none.key') })).toThrow(
      expect.objectContaining({ rule: 'master-key-file-unreadable', message: expect.stringContaining('MISAS_MASTER_KEY_FILE') }),
    );
    expect(readMasterKeyFile(file).keyIds).toHaveLength(1);
    if (process.platform !== 'win32') {
      await chmod(file, 0o644);
      expect(() => readMasterKeyFile(file)).toThrow(expect.objectContaining({ rule: 'master-key-file-permissions', message: expect.stringContaining('chmod 600') }));
    }
  });

  it('given a folder where no key file can be made, then the error says so in one line', () => {
    expect(() => createKeyFile(join(dir, 'no-such-folder', 'cases.db.key'))).toThrow(
      expect.objectContaining({ rule: 'master-key-file-unwritable', message: expect.stringMatching(/^cannot create the master key file .*: set MISAS_MASTER_KEY or MISAS_MASTER_KEY_FILE instead$/) }),
    );
  });

  it('given a key file another process created first, then createKeyFile reads it and never replaces it', async () => {
    const file = join(dir, 'race.key');
    const results = await Promise.all(Array.from({ length: 8 }, async () => createKeyFile(file)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.keys.currentKeyId)).size).toBe(1);
    expect((await readFile(file, 'utf8')).split('\n').filter((line) => line && !line.startsWith('#'))).toHaveLength(1);
  });

  it('given an in-memory store, then no key file is made; given a key, then it is the one used', async () => {
    const sqliteMemory = await openStorage('sqlite::memory:', { environment: {} });
    await sqliteMemory.vault.put('s', 'referral', 1);
    await sqliteMemory.close();
    const keys = MasterKeyRing.fromBase64([generateMasterKey()], 'test');
    const memory = await openStorage('memory:', { masterKeys: keys, environment: {} });
    await memory.vault.put('s', 'referral', 1);
    expect(await memory.vault.rewrapKeys()).toEqual({ currentKeyId: keys.currentKeyId, rewrapped: 0, remaining: 0 });
    expect(existsSync(':memory:.key')).toBe(false);
  });
});
