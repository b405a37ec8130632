/**
 * The limits on PostgreSQL, with a bare `pg.Client` and named (prepared) statements: what the
 * server itself must do, with no checks, no sequencer, no library.
 */
import type { AppendRequest } from '@misas/core';
import pg from 'pg';

/** One bare connection to the benchmark's server. */
export async function rawClient(serverUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  return client;
}

/**
 * One single-statement `INSERT` per event, in autocommit (its own transaction, flushed at commit
 * like ours), of the columns our append writes, into `schema`'s `events` (made by the library's
 * migrations). Returns the milliseconds.
 */
export async function insertEach(client: pg.Client, schema: string, appends: readonly AppendRequest[]): Promise<number> {
  const text = `INSERT INTO ${pg.escapeIdentifier(schema)}.events (stream_id, version, event_id, command_id, type, data, meta)
                VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`;
  const name = `raw_insert_${schema}`;
  const started = performance.now();
  for (const request of appends) {
    for (const event of request.events) {
      await client.query({
        name,
        text,
        values: [request.streamId, event.meta.version, event.meta.eventId, request.commandId, event.type, JSON.stringify(event.data), JSON.stringify(event.meta)],
      });
    }
  }
  return performance.now() - started;
}

/** The whole log in position order, `page` rows at a time, keyset on the position. Returns the milliseconds and the rows read. */
export async function keysetRead(client: pg.Client, schema: string, page: number): Promise<{ ms: number; rows: number }> {
  const text = `SELECT position, type, data, meta FROM ${pg.escapeIdentifier(schema)}.events WHERE position > $1 ORDER BY position LIMIT $2`;
  const name = `raw_keyset_${schema}`;
  const started = performance.now();
  let after = 0;
  let rows = 0;
  for (;;) {
    const result = await client.query<Record<string, unknown>>({ name, text, values: [after, page] });
    rows += result.rows.length;
    const last = result.rows.at(-1)?.['position'];
    if (result.rows.length < page || last === undefined) break;
    after = Number(last);
  }
  return { ms: performance.now() - started, rows };
}

/** Each stream read in version order, one query per stream. Returns the milliseconds and the events read. */
export async function streamReads(client: pg.Client, schema: string, streams: readonly string[]): Promise<{ ms: number; rows: number }> {
  const text = `SELECT type, data, meta FROM ${pg.escapeIdentifier(schema)}.events WHERE stream_id = $1 AND version >= $2 ORDER BY version`;
  const name = `raw_stream_${schema}`;
  const started = performance.now();
  let rows = 0;
  for (const streamId of streams) rows += (await client.query({ name, text, values: [streamId, 1] })).rows.length;
  return { ms: performance.now() - started, rows };
}
