/**
 * Erasure against case snapshots. A snapshot holds a case file, rewritten every few events; an
 * erasure must leave none that holds what it removed (the person's data, their key, the sealed
 * entries), and none taken before it may come back as the case's state. Each store is attacked
 * with a snapshot after every event, the rows collected as they are written, and a slow writer
 * putting back a snapshot from before the erasure. The rows are read raw, beside the port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseCommandHandler, loadCase, seededUlidGenerator, VirtualClock, caseFileOf, type CaseCommandInput, type MisasStorage } from '@misas/core';
import { sampleInternalForm } from '@misas/core/testing';
import { qualified } from '../postgres/connection.ts';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withAdminClient, withFreshStorage } from '../postgres/test-kit.ts';
import { openSqliteStorage, type SqliteStorage } from '../sqlite/index.ts';
import { postgresSubjectKey, sqliteSubjectKey } from '../testing/raw-files.ts';

const actor = { role: 'counsellor', id: 'counsellor-1' } as const;
const secrets = ['Martin', 'Alex', '1989-04-12', '189047512345655', 'Agent accueil', 'Appeler le soir', 'Parle mal français', 'Kerhervé', '0612345678'];

/** How a test reads a store's snapshot rows raw, each row as one string, and the subject's key bytes. */
interface RawAccess {
  rows(): Promise<string[]>;
  key(subjectRef: string): Promise<Buffer>;
}

/**
 * Runs the attack on `storage`: every row ever written for the case is collected; after the
 * erasure none may hold a secret or the key, and no row is left for the case.
 */
async function attack(storage: MisasStorage, raw: RawAccess): Promise<void> {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, snapshots: storage.snapshots, snapshotEvery: 1, clock, ids: seededUlidGenerator(3, clock) });
  const commands: CaseCommandInput[] = [
    { type: 'ReceiveReferral', caseId: 'case-1', commandId: 'r', actor: { role: 'detector', id: 'det-1' }, data: { fundId: 'cpam-22', form: sampleInternalForm({ comments: 'Appeler le soir' }) } },
    { type: 'AddNote', caseId: 'case-1', commandId: 'n', actor, data: { text: 'Parle mal français' } },
    { type: 'RectifyPersonalData', caseId: 'case-1', commandId: 'rect', actor, data: { person: { lastName: 'Kerhervé', phone: '0612345678' } } },
    { type: 'DeclineReferral', caseId: 'case-1', commandId: 'd', actor, data: { reason: 'not-relevant' } },
  ];
  const written: string[] = [];
  let subjectRef = '';
  let version = 0;
  for (const command of commands) {
    const result = await handler.execute(command);
    subjectRef = caseFileOf(result.state).subjectRef ?? subjectRef;
    version = result.state.version;
    written.push(...(await raw.rows()));
  }
  const key = await raw.key(subjectRef);
  const beforeErasure = await storage.snapshots?.read('case-1');
  // The rows are real snapshots of this case (so that the scan below can fail).
  expect(beforeErasure?.version).toBe(version);
  expect(written.length).toBeGreaterThanOrEqual(commands.length);
  expect(written.every((row) => row.includes(subjectRef))).toBe(true);

  await handler.execute({ type: 'ErasePersonalData', caseId: 'case-1', commandId: 'e', actor: { role: 'system', id: 'scheduler' }, data: { reason: 'retention-expired' } });
  written.push(...(await raw.rows()));
  expect(await raw.rows()).toEqual([]);
  expect(await storage.snapshots?.read('case-1')).toBeUndefined();
  for (const row of written) {
    for (const secret of secrets) expect(row, `a snapshot row holds ${secret}`).not.toContain(secret);
    for (const encoding of ['hex', 'base64'] as const) expect(row).not.toContain(key.toString(encoding));
  }

  // A slow writer puts back the snapshot it took before the erasure: the case still loads as erased.
  if (beforeErasure) await storage.snapshots?.write(beforeErasure);
  const loaded = await loadCase(storage.events, 'case-1', { snapshots: storage.snapshots });
  expect(loaded.commandIdsBefore).toBeDefined();
  expect(caseFileOf(loaded.state).personalDataErased).toBe(true);
}

describe.runIf(pgMissingInCi)('snapshot erasure attack on PostgreSQL in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe('attack: erasure against case snapshots', { timeout: 60_000 }, () => {
  describe('on SQLite', () => {
    let dir = '';
    let storage: SqliteStorage | undefined;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'misas-attack-snapshots-'));
    });
    afterEach(async () => {
      await storage?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('given a snapshot after every event, when the case is erased, then no snapshot row holds what the erasure removed', async () => {
      const path = join(dir, 'store.db');
      storage = await openSqliteStorage({ path });
      const reader = new DatabaseSync(path, { readOnly: true });
      try {
        await attack(storage, {
          rows: async () => reader.prepare('SELECT * FROM case_snapshots').all().map((row) => JSON.stringify(row)),
          key: async (subjectRef) => sqliteSubjectKey(path, subjectRef),
        });
      } finally {
        reader.close();
      }
    });
  });

  describe.runIf(pgUrl !== undefined)('on PostgreSQL', () => {
    it('given a snapshot after every event, when the case is erased, then no snapshot row holds what the erasure removed', async () => {
      await withFreshStorage('snapshot_erasure', (storage) =>
        attack(storage, {
          rows: () =>
            withAdminClient(async (client) => {
              const result = await client.query<{ row: unknown }>(`SELECT row_to_json(s)::text AS row FROM ${qualified(storage.schema, 'case_snapshots')} s`);
              return result.rows.map((row) => String(row.row));
            }),
          key: (subjectRef) => postgresSubjectKey(storage.schema, subjectRef),
        }),
      );
    });
  });
});
