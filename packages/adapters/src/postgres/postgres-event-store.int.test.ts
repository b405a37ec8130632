import { describe, expect, it } from 'vitest';
import { ConcurrencyError, MisasError, type AppendRequest, type EventMetadata } from '@misas/core';
import { conformanceEvents } from '@misas/core/testing';
import pg from 'pg';
import { appendWithin } from './event-store.ts';
import type { PostgresStorage } from './index.ts';
import { pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withFreshStorage } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL event store races in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

/**
 * Holds `first` open in a transaction of its own, starts `second` through the store (whose insert
 * then waits on the unique indexes), commits `first`, and returns how `second` ended.
 */
async function raceAgainstOpenAppend(storage: PostgresStorage, first: AppendRequest, second: AppendRequest): Promise<unknown> {
  const holder = new pg.Client({ connectionString: requirePgUrl() });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await appendWithin(holder, storage.schema, first);
    const racing = storage.events.append(second).then(
      (result) => result,
      (error: unknown) => error,
    );
    // Let the second append run its checks (which cannot see `first`) and block on its insert.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.query('COMMIT');
    return await racing;
  } finally {
    await holder.end();
  }
}

const eventIds = (events: readonly { meta: unknown }[]) => events.map((event) => (event.meta as EventMetadata).eventId);

describe.skipIf(!pgUrl)('PostgreSQL event store, appends that race an uncommitted one', { timeout: 30_000 }, () => {
  it('given an append to the same stream version in flight, when it commits first, then ours fails with ConcurrencyError and writes nothing', async () => {
    await withFreshStorage('races', async (storage) => {
      const outcome = await raceAgainstOpenAppend(
        storage,
        { streamId: 's', expectedVersion: 0, commandId: 'first', events: conformanceEvents('s', 'first', 0, 2) },
        { streamId: 's', expectedVersion: 0, commandId: 'second', events: conformanceEvents('s', 'second', 0, 3) },
      );
      expect(outcome).toBeInstanceOf(ConcurrencyError);
      expect(outcome).toMatchObject({ streamId: 's', expectedVersion: 0, actualVersion: 2 });
      expect((await storage.events.readStream('s')).map((event) => (event.meta as EventMetadata).commandId)).toEqual(['first', 'first']);
      expect(await storage.events.headPosition()).toBe(2);
    });
  });

  it('given the same command (same event ids) in flight, when it commits first, then the retry is a duplicate returning the stored events', async () => {
    await withFreshStorage('races', async (storage) => {
      const request: AppendRequest = { streamId: 's', expectedVersion: 0, commandId: 'same', events: conformanceEvents('s', 'same', 0, 2) };
      const outcome = await raceAgainstOpenAppend(storage, request, request);
      expect(outcome).toMatchObject({ status: 'duplicate', streamVersion: 2 });
      expect(eventIds((outcome as { events: readonly { meta: unknown }[] }).events)).toEqual(eventIds(request.events));
      expect(await storage.events.headPosition()).toBe(2);
    });
  });

  it('given some of our event ids in flight in another stream, when that commits first, then ours is refused as a partial duplicate', async () => {
    await withFreshStorage('races', async (storage) => {
      const theirs = conformanceEvents('a', 'x', 0, 1);
      const ours = [...theirs.map((event) => ({ ...event, meta: { ...event.meta, caseId: 'b', commandId: 'y' } })), ...conformanceEvents('b', 'y', 1, 1)];
      const outcome = await raceAgainstOpenAppend(
        storage,
        { streamId: 'a', expectedVersion: 0, commandId: 'x', events: theirs },
        { streamId: 'b', expectedVersion: 0, commandId: 'y', events: ours },
      );
      expect(outcome).toBeInstanceOf(MisasError);
      expect(outcome).toMatchObject({ code: 'duplicate-event-id' });
      expect(await storage.events.readStream('b')).toEqual([]);
    });
  });

  it('given an event whose data is not JSON, then the append is refused before anything is written', async () => {
    await withFreshStorage('races', async (storage) => {
      const events = conformanceEvents('j', 'c', 0, 1, () => undefined);
      // Its schema refuses it first (an object is expected).
      await expect(storage.events.append({ streamId: 'j', expectedVersion: 0, commandId: 'c', events })).rejects.toMatchObject({ code: 'validation-failed' });
      expect(await storage.events.headPosition()).toBe(0);
    });
  });
});
