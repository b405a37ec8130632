/**
 * The limit, inside a writer process: the very rows our side wrote for this writer's cases,
 * inserted raw with one `pg.Client` — per command, `BEGIN`, one parameterised `INSERT` per event
 * (the columns an append writes), `COMMIT` — into a schema made by the same migrations, so with
 * the same indexes and constraints. Same rows, same transaction sizes, same order: what storing
 * them costs at the least, with nothing of the library around it.
 */
import pg from 'pg';
import type { LimitJob } from './protocol.ts';
import type { PreparedJob } from './ours-writer.ts';
import { casesOf } from './workload.ts';

/** One stored event, as its columns (JSON as text: it goes back in as it came out). */
interface EventRow {
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly commandId: string;
  readonly type: string;
  readonly data: string;
  readonly meta: string;
}

function stringColumn(row: Readonly<Record<string, unknown>>, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`events.${column}: expected text, got ${typeof value}`);
  return value;
}

function integerColumn(row: Readonly<Record<string, unknown>>, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`events.${column}: expected an integer, got ${typeof value}`);
  return value;
}

/** The rows in insert order, cut where the (stream, command) changes: one transaction each, as the appends were. */
function transactionsOf(rows: readonly EventRow[]): EventRow[][] {
  const transactions: EventRow[][] = [];
  let current: EventRow[] = [];
  for (const row of rows) {
    const last = current.at(-1);
    if (last && (last.streamId !== row.streamId || last.commandId !== row.commandId)) {
      transactions.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) transactions.push(current);
  return transactions;
}

/** Connects and loads this writer's rows from our side's schema (untimed); `run` inserts them. */
export async function prepareLimit(job: LimitJob): Promise<PreparedJob> {
  const streams = casesOf(job.shape, job.writer);
  const client = new pg.Client({ connectionString: job.serverUrl, application_name: 'misas-bench-limit' });
  await client.connect();
  try {
    const source = `${pg.escapeIdentifier(job.sourceSchema)}.events`;
    // `seq` is the insert order; a writer appends one command at a time, so its rows come in the
    // order it wrote them, each command's rows together.
    const result = await client.query<Record<string, unknown>>(
      `SELECT stream_id, version, event_id, command_id, type, data::text AS data, meta::text AS meta
       FROM ${source} WHERE stream_id = ANY($1::text[]) ORDER BY seq`,
      [streams],
    );
    const rows = result.rows.map((row) => ({
      streamId: stringColumn(row, 'stream_id'),
      version: integerColumn(row, 'version'),
      eventId: stringColumn(row, 'event_id'),
      commandId: stringColumn(row, 'command_id'),
      type: stringColumn(row, 'type'),
      data: stringColumn(row, 'data'),
      meta: stringColumn(row, 'meta'),
    }));
    const transactions = transactionsOf(rows);
    const insert = `INSERT INTO ${pg.escapeIdentifier(job.targetSchema)}.events (stream_id, version, event_id, command_id, type, data, meta)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)`;
    return {
      run: async () => {
        try {
          for (const transaction of transactions) {
            await client.query('BEGIN');
            for (const row of transaction) {
              await client.query(insert, [row.streamId, row.version, row.eventId, row.commandId, row.type, row.data, row.meta]);
            }
            await client.query('COMMIT');
          }
          return { transactions: transactions.length, events: rows.length, rejected: 0 };
        } finally {
          await client.end();
        }
      },
      abandon: () => client.end(),
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}
