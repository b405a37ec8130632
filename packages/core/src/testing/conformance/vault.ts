/**
 * Conformance cases for a `PersonalDataVault`. Raw-file checks (is the key really gone from
 * the disk?) belong to each durable adapter's own tests.
 */
import assert from 'node:assert/strict';
import type { PersonalDataVault } from '../../application/ports/personal-data-vault.ts';

/** One case of the personal-data vault conformance suite: run it against a fresh instance from the factory. */
export interface VaultConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => PersonalDataVault | Promise<PersonalDataVault>): Promise<void>;
}

/** The personal-data vault conformance suite: every case an implementation must pass (run each in a test). */
export const vaultConformance: readonly VaultConformanceCase[] = [
  {
    name: 'stores and reads back entries of a subject',
    async run(factory) {
      const vault = await factory();
      const value = { person: { lastName: 'Le Gall', firstName: 'Bernadette', nir: '252017512345678' }, list: [1, null, true] };
      await vault.put('s1', 'referral', value);
      await vault.put('s1', 'note:1', { text: 'Vue baisse — “rendez-vous” 👓' });
      assert.deepEqual(await vault.get('s1', 'referral'), { status: 'found', value });
      assert.deepEqual(await vault.get('s1', 'nope'), { status: 'missing' });
      assert.deepEqual(await vault.get('unknown', 'referral'), { status: 'missing' });
      assert.deepEqual(await vault.entries('s1'), {
        status: 'found',
        entries: { referral: value, 'note:1': { text: 'Vue baisse — “rendez-vous” 👓' } },
      });
    },
  },
  {
    name: 'overwrites an entry and removes one',
    async run(factory) {
      const vault = await factory();
      await vault.put('s', 'referral', 'first');
      await vault.put('s', 'referral', 'second');
      assert.deepEqual(await vault.get('s', 'referral'), { status: 'found', value: 'second' });
      await vault.put('s', 'note:1', 'n');
      await vault.remove('s', 'note:1');
      assert.deepEqual(await vault.get('s', 'note:1'), { status: 'missing' });
      assert.deepEqual(await vault.get('s', 'referral'), { status: 'found', value: 'second' });
    },
  },
  {
    name: 'shredding a subject erases it for good and leaves the others',
    async run(factory) {
      const vault = await factory();
      await vault.put('gone', 'referral', { name: 'x' });
      await vault.put('gone', 'note:1', 'y');
      await vault.put('kept', 'referral', { name: 'z' });
      await vault.shred('gone');
      await vault.shred('gone');
      assert.deepEqual(await vault.get('gone', 'referral'), { status: 'erased' });
      assert.deepEqual(await vault.entries('gone'), { status: 'erased' });
      await assert.rejects(vault.put('gone', 'note:2', 'again'), /erased/);
      assert.deepEqual(await vault.get('kept', 'referral'), { status: 'found', value: { name: 'z' } });
    },
  },
  {
    name: 'shredding a subject never written marks it erased',
    async run(factory) {
      const vault = await factory();
      await vault.shred('never');
      assert.deepEqual(await vault.get('never', 'referral'), { status: 'erased' });
    },
  },
];
