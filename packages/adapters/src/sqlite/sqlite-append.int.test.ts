import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, type NewEvent } from '@misas/core';
import { conformanceEvents, withFingerprint } from '@misas/core/testing';
import { configure, connect } from './connection.ts';
import { openSqliteStorage } from './index.ts';
import { migrate, sqliteMigrations } from './migrations.ts';

const now = () => new Date('2026-01-05T09:00:00.000Z');
const [fingerprintA, fingerprintB] = ['a'.repeat(64), 'b'.repeat(64)];

function rowsOf(path: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

describe('SQLite appends', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-append-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given a version-4 file holding a two-event command, when it is migrated, then its command ids are checked by the new unique index', async () => {
    const path = join(dir, 'v4.db');
    const old = connect({ path, busyTimeoutMs: 1000, synchronous: 'full' });
    configure(old, { path, busyTimeoutMs: 1000, synchronous: 'full' });
    await migrate(old, { path, now, migrations: sqliteMigrations.slice(0, 4) });
    const insert = old.prepare('INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const stored = [...withFingerprint(conformanceEvents('k', 'first', 0, 2), fingerprintA), ...conformanceEvents('k', 'second', 2, 1)];
    for (const event of stored) {
      insert.run('k', event.meta.version, event.type, JSON.stringify(event.data), JSON.stringify(event.meta), event.meta.eventId, event.meta.commandId);
    }
    old.close();

    const storage = await openSqliteStorage({ path });
    try {
      // The first event of each command carries the entry of the unique index; the old index is gone.
      expect(rowsOf(path, 'SELECT version, first_of_command FROM events ORDER BY version')).toEqual([
        { version: 1, first_of_command: 1 },
        { version: 2, first_of_command: 0 },
        { version: 3, first_of_command: 1 },
      ]);
      const [index] = rowsOf(path, "SELECT sql FROM sqlite_schema WHERE name = 'events_by_command'");
      expect(index?.['sql']).toMatch(/CREATE UNIQUE INDEX events_by_command ON events \(stream_id, command_id\) WHERE first_of_command = 1/);

      // A command stored before the migration: its retry is a duplicate, even sent at the current version.
      const retry = await storage.events.append({ streamId: 'k', expectedVersion: 3, commandId: 'first', events: withFingerprint(conformanceEvents('k', 'first', 3, 2), fingerprintA) });
      expect(retry.status).toBe('duplicate');
      expect(retry.events.map((event) => (event.meta as { eventId: string }).eventId)).toEqual(stored.slice(0, 2).map((event) => event.meta.eventId));
      // … and its id sent with another command is refused.
      const reuse = storage.events.append({ streamId: 'k', expectedVersion: 3, commandId: 'first', events: withFingerprint(conformanceEvents('k', 'first', 3, 1), fingerprintB) });
      await expect(reuse).rejects.toMatchObject({ code: 'command-id-reused' });
      // New commands append after the old ones.
      const next = await storage.events.append({ streamId: 'k', expectedVersion: 3, commandId: 'third', events: conformanceEvents('k', 'third', 3, 2) });
      expect(next).toMatchObject({ status: 'appended', streamVersion: 5 });
      expect(rowsOf(path, 'SELECT version, first_of_command FROM events WHERE version > 3 ORDER BY version')).toEqual([
        { version: 4, first_of_command: 1 },
        { version: 5, first_of_command: 0 },
      ]);
    } finally {
      await storage.close();
    }
  });

  it('given a stream at version 2, when an append claims version 3, then it is a conflict naming the real version and nothing is stored', async () => {
    const storage = await openSqliteStorage({ path: join(dir, 'ahead.db') });
    try {
      await storage.events.append({ streamId: 'a', expectedVersion: 0, commandId: 'c1', events: conformanceEvents('a', 'c1', 0, 2) });
      const ahead = storage.events.append({ streamId: 'a', expectedVersion: 3, commandId: 'c2', events: conformanceEvents('a', 'c2', 3, 1) });
      await expect(ahead).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(ahead).rejects.toMatchObject({ expectedVersion: 3, actualVersion: 2 });
      // A new stream claimed at a later version is refused the same way.
      await expect(storage.events.append({ streamId: 'b', expectedVersion: 1, commandId: 'c3', events: conformanceEvents('b', 'c3', 1, 1) })).rejects.toMatchObject({ actualVersion: 0 });
      expect(await storage.events.headPosition()).toBe(2);
    } finally {
      await storage.close();
    }
  });

  it('given an append whose second event id is stored in another stream, when it runs, then it is refused whole, in a write batch too', async () => {
    const storage = await openSqliteStorage({ path: join(dir, 'partial.db') });
    try {
      const [taken] = conformanceEvents('x', 'c1', 0, 1);
      await storage.events.append({ streamId: 'x', expectedVersion: 0, commandId: 'c1', events: [taken!] });
      const [fresh, second] = conformanceEvents('y', 'c2', 0, 2);
      const clash: NewEvent[] = [fresh!, { ...second!, meta: { ...second!.meta, eventId: taken!.meta.eventId } }];
      await expect(storage.events.append({ streamId: 'y', expectedVersion: 0, commandId: 'c2', events: clash })).rejects.toMatchObject({ code: 'duplicate-event-id' });
      // Inside a batch, the refused append is undone and the batch's other appends stay.
      await storage.writeBatch(async () => {
        await expect(storage.events.append({ streamId: 'y', expectedVersion: 0, commandId: 'c2', events: clash })).rejects.toMatchObject({ code: 'duplicate-event-id' });
        await storage.events.append({ streamId: 'z', expectedVersion: 0, commandId: 'c3', events: conformanceEvents('z', 'c3', 0, 1) });
      });
      expect(await storage.events.readStream('y')).toEqual([]);
      expect((await storage.events.readAll()).map((event) => (event.meta as { caseId: string }).caseId)).toEqual(['x', 'z']);
    } finally {
      await storage.close();
    }
  });

  it('given events, when appended, then the result holds them as their schemas read them (not parsed again from the stored text) and equal to a later read', async () => {
    const storage = await openSqliteStorage({ path: join(dir, 'result.db') });
    try {
      // An optional member given as undefined: JSON drops it, and the result must be what a later read gives.
      const events = conformanceEvents('p', 'c1', 0, 2, (index) => ({ minutes: index + 1, activity: 'follow-up', strand: undefined }));
      const result = await storage.events.append({ streamId: 'p', expectedVersion: 0, commandId: 'c1', events });
      const read = (await storage.events.readStream('p')).map(({ type, data, meta }) => ({ type, data, meta }));
      expect(read.map((event) => event.data)).toEqual([{ minutes: 1, activity: 'follow-up' }, { minutes: 2, activity: 'follow-up' }]);
      expect(result.events).toStrictEqual(read);
      expect(result.events[0]?.data).not.toBe(events[0]?.data);
    } finally {
      await storage.close();
    }
  });
});
