/**
 * The attacker of the vault attack tests: given the vault's rows as a thief would copy them (keys
 * as stored, sealed entries), they try every 32-byte run of each stored key blob as the subject's
 * AES key — whether the key is stored clear or inside some envelope — and report what opened.
 * Also builds stores as an older library left them (clear keys), the control that proves the
 * attack works. Test-only: not built.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { entryContext, newSubjectKey, openEntry, sealEntry } from '@misas/core';
import { createPool, qualified, resolveConnection } from '../postgres/connection.ts';
import { migrateSchema, postgresMigrations } from '../postgres/migrations.ts';
import { requirePgUrl, withAdminClient } from '../postgres/test-kit.ts';
import { migrate, sqliteMigrations } from '../sqlite/migrations.ts';

/** A vault as copied from its store. */
export interface StolenVault {
  readonly keys: readonly { readonly subjectRef: string; readonly stored: Buffer }[];
  readonly entries: readonly { readonly subjectRef: string; readonly entry: string; readonly sealed: Buffer }[];
}

/** The plaintexts the attacker could open with the stored key bytes alone. */
export function openWithStoredKeys(stolen: StolenVault): string[] {
  const opened: string[] = [];
  for (const { subjectRef, entry, sealed } of stolen.entries) {
    const stored = stolen.keys.find((key) => key.subjectRef === subjectRef)?.stored;
    if (!stored) continue;
    for (let start = 0; start + 32 <= stored.length; start++) {
      try {
        opened.push(openEntry(stored.subarray(start, start + 32), sealed, entryContext(subjectRef, entry)));
        break;
      } catch {
        // not this run of bytes
      }
    }
  }
  return opened;
}

/** Copies the SQLite database and its -wal and -shm files, as they are now, into `dir` — never the key file. */
export function copySqliteFiles(path: string, dir: string): string {
  const copy = join(dir, 'stolen.db');
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${path}${suffix}`)) copyFileSync(`${path}${suffix}`, `${copy}${suffix}`);
  return copy;
}

/** The vault rows of a SQLite file, read with SQLite itself (which replays the -wal beside it). */
export function stolenFromSqlite(path: string): StolenVault {
  const db = new DatabaseSync(path);
  try {
    return {
      keys: db.prepare('SELECT subject_ref, key FROM vault_keys').all().map((row) => ({ subjectRef: String(row['subject_ref']), stored: toBuffer(row['key']) })),
      entries: db
        .prepare('SELECT subject_ref, entry, sealed FROM vault_entries')
        .all()
        .map((row) => ({ subjectRef: String(row['subject_ref']), entry: String(row['entry']), sealed: toBuffer(row['sealed']) })),
    };
  } finally {
    db.close();
  }
}

/** The vault rows of a PostgreSQL schema, read through SQL as a thief with a dump or a read-only role would. */
export async function stolenFromPostgres(schema: string): Promise<StolenVault> {
  return withAdminClient(async (client) => {
    const keys = await client.query<{ subject_ref: string; key: Buffer }>(`SELECT subject_ref, key FROM ${qualified(schema, 'vault_keys')}`);
    const entries = await client.query<{ subject_ref: string; entry: string; sealed: Buffer }>(
      `SELECT subject_ref, entry, sealed FROM ${qualified(schema, 'vault_entries')}`,
    );
    return {
      keys: keys.rows.map((row) => ({ subjectRef: row.subject_ref, stored: row.key })),
      entries: entries.rows.map((row) => ({ subjectRef: row.subject_ref, entry: row.entry, sealed: row.sealed })),
    };
  });
}

/** Personal data of one subject, as an older library stored it: the key in clear. */
export interface LegacySubject {
  readonly subjectRef: string;
  readonly value: unknown;
}

/** A SQLite file at schema version 3 (before wrapping) holding `subjects` with clear keys; returns their keys. */
export async function legacySqliteStore(path: string, subjects: readonly LegacySubject[]): Promise<Map<string, Buffer>> {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    await migrate(db, { path, now: () => new Date('2026-01-01T00:00:00Z'), migrations: sqliteMigrations.slice(0, 3) });
    const keys = new Map<string, Buffer>();
    for (const { subjectRef, value } of subjects) {
      const key = newSubjectKey();
      keys.set(subjectRef, key);
      db.prepare('INSERT INTO vault_keys (subject_ref, key) VALUES (?, ?)').run(subjectRef, key);
      db.prepare('INSERT INTO vault_entries (subject_ref, entry, sealed) VALUES (?, ?, ?)').run(
        subjectRef,
        'referral',
        sealEntry(key, JSON.stringify(value), entryContext(subjectRef, 'referral')),
      );
    }
    return keys;
  } finally {
    db.close();
  }
}

/** A PostgreSQL schema at version 2 (before wrapping) holding `subjects` with clear keys; returns their keys. */
export async function legacyPostgresSchema(schema: string, subjects: readonly LegacySubject[]): Promise<Map<string, Buffer>> {
  const pool = createPool(resolveConnection({ connectionString: requirePgUrl(), schema, poolSize: 2 }));
  try {
    await migrateSchema(pool, schema, postgresMigrations.slice(0, 2));
    const keys = new Map<string, Buffer>();
    for (const { subjectRef, value } of subjects) {
      const key = newSubjectKey();
      keys.set(subjectRef, key);
      await pool.query(`INSERT INTO ${qualified(schema, 'vault_keys')} (subject_ref, key) VALUES ($1, $2)`, [subjectRef, key]);
      await pool.query(`INSERT INTO ${qualified(schema, 'vault_entries')} (subject_ref, entry, sealed) VALUES ($1, 'referral', $2)`, [
        subjectRef,
        sealEntry(key, JSON.stringify(value), entryContext(subjectRef, 'referral')),
      ]);
    }
    return keys;
  } finally {
    await pool.end();
  }
}

function toBuffer(value: unknown): Buffer {
  if (!(value instanceof Uint8Array)) throw new Error('expected a blob');
  return Buffer.from(value);
}
