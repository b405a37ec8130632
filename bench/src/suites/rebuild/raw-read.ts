/**
 * The limit of a rebuild from SQLite: reading the log with `node:sqlite` directly and parsing each
 * event's JSON — what any projection of the log must at least do, with nothing of misas in the way.
 */
import { DatabaseSync } from 'node:sqlite';

/**
 * Reads every event of the file's log, `batchSize` rows per query as the engine reads them, and
 * parses `data` and `meta`. Returns the events read and a checksum that keeps the parse alive.
 */
export function rawReadAndParse(path: string, batchSize: number): { readonly events: number; readonly checksum: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const page = db.prepare('SELECT position, type, data, meta FROM events WHERE position > ? ORDER BY position LIMIT ?');
    let after = 0;
    let events = 0;
    let checksum = 0;
    for (;;) {
      const rows = page.all(after, batchSize);
      for (const row of rows) {
        const { position, type, data, meta } = row;
        if (typeof position !== 'number' || typeof type !== 'string' || typeof data !== 'string' || typeof meta !== 'string') {
          throw new Error('rebuild: unexpected row in the events table');
        }
        const parsed: unknown = JSON.parse(data);
        const metadata: unknown = JSON.parse(meta);
        checksum += type.length + (parsed === null ? 0 : 1) + (metadata === null ? 0 : 1);
        after = position;
        events++;
      }
      if (rows.length < batchSize) return { events, checksum };
    }
  } finally {
    db.close();
  }
}
