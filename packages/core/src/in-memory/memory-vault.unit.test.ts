import { describe, expect, it } from 'vitest';
import { InMemoryVault } from './memory-vault.ts';

describe('InMemoryVault', () => {
  it('given an entry, when read, then it decrypts to what was written', async () => {
    const vault = new InMemoryVault();
    await vault.put('subj-1', 'referral', { person: { lastName: 'Dupont' } });
    expect(await vault.get('subj-1', 'referral')).toEqual({ status: 'found', value: { person: { lastName: 'Dupont' } } });
    expect(await vault.get('subj-1', 'other')).toEqual({ status: 'missing' });
  });

  it('given a shredded subject, then every entry reads as erased and it cannot be written again', async () => {
    const vault = new InMemoryVault();
    await vault.put('subj-1', 'referral', 'x');
    await vault.put('subj-1', 'note:1', 'y');
    await vault.put('subj-2', 'referral', 'z');
    await vault.shred('subj-1');
    expect(await vault.get('subj-1', 'referral')).toEqual({ status: 'erased' });
    expect(await vault.entries('subj-1')).toEqual({ status: 'erased' });
    await expect(vault.put('subj-1', 'note:2', 'again')).rejects.toThrow(/erased/);
    expect(await vault.get('subj-2', 'referral')).toEqual({ status: 'found', value: 'z' });
  });

  it('lists every entry of a subject for the right of access', async () => {
    const vault = new InMemoryVault();
    await vault.put('s', 'referral', { a: 1 });
    await vault.put('s', 'note:1', { text: 'hello' });
    expect(await vault.entries('s')).toEqual({ status: 'found', entries: { referral: { a: 1 }, 'note:1': { text: 'hello' } } });
  });
});
