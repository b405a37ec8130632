/**
 * What a store left on disk, byte for byte, for the erasure proofs: a SQLite database with its
 * companions, and the relation files of a PostgreSQL schema. Reading the files themselves (not
 * the tables through SQL) is the point: a deleted row, a dead tuple or an old WAL frame is
 * invisible to a query and still readable by whoever copies the disk. Test-only: not built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type pg from 'pg';
import { identifier, qualified } from '../postgres/connection.ts';
import { withAdminClient } from '../postgres/test-kit.ts';

/** One file as read from disk: a name to report, where it is, and its bytes. */
export interface RawFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: Buffer;
}

/** The names of the files in which `needle` occurs (a string is searched as its UTF-8 bytes). */
export function filesContaining(files: readonly RawFile[], needle: string | Buffer): string[] {
  const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
  return files.filter((file) => file.bytes.includes(bytes)).map((file) => file.name);
}

/** The SQLite database at `path` and whatever companions (`-wal`, `-shm`, `-journal`) exist now. */
export async function sqliteFiles(path: string): Promise<RawFile[]> {
  const dir = dirname(path);
  const files: RawFile[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith(basename(path))) files.push({ name, path: join(dir, name), bytes: await readFile(join(dir, name)) });
  }
  return files;
}

/** Runs `work` on a read-only connection of its own to the SQLite file (the storage may stay open). */
function withSqliteReader<T>(path: string, work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** The key bytes the SQLite vault stores for `subjectRef` (wrapped under the master key). */
export function sqliteSubjectKey(path: string, subjectRef: string): Buffer {
  return withSqliteReader(path, (db) => {
    const key = db.prepare('SELECT key FROM vault_keys WHERE subject_ref = ?').get(subjectRef)?.['key'];
    if (!(key instanceof Uint8Array) || key.length < 32) throw new Error(`no key stored for ${subjectRef}`);
    return Buffer.from(key);
  });
}

/** Every collection the SQLite read-model table holds (the projection port lists one collection at a time). */
export function sqliteCollections(path: string): string[] {
  return withSqliteReader(path, (db) =>
    db
      .prepare('SELECT DISTINCT collection FROM read_models ORDER BY collection')
      .all()
      .map((row) => String(row['collection'])),
  );
}

async function scalar(client: pg.Client, sql: string, values: unknown[] = []): Promise<string> {
  const result = await client.query<Record<string, unknown>>(sql, values);
  const value = Object.values(result.rows[0] ?? {})[0];
  if (typeof value !== 'string') throw new Error(`expected one text value from: ${sql}`);
  return value;
}

/** A relation's bytes: its main fork, every 1 GB segment of it. */
function relationBytes(path: string): Buffer {
  const parts = [readFileSync(path)];
  for (let segment = 1; existsSync(`${path}.${segment}`); segment++) parts.push(readFileSync(`${path}.${segment}`));
  return Buffer.concat(parts);
}

/**
 * The bytes of one table as they are on disk now, after a CHECKPOINT so that every dirty page has
 * been written. With `toast`, the table's TOAST relation is appended (large values live there).
 */
export async function postgresTableFile(schema: string, table: string, options: { toast?: boolean } = {}): Promise<{ path: string; bytes: Buffer }> {
  return withAdminClient(async (client) => {
    await client.query('CHECKPOINT');
    const dataDirectory = await scalar(client, 'SHOW data_directory');
    const relation = qualified(schema, table);
    const path = join(dataDirectory, await scalar(client, 'SELECT pg_relation_filepath($1::regclass) AS path', [relation]));
    const parts = [relationBytes(path)];
    if (options.toast) {
      const toast = await client.query<{ path: string | null }>(
        'SELECT pg_relation_filepath(reltoastrelid) AS path FROM pg_class WHERE oid = $1::regclass AND reltoastrelid <> 0',
        [relation],
      );
      const toastPath = toast.rows[0]?.path;
      if (toastPath) parts.push(relationBytes(join(dataDirectory, toastPath)));
    }
    return { path, bytes: Buffer.concat(parts) };
  });
}

/**
 * Every relation file of `schema` after a CHECKPOINT: each table, index and sequence, each
 * table's TOAST relation and the TOAST index. A new table or index added by a migration is
 * scanned without anyone having to list it here.
 */
export async function postgresRelationFiles(schema: string): Promise<RawFile[]> {
  return withAdminClient(async (client) => {
    await client.query('CHECKPOINT');
    const dataDirectory = await scalar(client, 'SHOW data_directory');
    const relations = await client.query<{ name: unknown; path: unknown }>(
      `WITH own AS (
         SELECT c.oid, c.relname, c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'i', 'S', 'm')
       ), toast AS (
         SELECT reltoastrelid AS oid, relname || ' (TOAST)' AS name FROM own WHERE reltoastrelid <> 0
       )
       SELECT relname AS name, pg_relation_filepath(oid) AS path FROM own
       UNION ALL SELECT name, pg_relation_filepath(oid) FROM toast
       UNION ALL SELECT toast.name || ' index', pg_relation_filepath(i.indexrelid) FROM toast JOIN pg_index i ON i.indrelid = toast.oid
       ORDER BY name`,
      [schema],
    );
    const files: RawFile[] = [];
    for (const { name, path } of relations.rows) {
      if (path === null) continue; // a relation without storage of its own
      if (typeof name !== 'string' || typeof path !== 'string') throw new Error(`unexpected row from pg_class: ${String(name)} ${String(path)}`);
      const full = join(dataDirectory, path);
      files.push({ name, path: full, bytes: relationBytes(full) });
    }
    return files;
  });
}

/**
 * Keeps every variable-length column of `schema` uncompressed (`STORAGE EXTERNAL`) from now on:
 * PostgreSQL compresses a large value before writing it, and a byte scan would then miss a copy
 * that is really there. Only the on-disk encoding changes, never what the store reads back.
 */
export async function postgresStoreUncompressed(schema: string): Promise<void> {
  await withAdminClient(async (client) => {
    const columns = await client.query<{ table_name: unknown; column_name: unknown }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = $1 AND c.data_type IN ('text', 'jsonb', 'json', 'bytea', 'character varying')`,
      [schema],
    );
    for (const { table_name, column_name } of columns.rows) {
      if (typeof table_name !== 'string' || typeof column_name !== 'string') throw new Error('unexpected row from information_schema.columns');
      await client.query(`ALTER TABLE ${qualified(schema, table_name)} ALTER COLUMN ${identifier(column_name)} SET STORAGE EXTERNAL`);
    }
  });
}

/** The key bytes the PostgreSQL vault of `schema` stores for `subjectRef` (wrapped under the master key). */
export async function postgresSubjectKey(schema: string, subjectRef: string): Promise<Buffer> {
  return withAdminClient(async (client) => {
    const result = await client.query<{ key: unknown }>(`SELECT key FROM ${qualified(schema, 'vault_keys')} WHERE subject_ref = $1`, [subjectRef]);
    const key = result.rows[0]?.key;
    if (!Buffer.isBuffer(key) || key.length < 32) throw new Error(`no key stored for ${subjectRef}`);
    return key;
  });
}

/** Every collection the PostgreSQL read-model table of `schema` holds. */
export async function postgresCollections(schema: string): Promise<string[]> {
  return withAdminClient(async (client) => {
    const result = await client.query<{ collection: unknown }>(`SELECT DISTINCT collection FROM ${qualified(schema, 'read_models')} ORDER BY collection`);
    return result.rows.map((row) => String(row.collection));
  });
}
