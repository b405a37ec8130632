/**
 * Master keys on the durable stores: rotation (rewrapping every key to the current master key, in
 * resumable batches, after which the old key is not needed and its wraps are gone from the files),
 * and stores from before issue 12 whose clear keys are wrapped when opened.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey, MasterKeyRing, type MisasStorage, type RewrapReport } from '@misas/core';
import { openPostgresStorage } from './postgres/index.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl } from './postgres/test-kit.ts';
import { openSqliteStorage } from './sqlite/index.ts';
import { filesContaining, postgresTableFile, sqliteFiles } from './testing/raw-files.ts';
import { copySqliteFiles, legacyPostgresSchema, legacySqliteStore, openWithStoredKeys, stolenFromPostgres, stolenFromSqlite, type StolenVault } from './testing/vault-attack.ts';

const [a, b] = [generateMasterKey(), generateMasterKey()];
const onlyA = MasterKeyRing.fromBase64([a], 'the test');
const bThenA = MasterKeyRing.fromBase64([b, a], 'the test');
const onlyB = MasterKeyRing.fromBase64([b], 'the test');
const subjects = Array.from({ length: 7 }, (_, i) => ({ subjectRef: `subj-${i}`, value: { person: { lastName: `Nom-${i}`, nir: `25201751234567${i}` } } }));

/** Opens the same store again with other master keys. */
type Reopen = (keys: MasterKeyRing) => Promise<MisasStorage>;

/** What every store must do on rotation; `stored` reads the key bytes as stored, `raw` the files (or undefined). */
async function rotationWorks(open: Reopen, stored: () => Promise<StolenVault>, raw: () => Promise<Buffer>): Promise<void> {
  const first = await open(onlyA);
  for (const { subjectRef, value } of subjects) await first.vault.put(subjectRef, 'referral', value);
  await first.close();
  const underA = (await stored()).keys.map((key) => key.stored);

  // A run in slices: the first stops after 3 keys, in batches of 2, as an interrupted run would.
  const rotating = await open(bThenA);
  const progress: RewrapReport[] = [];
  const slice = await rotating.vault.rewrapKeys({ batchSize: 2, limit: 3, onBatch: (report) => progress.push(report) });
  expect(slice).toEqual({ currentKeyId: bThenA.currentKeyId, rewrapped: 3, remaining: 4 });
  expect(progress.map((report) => report.rewrapped)).toEqual([2, 3]);
  // Written meanwhile: wrapped under the current key, not rewrapped again.
  await rotating.vault.put('subj-new', 'referral', { person: { lastName: 'Neuf' } });
  await rotating.close();

  const resumed = await open(bThenA);
  expect(await resumed.vault.rewrapKeys({ batchSize: 2 })).toEqual({ currentKeyId: bThenA.currentKeyId, rewrapped: 4, remaining: 0 });
  expect(await resumed.vault.rewrapKeys()).toEqual({ currentKeyId: bThenA.currentKeyId, rewrapped: 0, remaining: 0 });
  // The wraps under the old key are gone from the files, not only from the rows — already while
  // the store is open (SQLite's -wal is checkpointed and emptied; PostgreSQL's table rewritten).
  const bytes = await raw();
  for (const old of underA) expect(bytes.includes(old)).toBe(false);
  await resumed.close();

  // The old key is no longer needed...
  const afterwards = await open(onlyB);
  for (const { subjectRef, value } of subjects) expect(await afterwards.vault.get(subjectRef, 'referral')).toEqual({ status: 'found', value });
  await afterwards.close();
  // ...nor enough: a process still on it alone is refused, naming the key it lacks.
  await expect(open(onlyA)).rejects.toMatchObject({ rule: 'master-key-unknown', keyId: onlyB.currentKeyId });
}

describe.runIf(pgMissingInCi)('master keys on PostgreSQL in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe('rotating the master key', { timeout: 60_000 }, () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-rotation-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('SQLite: rewraps every key in resumable batches; then the old key is not needed and its wraps are gone from the .db and -wal', async () => {
    const path = join(dir, 'cases.db');
    await rotationWorks(
      (masterKeys) => openSqliteStorage({ path, masterKeys }),
      async () => stolenFromSqlite(copySqliteFiles(path, await mkdtemp(join(dir, 'copy-')))),
      async () => Buffer.concat((await sqliteFiles(path)).map((file) => file.bytes)),
    );
  });

  it.skipIf(!pgUrl)('PostgreSQL: rewraps every key in resumable batches; then the old key is not needed and its wraps are gone from the key table’s file', async () => {
    const schema = freshSchemaName('rotation');
    try {
      await rotationWorks(
        (masterKeys) => openPostgresStorage({ connectionString: requirePgUrl(), schema, masterKeys }),
        () => stolenFromPostgres(schema),
        async () => (await postgresTableFile(schema, 'vault_keys')).bytes,
      );
    } finally {
      await dropSchema(schema);
    }
  });
});

describe('a store from before issue 12, with clear keys, is wrapped when opened with a master key', { timeout: 60_000 }, () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-legacy-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('SQLite (schema 3): the clear keys open everything before; after the open they are wrapped, gone from the files, and the data reads', async () => {
    const path = join(dir, 'old.db');
    const clear = await legacySqliteStore(path, subjects);
    expect(openWithStoredKeys(stolenFromSqlite(copySqliteFiles(path, await mkdtemp(join(dir, 'before-')))))).toHaveLength(subjects.length);

    const storage = await openSqliteStorage({ path, masterKeys: onlyA });
    for (const { subjectRef, value } of subjects) expect(await storage.vault.get(subjectRef, 'referral')).toEqual({ status: 'found', value });
    const files = await sqliteFiles(path);
    for (const key of clear.values()) expect(filesContaining(files, key)).toEqual([]);
    expect(openWithStoredKeys(stolenFromSqlite(copySqliteFiles(path, await mkdtemp(join(dir, 'after-')))))).toEqual([]);
    await storage.close();
  });

  it.skipIf(!pgUrl)('PostgreSQL (schema 2): the clear keys open everything before; after the open they are wrapped, gone from the key table’s file, and the data reads', async () => {
    const schema = freshSchemaName('legacy');
    try {
      const clear = await legacyPostgresSchema(schema, subjects);
      expect(openWithStoredKeys(await stolenFromPostgres(schema))).toHaveLength(subjects.length);
      const before = await postgresTableFile(schema, 'vault_keys');
      expect([...clear.values()].every((key) => before.bytes.includes(key))).toBe(true);

      const storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema, masterKeys: onlyA });
      try {
        for (const { subjectRef, value } of subjects) expect(await storage.vault.get(subjectRef, 'referral')).toEqual({ status: 'found', value });
        expect(openWithStoredKeys(await stolenFromPostgres(schema))).toEqual([]);
        const after = await postgresTableFile(schema, 'vault_keys');
        for (const key of clear.values()) expect(after.bytes.includes(key)).toBe(false);
      } finally {
        await storage.close();
      }
    } finally {
      await dropSchema(schema);
    }
  });
});
