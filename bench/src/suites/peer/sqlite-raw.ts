/**
 * The limits on SQLite, with bare `node:sqlite` on a file made by the library (same schema, WAL)
 * and the same durability (`synchronous = FULL`): what SQLite itself must do.
 */
import { DatabaseSync } from 'node:sqlite';
import type { AppendRequest } from '@misas/core';

/**
 * One single-statement `INSERT` per event, in autocommit (its own transaction, synced at commit
 * like ours), of the columns our append writes. Returns the milliseconds.
 */
export function insertEach(path: string, appends: readonly AppendRequest[]): number {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA synchronous = FULL');
    const insert = db.prepare('INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const started = performance.now();
    for (const request of appends) {
      for (const event of request.events) {
        insert.run(request.streamId, event.meta.version, event.type, JSON.stringify(event.data), JSON.stringify(event.meta), event.meta.eventId, request.commandId);
      }
    }
    return performance.now() - started;
  } finally {
    db.close();
  }
}

/** The whole log in position order, `page` rows at a time, keyset on the position, JSON parsed as ours does. */
export function keysetRead(path: string, page: number): { ms: number; rows: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const select = db.prepare('SELECT position, type, data, meta FROM events WHERE position > ? ORDER BY position LIMIT ?');
    const started = performance.now();
    let after = 0;
    let rows = 0;
    for (;;) {
      const found = select.all(after, page);
      for (const row of found) parseRow(row);
      rows += found.length;
      const last = found.at(-1)?.['position'];
      if (found.length < page || last === undefined) break;
      after = Number(last);
    }
    return { ms: performance.now() - started, rows };
  } finally {
    db.close();
  }
}

/** Each stream read in version order, one query per stream, JSON parsed. */
export function streamReads(path: string, streams: readonly string[]): { ms: number; rows: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const select = db.prepare('SELECT type, data, meta FROM events WHERE stream_id = ? AND version >= ? ORDER BY version');
    const started = performance.now();
    let rows = 0;
    for (const streamId of streams) {
      const found = select.all(streamId, 1);
      for (const row of found) parseRow(row);
      rows += found.length;
    }
    return { ms: performance.now() - started, rows };
  } finally {
    db.close();
  }
}

function parseRow(row: Record<string, unknown>): unknown {
  const { data, meta } = row;
  if (typeof data !== 'string' || typeof meta !== 'string') throw new Error('events.data and events.meta should be text');
  return [JSON.parse(data), JSON.parse(meta)];
}
