/**
 * Tampering with a stored event behind misas's back, as someone with write access to the database
 * could: raw SQL on the `events` table of a SQLite file or a PostgreSQL schema.
 */
import { DatabaseSync } from 'node:sqlite';
import { withAdminClient } from '../../../adapters/src/postgres/test-kit.ts';
import type { AttackStore } from './attack-kit.ts';

/** How to change an event's stored payload. */
export type Tampering =
  /** Replace it with this JSON text. */
  | { readonly replaceWith: string }
  /** Add this key (a JSON value) at its top level, or in its object `under`, leaving the rest as it was. */
  | { readonly addKey: string; readonly value: string; readonly under?: string };

/** The schema a PostgreSQL test URL names (`?schema=`). */
function schemaOf(url: string): string {
  const schema = new URL(url).searchParams.get('schema');
  if (schema === null || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`no plain ?schema= in ${url}`);
  return schema;
}

/** A SQLite JSON path to the key a tampering adds, after the `$`. */
function pathOf(tampering: { readonly addKey: string; readonly under?: string }): string {
  return `${tampering.under === undefined ? '' : `."${tampering.under}"`}."${tampering.addKey}"`;
}

/** Changes the payload of version `version` of `caseId` in `store`, with raw SQL; fails unless exactly one row changed. */
export async function tamperPayload(store: AttackStore, caseId: string, version: number, tampering: Tampering): Promise<void> {
  if (store.kind === 'sqlite') {
    const db = new DatabaseSync(store.url.slice('sqlite:'.length));
    try {
      const change =
        'replaceWith' in tampering
          ? db.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND version = ?').run(tampering.replaceWith, caseId, version)
          : db.prepare('UPDATE events SET data = json_set(data, ?, json(?)) WHERE stream_id = ? AND version = ?').run(`$${pathOf(tampering)}`, tampering.value, caseId, version);
      if (change.changes !== 1) throw new Error(`tampering changed ${change.changes} rows`);
    } finally {
      db.close();
    }
    return;
  }
  const events = `"${schemaOf(store.url)}".events`;
  const result = await withAdminClient((client) =>
    'replaceWith' in tampering
      ? client.query(`UPDATE ${events} SET data = $1::jsonb WHERE stream_id = $2 AND version = $3`, [tampering.replaceWith, caseId, version])
      : client.query(`UPDATE ${events} SET data = jsonb_set(data, $1::text[], $2::jsonb) WHERE stream_id = $3 AND version = $4`, [
          tampering.under === undefined ? [tampering.addKey] : [tampering.under, tampering.addKey],
          tampering.value,
          caseId,
          version,
        ]),
  );
  if (result.rowCount !== 1) throw new Error(`tampering changed ${result.rowCount} rows`);
}
