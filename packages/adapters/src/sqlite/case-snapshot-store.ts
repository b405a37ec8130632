/**
 * Case snapshots in SQLite (table `case_snapshots`, migration 5): one row per stream, replaced
 * only by a snapshot of the same or a higher version. Read back as stored; the caller validates.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CaseSnapshotStore, StoredCaseSnapshot } from '@misas/core';
import { immediate } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import { integer, text } from './rows.ts';

/** `CaseSnapshotStore` on a SQLite connection; see the port for the guarantees. */
export class SqliteCaseSnapshotStore implements CaseSnapshotStore {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #read: StatementSync;
  readonly #write: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync, gate: ConnectionGate) {
    this.#db = db;
    this.#gate = gate;
    this.#read = db.prepare('SELECT version, event_id, data FROM case_snapshots WHERE stream_id = ?');
    this.#write = db.prepare(
      `INSERT INTO case_snapshots (stream_id, version, event_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, event_id = excluded.event_id, data = excluded.data
       WHERE excluded.version >= case_snapshots.version`,
    );
    this.#delete = db.prepare('DELETE FROM case_snapshots WHERE stream_id = ?');
  }

  async read(streamId: string): Promise<StoredCaseSnapshot | undefined> {
    return this.#gate.read(() => {
      const row = this.#read.get(streamId);
      if (row === undefined) return undefined;
      return { streamId, version: integer(row, 'version'), eventId: text(row, 'event_id'), data: parseOrUndefined(text(row, 'data')) };
    });
  }

  async write(snapshot: StoredCaseSnapshot): Promise<void> {
    const data = JSON.stringify(snapshot.data);
    await this.#gate.write(() => immediate(this.#db, () => this.#write.run(snapshot.streamId, snapshot.version, snapshot.eventId, data)));
  }

  async delete(streamId: string): Promise<void> {
    await this.#gate.write(() => immediate(this.#db, () => this.#delete.run(streamId)));
  }
}

/** A row that is not JSON (a damaged file) reads as no data: the snapshot is then not trusted. */
function parseOrUndefined(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
