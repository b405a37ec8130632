import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseCommandHandler, caseFileOf, CommandRejectedError, seededUlidGenerator, VirtualClock, type CaseCommandInput } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { openSqliteStorage, type SqliteStorage } from './index.ts';

const actor = { role: 'counsellor', id: 'counsellor-1' } as const;

const receive = (caseId: string): CaseCommandInput => ({
  type: 'ReceiveReferral',
  caseId,
  commandId: `${caseId}/receive`,
  actor: { role: 'detector', id: 'det-1' },
  data: { fundId: 'cpam-22', form: sampleExternalForm() },
});

const logTime = (caseId: string, commandId: string): CaseCommandInput => ({
  type: 'LogTime',
  caseId,
  commandId,
  actor,
  data: { minutes: 10, activity: 'paperwork' },
});

/** Counts the rows of a table through a connection of its own, as another process would. */
function countFromOutside(path: string, table: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get();
    return Number(row?.['n']);
  } finally {
    db.close();
  }
}

describe('SQLite write batches (group commit)', () => {
  let dir = '';
  let path = '';
  let storage: SqliteStorage;
  let handler: CaseCommandHandler;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-batch-'));
    path = join(dir, 'cases.db');
    storage = await openSqliteStorage({ path });
    const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
    handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids: seededUlidGenerator(7, clock) });
  });
  afterEach(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('given commands in a batch, then nobody outside sees them until the batch commits, and then sees them all', async () => {
    const seenInside = await storage.writeBatch(async () => {
      for (const caseId of ['case-1', 'case-2']) {
        await handler.execute(receive(caseId));
        await handler.execute(logTime(caseId, `${caseId}/log`));
      }
      return { events: countFromOutside(path, 'events'), vault: countFromOutside(path, 'vault_entries') };
    });
    expect(seenInside).toEqual({ events: 0, vault: 0 });
    expect(countFromOutside(path, 'events')).toBe(4);
    expect(countFromOutside(path, 'vault_entries')).toBe(2);
  });

  it('given a batch that throws, then everything it wrote is gone — events and vault entries — and the storage works on', async () => {
    await handler.execute(receive('case-0'));
    await expect(
      storage.writeBatch(async () => {
        await handler.execute(receive('case-1'));
        await handler.execute(logTime('case-0', 'case-0/log'));
        throw new Error('the import failed half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(countFromOutside(path, 'events')).toBe(1);
    expect(countFromOutside(path, 'vault_entries')).toBe(1);
    // The handler kept case-0 at version 2, which the store no longer holds: it must notice, not skip.
    const retried = await handler.execute(logTime('case-0', 'case-0/log'));
    expect(retried.outcome).toBe('applied');
    expect(retried.events[0]?.meta.version).toBe(2);
  });

  it('given a refused command inside a batch, then only that command is left out', async () => {
    await storage.writeBatch(async () => {
      await handler.execute(receive('case-1'));
      const refused = handler.execute({ type: 'AgreePlan', caseId: 'case-1', commandId: 'case-1/agree', actor, data: {} });
      await expect(refused).rejects.toBeInstanceOf(CommandRejectedError);
      await handler.execute(logTime('case-1', 'case-1/log'));
    });
    expect(countFromOutside(path, 'events')).toBe(2);
  });

  it('given projection transactions inside a batch, then they commit with it', async () => {
    await storage.writeBatch(async () => {
      await handler.execute(receive('case-1'));
      await storage.projections.transaction(async (tx) => {
        await tx.put('things', 'a', { seen: (await storage.events.headPosition()) > 0 });
        await tx.saveCheckpoint('things', 1);
      });
    });
    expect(await storage.projections.get('things', 'a')).toEqual({ seen: true });
    expect(countFromOutside(path, 'read_models')).toBeGreaterThan(0);
  });

  it('given an erasure inside a batch, then the log is checkpointed once the batch commits', async () => {
    const result = await handler.execute(receive('case-1'));
    const subjectRef = caseFileOf(result.state).subjectRef ?? '';
    await storage.writeBatch(async () => {
      await storage.vault.shred(subjectRef);
      expect(storage.vault.lastCheckpoint).toBeUndefined();
    });
    expect(storage.vault.lastCheckpoint?.busy).toBe(false);
    expect(await storage.vault.get(subjectRef, 'referral')).toEqual({ status: 'erased' });
  });

  it('refuses a batch inside a batch', async () => {
    await storage.writeBatch(async () => {
      await expect(storage.writeBatch(async () => undefined)).rejects.toThrow(/batch/);
    });
  });
});
