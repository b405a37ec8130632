import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformanceEvents, sampleAuditEntry } from '@misas/core/testing';
import { StoreTooNewError } from '../shared/schema-version.ts';
import { configure, connect } from './connection.ts';
import { openSqliteStorage } from './index.ts';
import { migrate, readSchemaVersion, sqliteMigrations, sqliteSchemaVersion, type SqliteMigration } from './migrations.ts';

const now = () => new Date('2026-01-05T09:00:00.000Z');

function appliedVersions(path: string): unknown[] {
  const db = new DatabaseSync(path);
  try {
    return db.prepare('SELECT version FROM misas_schema ORDER BY version').all().map((row) => row['version']);
  } finally {
    db.close();
  }
}

function tablesOf(path: string): unknown[] {
  const db = new DatabaseSync(path);
  try {
    return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((row) => row['name']);
  } finally {
    db.close();
  }
}

/** Every file of the directory with its bytes: what "left untouched" is checked against. */
async function snapshotOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name)));
  return files;
}

describe('SQLite schema migrations', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given no file, when the storage opens, then the file is created at the latest version', async () => {
    const path = join(dir, 'fresh.db');
    const storage = await openSqliteStorage({ path });
    await storage.close();

    expect(sqliteSchemaVersion).toBe(sqliteMigrations.length);
    expect(appliedVersions(path)).toEqual(sqliteMigrations.map((migration) => migration.version));
  });

  it('given a file at version 1 holding events, when the storage opens, then it is migrated and the events are kept', async () => {
    const path = join(dir, 'v1.db');
    const old = connect({ path, busyTimeoutMs: 1000, synchronous: 'full' });
    configure(old, { path, busyTimeoutMs: 1000, synchronous: 'full' });
    await migrate(old, { path, now, migrations: sqliteMigrations.slice(0, 1) });
    const [event] = conformanceEvents('old-case', 'c1', 0, 1);
    old
      .prepare('INSERT INTO events (stream_id, version, type, data, meta, event_id, command_id) VALUES (?, 1, ?, ?, ?, ?, ?)')
      .run('old-case', event!.type, JSON.stringify(event!.data), JSON.stringify(event!.meta), event!.meta.eventId, 'c1');
    old.close();
    expect(appliedVersions(path)).toEqual([1]);
    expect(tablesOf(path)).not.toContain('outbox');
    expect(tablesOf(path)).not.toContain('audit_entries');

    const storage = await openSqliteStorage({ path });
    try {
      expect(appliedVersions(path)).toEqual(sqliteMigrations.map((migration) => migration.version));
      expect((await storage.events.readStream('old-case')).map((e) => e.data)).toEqual([event!.data]);
      // A table of the later migration is there and works.
      await storage.outbox.enqueue([{ id: 'm', topic: 't', payload: null, availableAt: now().toISOString() }]);
      expect(await storage.outbox.pendingCount()).toBe(1);
      const entry = sampleAuditEntry({ at: now().toISOString() });
      await storage.audit.record([entry]);
      expect(await storage.audit.query({}, { limit: 10 })).toEqual({ entries: [entry], next: null });
    } finally {
      await storage.close();
    }
  });

  it('given a file whose schema is newer than the library, when the storage opens, then it is refused and not a byte changes', async () => {
    const path = join(dir, 'newer.db');
    await (await openSqliteStorage({ path })).close();
    const newer = new DatabaseSync(path);
    newer.prepare('INSERT INTO misas_schema (version, description, applied_at) VALUES (?, ?, ?)').run(sqliteSchemaVersion + 1, 'from the future', now().toISOString());
    // Back to a rollback journal: switching it to WAL would rewrite the header, so any premature
    // configuration of the file would show in its bytes.
    newer.exec('PRAGMA journal_mode = DELETE');
    newer.close();
    const before = await snapshotOf(dir);

    const refusal = await openSqliteStorage({ path }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refusal).toBeInstanceOf(StoreTooNewError);
    expect(refusal).toMatchObject({ code: 'store-too-new', storeVersion: sqliteSchemaVersion + 1, libraryVersion: sqliteSchemaVersion });
    expect(await snapshotOf(dir)).toEqual(before);
  });

  it('given a SQLite file of another application, when the storage opens, then it is refused and left as it was', async () => {
    const path = join(dir, 'foreign.db');
    const foreign = new DatabaseSync(path);
    foreign.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER); INSERT INTO invoices (amount) VALUES (42)");
    foreign.close();
    const before = await snapshotOf(dir);

    await expect(openSqliteStorage({ path })).rejects.toMatchObject({ code: 'not-a-misas-store' });
    expect(await snapshotOf(dir)).toEqual(before);
  });

  it('given a migration that fails, when the file is migrated, then the steps before it are rolled back too', async () => {
    const path = join(dir, 'failing.db');
    const broken: SqliteMigration[] = [
      sqliteMigrations[0]!,
      {
        version: 2,
        description: 'fails half-way',
        up(db) {
          db.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('migration 2 failed');
        },
      },
    ];
    const db = connect({ path, busyTimeoutMs: 1000, synchronous: 'full' });
    try {
      configure(db, { path, busyTimeoutMs: 1000, synchronous: 'full' });
      await expect(migrate(db, { path, now, migrations: broken })).rejects.toThrow('migration 2 failed');
      expect(readSchemaVersion(db, path)).toBe(0);
    } finally {
      db.close();
    }
    expect(tablesOf(path)).toEqual([]);
  });

  it('given a migration list with a gap, when the file is migrated, then it is refused before anything runs', async () => {
    const path = join(dir, 'gap.db');
    const db = connect({ path, busyTimeoutMs: 1000, synchronous: 'full' });
    try {
      const gap: SqliteMigration[] = [{ ...sqliteMigrations[0]!, version: 2 }];
      await expect(migrate(db, { path, now, migrations: gap })).rejects.toThrow(/expected 1/);
      expect(readSchemaVersion(db, path)).toBe(0);
    } finally {
      db.close();
    }
  });

  it(
    'given six processes opening the same new file at once, when they all finish, then each migration ran exactly once',
    async () => {
      const path = join(dir, 'race.db');
      const index = pathToFileURL(fileURLToPath(new URL('./index.ts', import.meta.url))).href;
      const script = `
        const { openSqliteStorage } = await import(${JSON.stringify(index)});
        const storage = await openSqliteStorage({ path: process.argv[1] });
        await storage.close();
      `;
      const results = await Promise.all(
        Array.from(
          { length: 6 },
          () =>
            new Promise<{ code: number | null; stderr: string }>((resolve) => {
              const child = spawn(process.execPath, ['--conditions=@misas/source', '--input-type=module', '-e', script, path], {
                stdio: ['ignore', 'ignore', 'pipe'],
              });
              let stderr = '';
              child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
              child.on('exit', (code) => resolve({ code, stderr }));
            }),
        ),
      );

      expect(results.filter((result) => result.code !== 0)).toEqual([]);
      expect(appliedVersions(path)).toEqual(sqliteMigrations.map((migration) => migration.version));
    },
    60_000,
  );
});
