import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  CaseCommandHandler,
  ConcurrencyError,
  type AppendRequest,
  type EventStore,
  type InlineProjector,
  type ProjectionTransaction,
} from '@misas/core';
import { conformanceEvents, sampleExternalForm } from '@misas/core/testing';
import pg from 'pg';
import { appendWithin } from './event-store.ts';
import { openPostgresStorage, type PostgresStorage } from './index.ts';
import { actor, summarise, runBatches, runWriter } from '../testing/inline-checks.ts';
import { pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withFreshStorage } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL inline appends in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

function appendWithOf(events: EventStore): NonNullable<EventStore['appendWith']> {
  const appendWith = events.appendWith?.bind(events);
  if (!appendWith) throw new Error('the PostgreSQL event store has no appendWith');
  return appendWith;
}

/** A second storage object on the same schema: its own pool, as another process would have. */
async function withSecondStorage<T>(first: PostgresStorage, work: (second: PostgresStorage) => Promise<T>): Promise<T> {
  const second = await openPostgresStorage({ connectionString: requirePgUrl(), schema: first.schema });
  try {
    return await work(second);
  } finally {
    await second.close();
  }
}

/**
 * Holds `first` open in a plain append's transaction, starts `second` as an inline append (whose
 * insert then waits on the unique indexes), commits `first`, and returns how `second` ended and
 * whether its inline work ran.
 */
async function raceInlineAgainstOpenAppend(storage: PostgresStorage, first: AppendRequest, second: AppendRequest): Promise<{ outcome: unknown; calls: number }> {
  const holder = new pg.Client({ connectionString: requirePgUrl() });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await appendWithin(holder, storage.schema, first);
    let calls = 0;
    const racing = appendWithOf(storage.events)(second, async (tx) => {
      calls++;
      await tx.put('inline', second.commandId, true);
    }).then(
      (result) => result,
      (error: unknown) => error,
    );
    // Let the inline append take the lock, run its checks (which cannot see `first`) and block on its insert.
    await sleep(300);
    await holder.query('COMMIT');
    return { outcome: await racing, calls };
  } finally {
    await holder.end();
  }
}

describe.skipIf(!pgUrl)('PostgreSQL storage, inline appends', { timeout: 60_000 }, () => {
  it('given two storage objects on one schema, when writers with an inline projection and projection batches run at once, then no update is lost', async () => {
    await withFreshStorage('inline', (a) =>
      withSecondStorage(a, async (b) => {
        const handler = (storage: PostgresStorage) => new CaseCommandHandler({ store: storage.events, vault: storage.vault, inline: summarise, maxAttempts: 50 });
        const cases = 3;
        const commands = 20;
        const batches = 15;

        await Promise.all([
          runWriter(handler(a), 'a', cases, commands),
          runWriter(handler(b), 'b', cases, commands),
          runBatches(a.projections, batches),
          runBatches(b.projections, batches),
        ]);

        const log = await a.events.readAll();
        expect(log.filter((event) => event.type === 'TimeSpentLogged')).toHaveLength(2 * commands);
        expect(await a.projections.get('totals', 'counts')).toEqual({ inline: log.length, batches: 2 * batches });
        for (let c = 0; c < cases; c++) {
          const stream = await a.events.readStream(`case-${c}`);
          expect(await a.projections.get('case-summary', `case-${c}`)).toEqual({ version: stream.length, lastType: stream.at(-1)?.type });
        }
        // Positions come from the sequencer after commit, as for any append.
        expect(log.map((event) => event.position)).toEqual(log.map((_, index) => index + 1));
      }),
    );
  });

  it('given a projection batch open on one connection, when an inline append starts on another, then it waits for the batch and builds on its write', async () => {
    await withFreshStorage('inline', (a) =>
      withSecondStorage(a, async (b) => {
        const counter = async (tx: ProjectionTransaction) => Number((await tx.get('totals', 'n')) ?? 0);
        let release = (): void => undefined;
        const released = new Promise<void>((resolve) => (release = resolve));
        let readByBatch = (): void => undefined;
        const batchHasRead = new Promise<void>((resolve) => (readByBatch = resolve));
        const batch = a.projections.transaction(async (tx) => {
          const n = await counter(tx);
          readByBatch();
          await released;
          await tx.put('totals', 'n', n + 1);
        });
        await batchHasRead;

        let settled = false;
        const inline = appendWithOf(b.events)({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 1) }, async (tx) => {
          await tx.put('totals', 'n', (await counter(tx)) + 10);
        }).finally(() => (settled = true));
        try {
          await sleep(300);
          expect(settled).toBe(false);
        } finally {
          // Even when the check fails: an unfinished batch would keep its client and hang close().
          release();
          await batch;
        }
        expect(await inline).toMatchObject({ status: 'appended', streamVersion: 1 });
        expect(await a.projections.get('totals', 'n')).toBe(11);
      }),
    );
  });

  it('given a plain append to the same stream version in flight, when it commits first, then the inline append fails with ConcurrencyError, runs no work and keeps nothing', async () => {
    await withFreshStorage('inline', async (storage) => {
      const { outcome, calls } = await raceInlineAgainstOpenAppend(
        storage,
        { streamId: 's', expectedVersion: 0, commandId: 'first', events: conformanceEvents('s', 'first', 0, 2) },
        { streamId: 's', expectedVersion: 0, commandId: 'second', events: conformanceEvents('s', 'second', 0, 1) },
      );
      expect(outcome).toBeInstanceOf(ConcurrencyError);
      expect(outcome).toMatchObject({ streamId: 's', expectedVersion: 0, actualVersion: 2 });
      expect(calls).toBe(0);
      expect(await storage.events.readStream('s')).toHaveLength(2);
      expect(await storage.projections.list('inline')).toEqual([]);
    });
  });

  it('given the same command in flight as a plain append, when it commits first, then the inline append is a duplicate and runs no work', async () => {
    await withFreshStorage('inline', async (storage) => {
      const request: AppendRequest = { streamId: 's', expectedVersion: 0, commandId: 'same', events: conformanceEvents('s', 'same', 0, 2) };
      const { outcome, calls } = await raceInlineAgainstOpenAppend(storage, request, request);
      expect(outcome).toMatchObject({ status: 'duplicate', streamVersion: 2 });
      expect(calls).toBe(0);
      expect(await storage.events.headPosition()).toBe(2);
      expect(await storage.projections.list('inline')).toEqual([]);
    });
  });

  it('when the inline projection throws, then the command fails and neither its events nor its read-model writes are kept', async () => {
    await withFreshStorage('inline', async (storage) => {
      const failing: InlineProjector = async (tx, caseEvents) => {
        await summarise(tx, caseEvents);
        if (caseEvents.at(-1)?.type === 'TimeSpentLogged') throw new Error('projection failed');
      };
      const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, inline: failing });
      await handler.execute({ type: 'ReceiveReferral', caseId: 'case-0', commandId: 'open', actor, data: { fundId: 'cpam-test', form: sampleExternalForm() } });

      await expect(
        handler.execute({ type: 'LogTime', caseId: 'case-0', commandId: 'log', actor, data: { minutes: 5, activity: 'follow-up' } }),
      ).rejects.toThrow(/projection failed/);

      expect(await storage.events.headPosition()).toBe(1);
      expect(await storage.projections.get('case-summary', 'case-0')).toEqual({ version: 1, lastType: 'ReferralReceived' });
      expect(await storage.projections.get('totals', 'counts')).toEqual({ inline: 1, batches: 0 });
    });
  });
});
