/**
 * The limit on SQLite: the event rows a run of ours wrote, inserted again with bare `node:sqlite`
 * into a fresh file of the same schema and settings, in the same transaction sizes. No checks, no
 * JSON work, no domain: only what the storage itself must do.
 */
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStorage } from '@misas/adapters/sqlite';

/** One row of the `events` table, as stored. */
export interface EventRow {
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly data: string;
  readonly meta: string;
  readonly eventId: string;
  readonly commandId: string;
  /** 1 on the first event of each append: its entry in the unique command-id index. */
  readonly firstOfCommand: number;
}

function textOf(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new Error(`events.${column} should be text`);
  return value;
}

/** The rows of a store's log, in position order. */
export function readEventRows(path: string): EventRow[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT stream_id, version, type, data, meta, event_id, command_id, first_of_command FROM events ORDER BY position').all().map((row) => ({
      streamId: textOf(row['stream_id'], 'stream_id'),
      version: Number(row['version']),
      type: textOf(row['type'], 'type'),
      data: textOf(row['data'], 'data'),
      meta: textOf(row['meta'], 'meta'),
      eventId: textOf(row['event_id'], 'event_id'),
      commandId: textOf(row['command_id'], 'command_id'),
      firstOfCommand: Number(row['first_of_command']),
    }));
  } finally {
    db.close();
  }
}

/** Consecutive rows with the same key, together: one group per transaction. */
export function consecutiveGroups<T>(rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups: T[][] = [];
  let key: string | undefined;
  for (const row of rows) {
    const next = keyOf(row);
    const last = groups.at(-1);
    if (last !== undefined && next === key) last.push(row);
    else groups.push([row]);
    key = next;
  }
  return groups;
}

/** An empty store file with misas's schema and settings (WAL), made by the adapter itself. */
export async function emptyStoreFile(path: string): Promise<void> {
  const storage = await openSqliteStorage({ path });
  await storage.close();
}

/**
 * Inserts the groups, one `BEGIN IMMEDIATE … COMMIT` per group, into `path` (made by
 * `emptyStoreFile`), with the durability misas uses by default (`synchronous = FULL`).
 * Returns the milliseconds it took.
 */
export function insertRaw(path: string, groups: readonly (readonly EventRow[])[]): number {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA synchronous = FULL');
    const insert = db.prepare(
      'INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id, first_of_command) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const started = performance.now();
    for (const group of groups) {
      db.exec('BEGIN IMMEDIATE');
      for (const row of group) insert.run(row.streamId, row.version, row.type, row.data, row.meta, row.eventId, row.commandId, row.firstOfCommand);
      db.exec('COMMIT');
    }
    return performance.now() - started;
  } finally {
    db.close();
  }
}
