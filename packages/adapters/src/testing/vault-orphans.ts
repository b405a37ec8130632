/**
 * What the vault crash tests check: the vault rows of a store, read straight from its tables, and
 * those of them that no event refers to. Test-only: not built.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { personalDataReferences } from '@misas/core';
import { qualified } from '../postgres/connection.ts';
import { withAdminClient } from '../postgres/test-kit.ts';
import { openStorage } from '../open-storage.ts';

/** One vault row: a subject's key (`entry` null) or one of its entries. */
export interface VaultRow {
  readonly subjectRef: string;
  readonly entry: string | null;
}

/** The key and entry rows of a SQLite vault, on a read-only connection of their own. */
export function sqliteVaultRows(path: string): VaultRow[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db
      .prepare('SELECT subject_ref, NULL AS entry FROM vault_keys UNION ALL SELECT subject_ref, entry FROM vault_entries')
      .all()
      .map((row) => ({ subjectRef: String(row['subject_ref']), entry: row['entry'] === null ? null : String(row['entry']) }));
  } finally {
    db.close();
  }
}

/** The key and entry rows of the PostgreSQL vault of `schema`. */
export async function postgresVaultRows(schema: string): Promise<VaultRow[]> {
  return withAdminClient(async (client) => {
    const result = await client.query<{ subject_ref: string; entry: string | null }>(
      `SELECT subject_ref, NULL::text AS entry FROM ${qualified(schema, 'vault_keys')}
       UNION ALL SELECT subject_ref, entry FROM ${qualified(schema, 'vault_entries')}`,
    );
    return result.rows.map((row) => ({ subjectRef: row.subject_ref, entry: row.entry }));
  });
}

/** The rows no event of the store at `url` refers to: a key of a subject no event names, or an entry no event names. */
export async function orphanedVaultRows(url: string, rows: readonly VaultRow[]): Promise<VaultRow[]> {
  const storage = await openStorage(url);
  try {
    const referred = await personalDataReferences(storage.events);
    return rows.filter((row) => {
      const entries = referred.get(row.subjectRef);
      return entries === undefined || (row.entry !== null && !entries.has(row.entry));
    });
  } finally {
    await storage.close();
  }
}

const writer = fileURLToPath(new URL('./vault-crash-writer.ts', import.meta.url));

/**
 * Starts a vault crash writer and kills it with SIGKILL `delayMs` after its first acknowledged
 * command, i.e. at a random point of its loop. Returns how many commands it acknowledged.
 */
export function killVaultWriter(url: string, options: { run: string; delayMs: number; mode?: 'atomic' | 'put-then-append' }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@misas/source', writer, url, options.run, options.mode ?? 'atomic'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acks = 0;
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = acks;
      acks += chunk.toString().split('\n').filter((line) => line.startsWith('ACK ')).length;
      if (before === 0 && acks > 0) setTimeout(() => child.kill('SIGKILL'), options.delayMs);
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`vault crash writer ended without being killed: ${err}`))));
  });
}
