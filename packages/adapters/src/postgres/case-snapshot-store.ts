/**
 * Case snapshots on PostgreSQL (table `case_snapshots`, migration 4): one row per stream, replaced
 * only by a snapshot of the same or a higher version — one upsert, so two writers racing on a
 * case leave the newer snapshot. Read back as stored; the caller validates.
 */
import type { CaseSnapshotStore, StoredCaseSnapshot } from '@misas/core';
import type pg from 'pg';
import { qualified } from './connection.ts';
import { execute, integer, json, query, text } from './rows.ts';

/** The case snapshots of one schema. */
export class PostgresCaseSnapshotStore implements CaseSnapshotStore {
  readonly #pool: pg.Pool;
  readonly #table: string;

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#table = qualified(schema, 'case_snapshots');
  }

  async read(streamId: string): Promise<StoredCaseSnapshot | undefined> {
    const [row] = await query(this.#pool, `SELECT version, event_id, data FROM ${this.#table} WHERE stream_id = $1`, [streamId]);
    return row === undefined ? undefined : { streamId, version: integer(row, 'version'), eventId: text(row, 'event_id'), data: json(row, 'data') };
  }

  async write(snapshot: StoredCaseSnapshot): Promise<void> {
    await execute(
      this.#pool,
      `INSERT INTO ${this.#table} AS s (stream_id, version, event_id, data) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, event_id = EXCLUDED.event_id, data = EXCLUDED.data
       WHERE EXCLUDED.version >= s.version`,
      [snapshot.streamId, snapshot.version, snapshot.eventId, JSON.stringify(snapshot.data)],
    );
  }

  async delete(streamId: string): Promise<void> {
    await execute(this.#pool, `DELETE FROM ${this.#table} WHERE stream_id = $1`, [streamId]);
  }
}
