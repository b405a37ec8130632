import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MasterKeyError } from '../../errors.ts';
import { InMemoryVault } from '../../in-memory/memory-vault.ts';
import { generateMasterKey, masterKeyId, MasterKeyRing, parseMasterKey, vaultKeyContext } from './master-key-ring.ts';
import { newSubjectKey } from './subject-cipher.ts';

const keyA = generateMasterKey();
const keyB = generateMasterKey();

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('master key ring', () => {
  it('wraps a subject key so that the bytes never hold it, and names the master key they need', () => {
    const ring = MasterKeyRing.fromBase64([keyA], 'test');
    const subjectKey = newSubjectKey();
    const wrapped = ring.wrap(subjectKey, vaultKeyContext('subj-1'));
    expect(wrapped.includes(subjectKey)).toBe(false);
    expect(ring.keyIdOf(wrapped)).toBe(masterKeyId(Buffer.from(keyA, 'base64')));
    expect(ring.unwrap(wrapped, vaultKeyContext('subj-1')).equals(subjectKey)).toBe(true);
  });

  it('refuses a wrapped key moved to another subject, or altered, with one line and no crypto trace', () => {
    const ring = MasterKeyRing.fromBase64([keyA], 'test');
    const wrapped = ring.wrap(newSubjectKey(), vaultKeyContext('subj-1'));
    const moved = thrown(() => ring.unwrap(wrapped, vaultKeyContext('subj-2')));
    expect(moved).toBeInstanceOf(MasterKeyError);
    expect(moved).toMatchObject({ rule: 'wrapped-key-unauthentic', keyId: ring.currentKeyId });
    const altered = Buffer.from(wrapped);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(thrown(() => ring.unwrap(altered, vaultKeyContext('subj-1')))).toMatchObject({ rule: 'wrapped-key-unauthentic' });
    // The key id is authenticated too: naming another master key in the header does not help.
    const clear = newSubjectKey();
    expect(thrown(() => ring.unwrap(clear, vaultKeyContext('subj-1')))).toMatchObject({ rule: 'wrapped-key-malformed' });
  });

  it('given a ring without the key a wrap names, when unwrapping, then the error names the key id and the source', () => {
    const wrapped = MasterKeyRing.fromBase64([keyA], 'test').wrap(newSubjectKey(), vaultKeyContext('s'));
    const other = MasterKeyRing.fromBase64([keyB], 'MISAS_MASTER_KEY');
    const error = thrown(() => other.unwrap(wrapped, vaultKeyContext('s')));
    expect(error).toMatchObject({ code: 'master-key', rule: 'master-key-unknown', keyId: masterKeyId(Buffer.from(keyA, 'base64')) });
    const message = error instanceof Error ? error.message : '';
    expect(message).toContain(masterKeyId(Buffer.from(keyA, 'base64')));
    expect(message).toContain('MISAS_MASTER_KEY');
    expect(message).not.toContain('\n');
    expect(message).not.toContain(keyB);
  });

  it('rotates: new wraps use the first key, older keys still unwrap', () => {
    const old = MasterKeyRing.fromBase64([keyA], 'test');
    const wrappedOld = old.wrap(newSubjectKey(), vaultKeyContext('s'));
    const rotated = MasterKeyRing.fromBase64([keyB, keyA], 'test');
    expect(rotated.currentKeyId).toBe(masterKeyId(Buffer.from(keyB, 'base64')));
    expect(rotated.keyIds).toEqual([rotated.currentKeyId, old.currentKeyId]);
    expect(rotated.unwrap(wrappedOld, vaultKeyContext('s'))).toHaveLength(32);
    expect(rotated.keyIdOf(rotated.wrap(newSubjectKey(), vaultKeyContext('s')))).toBe(rotated.currentKeyId);
  });

  it('refuses a master key that is not the base64 of 32 bytes, without quoting it', () => {
    for (const bad of ['', 'not base64!', randomBytes(16).toString('base64'), `${keyA}AAAA`]) {
      const error = thrown(() => parseMasterKey(bad, 'MISAS_MASTER_KEY'));
      expect(error).toMatchObject({ rule: 'master-key-invalid' });
      if (bad) expect(error instanceof Error ? error.message : '').not.toContain(bad);
    }
    expect(thrown(() => new MasterKeyRing([], 'MISAS_MASTER_KEY'))).toMatchObject({ rule: 'master-key-required' });
  });
});

describe('in-memory vault under a master key', () => {
  it('holds only wrapped keys: no stored key bytes open an entry', async () => {
    const vault = new InMemoryVault(MasterKeyRing.fromBase64([keyA], 'test'));
    await vault.put('s', 'referral', { nir: '189047512345655' });
    const rows = vault.storedRows();
    expect(rows.keys).toHaveLength(1);
    expect(rows.keys[0]?.wrapped.length).toBeGreaterThan(32);
    expect(JSON.stringify(rows)).not.toContain('189047512345655');
  });

  it('rewraps every key to the current master key, in slices, and the old key is then not needed', async () => {
    let ring = MasterKeyRing.fromBase64([keyA], 'test');
    const switchable = {
      get currentKeyId() { return ring.currentKeyId; },
      get keyIds() { return ring.keyIds; },
      get source() { return ring.source; },
      wrap: (key: Buffer, context: string) => ring.wrap(key, context),
      unwrap: (wrapped: Buffer, context: string) => ring.unwrap(wrapped, context),
      keyIdOf: (wrapped: Buffer) => ring.keyIdOf(wrapped),
    };
    const vault = new InMemoryVault(switchable);
    for (let i = 0; i < 5; i++) await vault.put(`s${i}`, 'referral', { n: i });
    ring = MasterKeyRing.fromBase64([keyB, keyA], 'test');
    expect(await vault.rewrapKeys({ limit: 2 })).toMatchObject({ rewrapped: 2, remaining: 3 });
    expect(await vault.rewrapKeys({ batchSize: 2 })).toMatchObject({ rewrapped: 3, remaining: 0 });
    ring = MasterKeyRing.fromBase64([keyB], 'test');
    for (let i = 0; i < 5; i++) expect(await vault.get(`s${i}`, 'referral')).toEqual({ status: 'found', value: { n: i } });
  });
});
