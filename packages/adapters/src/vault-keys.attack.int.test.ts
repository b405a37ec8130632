/**
 * Attack: someone copies the database (a SQLite file and its -wal, a PostgreSQL dump or data
 * directory) but not the master key. They must find no personal data in it, and the key bytes it
 * stores must open no entry. Each attack also runs against a store whose keys are kept clear (the
 * `clearKeys` wrapper, as before issue 12): there the same attacker reads everything, which is
 * what shows the attack would catch a store that stopped wrapping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey, InMemoryVault, MasterKeyRing, vaultKeyContext, type KeyWrapper, type MisasStorage, type PersonalDataVault } from '@misas/core';
import { openPostgresStorage, type PostgresStorage } from './postgres/index.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withAdminClient } from './postgres/test-kit.ts';
import { qualified } from './postgres/connection.ts';
import { openSqliteStorage } from './sqlite/index.ts';
import { filesContaining, postgresRelationFiles, postgresStoreUncompressed, sqliteFiles } from './testing/raw-files.ts';
import { copySqliteFiles, openWithStoredKeys, stolenFromPostgres, stolenFromSqlite, type StolenVault } from './testing/vault-attack.ts';

const person = { lastName: 'Le Gall', firstName: 'Bernadette', nir: '252017512345678', phone: '06 12 34 56 78' };
const secrets = ['Le Gall', 'Bernadette', '252017512345678', '06 12 34 56 78', 'Vue baisse'];
const masterKeys = MasterKeyRing.fromBase64([generateMasterKey()], 'the test');
const otherKeys = MasterKeyRing.fromBase64([generateMasterKey()], 'MISAS_MASTER_KEY');

/** Keys "wrapped" as themselves: a store as it was before issue 12. */
const clearKeys: KeyWrapper = {
  currentKeyId: 'clear',
  keyIds: ['clear'],
  source: 'no master key',
  wrap: (key) => Buffer.from(key),
  unwrap: (stored) => Buffer.from(stored),
  keyIdOf: () => 'clear',
};

async function fill(vault: PersonalDataVault): Promise<void> {
  await vault.put('subj-a', 'referral', { person });
  await vault.put('subj-a', 'note:1', { text: 'Vue baisse, rendez-vous ophtalmo le mardi' });
  await vault.put('subj-b', 'referral', { person: { ...person, firstName: 'Yannick' } });
}

/** The clear subject keys, unwrapped with the master key the test holds (the thief does not). */
function clearKeysOf(stolen: StolenVault): Buffer[] {
  return stolen.keys.map(({ subjectRef, stored }) => masterKeys.unwrap(stored, vaultKeyContext(subjectRef)));
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

describe.runIf(pgMissingInCi)('vault attacks on PostgreSQL in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe('a stolen copy of the database, without the master key, reveals no personal data', { timeout: 60_000 }, () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-attack-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('memory: the stored rows hold no plaintext and their key bytes open nothing (clear keys: everything opens)', async () => {
    const steal = (vault: InMemoryVault): StolenVault => {
      const rows = vault.storedRows();
      return { keys: rows.keys.map(({ subjectRef, wrapped }) => ({ subjectRef, stored: wrapped })), entries: rows.entries };
    };
    const control = new InMemoryVault(clearKeys);
    await fill(control);
    expect(openWithStoredKeys(steal(control))).toHaveLength(3);

    const vault = new InMemoryVault(masterKeys);
    await fill(vault);
    const stolen = steal(vault);
    expect(stolen.entries).toHaveLength(3);
    expect(openWithStoredKeys(stolen)).toEqual([]);
    const bytes = Buffer.concat([...stolen.keys.map((k) => k.stored), ...stolen.entries.map((e) => e.sealed)]);
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
  });

  it('SQLite: copies of the .db and -wal files, taken while open and after close, hold no plaintext, no clear key, and open nothing', async () => {
    const controlPath = join(dir, 'control.db');
    const control = await openSqliteStorage({ path: controlPath, masterKeys: clearKeys });
    await fill(control.vault);
    expect(openWithStoredKeys(stolenFromSqlite(copySqliteFiles(controlPath, await mkdtemp(join(dir, 'control-copy-')))))).toHaveLength(3);
    await control.close();

    const path = join(dir, 'cases.db');
    const storage = await openSqliteStorage({ path, masterKeys });
    await fill(storage.vault);
    const thief = async () => {
      const copy = copySqliteFiles(path, await mkdtemp(join(dir, 'thief-')));
      const files = await sqliteFiles(copy);
      expect(files.map((file) => file.name)).not.toContain('stolen.db.key');
      for (const secret of secrets) expect(filesContaining(files, secret), secret).toEqual([]);
      const stolen = stolenFromSqlite(copy);
      expect(stolen.entries).toHaveLength(3);
      expect(openWithStoredKeys(stolen)).toEqual([]);
      for (const key of clearKeysOf(stolen)) expect(filesContaining(files, key)).toEqual([]);
      return copy;
    };
    await thief(); // open: the rows are in the -wal file
    await storage.close();
    const copy = await thief(); // closed: checkpointed into the .db file

    // Opening the copy without the key: no key file is made up for a store that holds wrapped keys.
    const missing = await openSqliteStorage({ path: copy, environment: {} }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'master-key', rule: 'master-key-required' });
    expect(firstLine(missing)).toMatch(/^SQLite store .* needs a master key and none is configured: set MISAS_MASTER_KEY .*MISAS_MASTER_KEY_FILE/);
    expect(existsSync(`${copy}.key`)).toBe(false);
  });

  it.skipIf(!pgUrl)('PostgreSQL: the rows read through SQL and the relation files hold no plaintext, no clear key, and open nothing', async () => {
    for (const keys of [clearKeys, masterKeys]) {
      const schema = freshSchemaName('attack');
      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema, masterKeys: keys });
      try {
        // So that a plaintext copy would show in a byte scan rather than hide compressed.
        await postgresStoreUncompressed(schema);
        await fill(storage.vault);
        const stolen = await stolenFromPostgres(schema);
        expect(stolen.entries).toHaveLength(3);
        if (keys === clearKeys) {
          expect(openWithStoredKeys(stolen)).toHaveLength(3);
          continue;
        }
        expect(openWithStoredKeys(stolen)).toEqual([]);
        const files = await postgresRelationFiles(schema);
        for (const secret of secrets) expect(filesContaining(files, secret), secret).toEqual([]);
        for (const key of clearKeysOf(stolen)) expect(filesContaining(files, key)).toEqual([]);
      } finally {
        await storage.close();
        await dropSchema(schema);
      }
    }
  });
});

describe('a wrapped key copied onto another subject opens nothing', { timeout: 60_000 }, () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-attack-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expectRefused = async (storage: MisasStorage) => {
    const error = await storage.vault.get('subj-b', 'referral').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'master-key', rule: 'wrapped-key-unauthentic' });
    expect(firstLine(error)).toContain('misas-vault-key:subj-b');
    expect(firstLine(error)).not.toContain('\n');
  };

  it('memory: the wrapper refuses A’s wrapped key under B’s context', () => {
    const wrappedA = masterKeys.wrap(Buffer.alloc(32, 7), vaultKeyContext('subj-a'));
    expect(() => masterKeys.unwrap(wrappedA, vaultKeyContext('subj-b'))).toThrow(/moved from another subject/);
  });

  it('SQLite: B’s key row overwritten with A’s is refused, with one line', async () => {
    const path = join(dir, 'cases.db');
    const storage = await openSqliteStorage({ path, masterKeys });
    try {
      await fill(storage.vault);
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(path);
      db.exec("UPDATE vault_keys SET key = (SELECT key FROM vault_keys WHERE subject_ref = 'subj-a') WHERE subject_ref = 'subj-b'");
      db.close();
      await expectRefused(storage);
    } finally {
      await storage.close();
    }
  });

  it.skipIf(!pgUrl)('PostgreSQL: B’s key row overwritten with A’s is refused, with one line', async () => {
    const schema = freshSchemaName('attack');
    const storage: PostgresStorage = await openPostgresStorage({ connectionString: requirePgUrl(), schema, masterKeys });
    try {
      await fill(storage.vault);
      const keys = qualified(schema, 'vault_keys');
      await withAdminClient((client) => client.query(`UPDATE ${keys} SET key = (SELECT key FROM ${keys} WHERE subject_ref = 'subj-a') WHERE subject_ref = 'subj-b'`));
      await expectRefused(storage);
    } finally {
      await storage.close();
      await dropSchema(schema);
    }
  });
});

describe('a wrong or missing master key gives one line naming the key id and where keys are read from', { timeout: 60_000 }, () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-attack-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expectUnknown = (error: unknown) => {
    expect(error).toMatchObject({ code: 'master-key', rule: 'master-key-unknown', keyId: masterKeys.currentKeyId });
    expect(firstLine(error)).toContain(`master key ${masterKeys.currentKeyId}`);
    expect(firstLine(error)).toContain(`read from MISAS_MASTER_KEY (${otherKeys.currentKeyId})`);
    expect(firstLine(error)).not.toContain('\n');
  };

  it('memory: a vault given another master key cannot open what the first wrapped', () => {
    const wrapped = masterKeys.wrap(Buffer.alloc(32, 1), vaultKeyContext('s'));
    let error: unknown;
    try {
      otherKeys.unwrap(wrapped, vaultKeyContext('s'));
    } catch (caught) {
      error = caught;
    }
    expectUnknown(error);
  });

  it('SQLite: opening with another key is refused before any read', async () => {
    const path = join(dir, 'cases.db');
    const storage = await openSqliteStorage({ path, masterKeys });
    await fill(storage.vault);
    await storage.close();
    expectUnknown(await openSqliteStorage({ path, masterKeys: otherKeys }).catch((error: unknown) => error));
  });

  it.skipIf(!pgUrl)('PostgreSQL: opening with another key is refused; with none at all, too', async () => {
    const schema = freshSchemaName('attack');
    const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema, masterKeys });
    try {
      await fill(storage.vault);
      expectUnknown(await openPostgresStorage({ connectionString: requirePgUrl(), schema, masterKeys: otherKeys }).catch((error: unknown) => error));
      const none = await openPostgresStorage({ connectionString: requirePgUrl(), schema, environment: {} }).catch((error: unknown) => error);
      expect(none).toMatchObject({ code: 'master-key', rule: 'master-key-required' });
      expect(firstLine(none)).toBe(
        'PostgreSQL storage needs a master key and none is configured: set MISAS_MASTER_KEY (base64 of 32 bytes, `misas keys generate`) or MISAS_MASTER_KEY_FILE',
      );
    } finally {
      await storage.close();
      await dropSchema(schema);
    }
  });
});
