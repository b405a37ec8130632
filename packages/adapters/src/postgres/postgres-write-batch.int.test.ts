import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseCommandHandler, ConcurrencyError, seededUlidGenerator, VirtualClock, type CaseCommandInput } from '@misas/core';
import { conformanceEvents, sampleExternalForm } from '@misas/core/testing';
import { identifier } from './connection.ts';
import { openPostgresStorage, type PostgresStorage } from './index.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withAdminClient } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL write batches in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

const actor = { role: 'counsellor', id: 'counsellor-1' } as const;

const receive = (caseId: string): CaseCommandInput => ({
  type: 'ReceiveReferral',
  caseId,
  commandId: `${caseId}/receive`,
  actor: { role: 'detector', id: 'det-1' },
  data: { fundId: 'cpam-22', form: sampleExternalForm() },
});

const logTime = (caseId: string, commandId: string): CaseCommandInput => ({ type: 'LogTime', caseId, commandId, actor, data: { minutes: 10, activity: 'paperwork' } });

describe.skipIf(!pgUrl)('PostgreSQL write batches (group commit)', { timeout: 60_000 }, () => {
  let schema = '';
  let storage: PostgresStorage;
  let handler: CaseCommandHandler;

  /** Rows of a table, counted on a connection of its own, as another process would. */
  const countFromOutside = (table: string) =>
    withAdminClient(async (client) => {
      const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${identifier(schema)}.${identifier(table)}`);
      return result.rows[0]?.n;
    });

  beforeEach(async () => {
    schema = freshSchemaName('batch');
    storage = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
    const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
    handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids: seededUlidGenerator(7, clock) });
  });
  afterEach(async () => {
    await storage.close();
    await dropSchema(schema);
  });

  it('given commands in a batch, then nobody outside sees them until the batch commits, and then sees them all, numbered', async () => {
    const seenInside = await storage.writeBatch(async () => {
      for (const caseId of ['case-1', 'case-2']) {
        await handler.execute(receive(caseId));
        await handler.execute(logTime(caseId, `${caseId}/log`));
      }
      return { events: await countFromOutside('events'), vault: await countFromOutside('vault_entries') };
    });
    expect(seenInside).toEqual({ events: 0, vault: 0 });
    expect(await countFromOutside('events')).toBe(4);
    expect(await countFromOutside('vault_entries')).toBe(2);
    expect((await storage.events.readAll()).map((event) => event.position)).toEqual([1, 2, 3, 4]);
  });

  it('given a batch that throws, then its commands’ events and entries are gone and the handler notices the versions it lost', async () => {
    await handler.execute(receive('case-0'));
    await expect(
      storage.writeBatch(async () => {
        await handler.execute(receive('case-1'));
        await handler.execute(logTime('case-0', 'case-0/log'));
        throw new Error('the import failed half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(await countFromOutside('events')).toBe(1);
    expect(await countFromOutside('vault_entries')).toBe(1);
    const retried = await handler.execute(logTime('case-0', 'case-0/log'));
    expect(retried.outcome).toBe('applied');
    expect(retried.events[0]?.meta.version).toBe(2);
  });

  it('given another process appending to a stream the batch wrote, then it waits for the batch and is told of the conflict', async () => {
    const other = await openPostgresStorage({ connectionString: requirePgUrl(), schema });
    try {
      let otherSettled = false;
      let contender: Promise<unknown> = Promise.resolve();
      await storage.writeBatch(async () => {
        await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'mine', events: conformanceEvents('s', 'mine', 0, 1) });
        contender = other.events.append({ streamId: 's', expectedVersion: 0, commandId: 'theirs', events: conformanceEvents('s', 'theirs', 0, 1) });
        contender.then(
          () => (otherSettled = true),
          () => (otherSettled = true),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Still waiting on the batch's uncommitted row of the same stream version.
        expect(otherSettled).toBe(false);
      });
      await expect(contender).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await storage.events.readStream('s')).map((event) => (event.meta as { commandId: string }).commandId)).toEqual(['mine']);
    } finally {
      await other.close();
    }
  });
});
