import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformanceEvents } from '@misas/core/testing';
import { openSqliteStorage } from './index.ts';

/** Overwrites one column of the event at `position`, past the table's CHECK constraints (a damaged file). */
function damage(path: string, column: 'data' | 'meta', value: string, position: number): void {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA ignore_check_constraints = ON');
    db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(value, position);
  } finally {
    db.close();
  }
}

describe('the SQLite global read (rows as arrays)', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-read-all-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function logOfThree(path: string) {
    const storage = await openSqliteStorage({ path });
    await storage.events.append({ streamId: 'k', commandId: 'first', expectedVersion: 0, events: conformanceEvents('k', 'first', 0, 3) });
    return storage;
  }

  it('reads what the stream read reads, with positions, in position order', async () => {
    const storage = await logOfThree(join(dir, 'ok.db'));
    try {
      const all = await storage.events.readAll();
      const stream = await storage.events.readStream('k');
      expect(all).toEqual(stream);
      expect(all.map((event) => event.position)).toEqual([1, 2, 3]);
      expect(await storage.events.readAll({ after: 1, limit: 1 })).toEqual([stream[1]]);
    } finally {
      await storage.close();
    }
  });

  it.each([
    ['data', 'not json'],
    ['meta', '{'],
  ] as const)('given a row whose %s is not JSON, then the read fails with a corrupt-row error naming the column', async (column, value) => {
    const path = join(dir, `bad-${column}.db`);
    await (await logOfThree(path)).close();
    damage(path, column, value, 2);
    const storage = await openSqliteStorage({ path });
    try {
      await expect(storage.events.readAll()).rejects.toMatchObject({ code: 'corrupt-row', message: `SQLite column '${column}' does not hold valid JSON` });
      // The stream read, which keeps named columns, says the same.
      await expect(storage.events.readStream('k')).rejects.toMatchObject({ code: 'corrupt-row', message: `SQLite column '${column}' does not hold valid JSON` });
    } finally {
      await storage.close();
    }
  });
});
