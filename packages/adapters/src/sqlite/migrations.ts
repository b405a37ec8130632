/**
 * The schema of a misas SQLite file, as versioned migrations. A file records every version applied
 * in `misas_schema`; opening it applies the missing ones in one transaction and refuses a file
 * written by a newer library without changing a byte of it.
 */
import type { DatabaseSync } from 'node:sqlite';
import { MisasError } from '@misas/core';
import { pendingMigrations, type Migration } from '../shared/schema-version.ts';
import { snapshot } from './connection.ts';
import { integer, text } from './rows.ts';

/** One step of the SQLite schema. */
export type SqliteMigration = Migration<DatabaseSync>;

/**
 * Every step of the schema, oldest first. Never edit a step that has shipped: add one.
 * JSON columns are checked with `json_valid` so that a row written by hand cannot poison a replay;
 * tables are STRICT so that a column never silently holds another type.
 */
export const sqliteMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    description: 'event log and personal-data vault',
    up(db) {
      db.exec(`
        CREATE TABLE events (
          position   INTEGER PRIMARY KEY AUTOINCREMENT,
          stream_id  TEXT    NOT NULL,
          version    INTEGER NOT NULL CHECK (version >= 1),
          type       TEXT    NOT NULL,
          data       TEXT    NOT NULL CHECK (json_valid(data)),
          meta       TEXT    NOT NULL CHECK (json_valid(meta)),
          event_id   TEXT    NOT NULL UNIQUE,
          command_id TEXT    NOT NULL,
          UNIQUE (stream_id, version)
        ) STRICT;
        CREATE INDEX events_by_command ON events (stream_id, command_id);

        CREATE TABLE vault_keys (
          subject_ref TEXT PRIMARY KEY,
          key         BLOB NOT NULL CHECK (length(key) = 32)
        ) STRICT;
        CREATE TABLE vault_entries (
          subject_ref TEXT NOT NULL REFERENCES vault_keys (subject_ref),
          entry       TEXT NOT NULL,
          sealed      BLOB NOT NULL,
          PRIMARY KEY (subject_ref, entry)
        ) STRICT;
        CREATE TABLE vault_erased (
          subject_ref TEXT PRIMARY KEY,
          erased_at   TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    description: 'read models with checkpoints, outbox and leases',
    up(db) {
      db.exec(`
        CREATE TABLE read_models (
          collection TEXT NOT NULL,
          key        TEXT NOT NULL,
          value      TEXT NOT NULL CHECK (json_valid(value)),
          PRIMARY KEY (collection, key)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE checkpoints (
          projection TEXT    PRIMARY KEY,
          position   INTEGER NOT NULL CHECK (position >= 0)
        ) STRICT;

        CREATE TABLE outbox (
          id           TEXT    PRIMARY KEY,
          sequence     INTEGER NOT NULL UNIQUE,
          topic        TEXT    NOT NULL,
          payload      TEXT    NOT NULL CHECK (json_valid(payload)),
          available_at TEXT    NOT NULL,
          attempts     INTEGER NOT NULL DEFAULT 0,
          delivered    INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1))
        ) STRICT;
        CREATE INDEX outbox_due ON outbox (delivered, available_at, sequence);

        CREATE TABLE leases (
          name       TEXT    PRIMARY KEY,
          owner      TEXT    NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 3,
    description: 'audit trail',
    up(db) {
      // `at` is kept as written, so entries read back equal what was recorded; `at_key` is the
      // same instant in a form that sorts as text whatever its precision (auditInstantKey), which
      // is what the time filters and the purge compare. One index per filter, ending with `id`
      // so a filtered page is read in id order straight from the index; the nullable columns
      // are indexed only where they hold a value.
      db.exec(`
        CREATE TABLE audit_entries (
          id                 TEXT    PRIMARY KEY,
          at                 TEXT    NOT NULL,
          at_key             TEXT    NOT NULL,
          principal_role     TEXT    NOT NULL,
          principal_id       TEXT    NOT NULL,
          principal_fund_id  TEXT,
          action             TEXT    NOT NULL CHECK (action IN ('change', 'read')),
          name               TEXT    NOT NULL,
          outcome            TEXT    NOT NULL CHECK (outcome IN ('allowed', 'denied')),
          fund_id            TEXT,
          case_id            TEXT,
          subject_ref        TEXT,
          personal_data      INTEGER NOT NULL CHECK (personal_data IN (0, 1)),
          rule               TEXT
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX audit_entries_by_fund ON audit_entries (fund_id, id) WHERE fund_id IS NOT NULL;
        CREATE INDEX audit_entries_by_case ON audit_entries (case_id, id) WHERE case_id IS NOT NULL;
        CREATE INDEX audit_entries_by_subject ON audit_entries (subject_ref, id) WHERE subject_ref IS NOT NULL;
        CREATE INDEX audit_entries_by_principal ON audit_entries (principal_id, id);
        CREATE INDEX audit_entries_by_time ON audit_entries (at_key);
      `);
    },
  },
  {
    version: 4,
    description: 'vault keys wrapped under a master key',
    up(db) {
      // SQLite cannot drop the 32-byte CHECK of `vault_keys` in place: both vault tables are
      // rebuilt (entries too, as their foreign key names the keys table), children dropped first so
      // that no foreign key is ever broken. Keys copied here are still clear (`key_id` NULL); the
      // storage wraps them right after, on open, since only it holds the master key. With
      // secure_delete on, the dropped tables' pages are zeroed.
      db.exec(`
        CREATE TABLE vault_keys_v4 (
          subject_ref TEXT PRIMARY KEY,
          key         BLOB NOT NULL,
          -- The master key the key is wrapped under; NULL only for a clear key from before version 4.
          key_id      TEXT,
          CHECK (key_id IS NOT NULL OR length(key) = 32)
        ) STRICT;
        CREATE TABLE vault_entries_v4 (
          subject_ref TEXT NOT NULL REFERENCES vault_keys_v4 (subject_ref),
          entry       TEXT NOT NULL,
          sealed      BLOB NOT NULL,
          PRIMARY KEY (subject_ref, entry)
        ) STRICT;
        INSERT INTO vault_keys_v4 (subject_ref, key) SELECT subject_ref, key FROM vault_keys;
        INSERT INTO vault_entries_v4 (subject_ref, entry, sealed) SELECT subject_ref, entry, sealed FROM vault_entries;
        DROP TABLE vault_entries;
        DROP TABLE vault_keys;
        ALTER TABLE vault_keys_v4 RENAME TO vault_keys;
        ALTER TABLE vault_entries_v4 RENAME TO vault_entries;
        CREATE INDEX vault_keys_by_master_key ON vault_keys (key_id);
      `);
    },
  },
  {
    version: 5,
    description: 'case snapshots',
    up(db) {
      // One snapshot per stream, as a cache of its events: `event_id` is the event it was taken
      // at, which a load finds again in the stream before trusting the row.
      db.exec(`
        CREATE TABLE case_snapshots (
          stream_id TEXT    PRIMARY KEY,
          version   INTEGER NOT NULL CHECK (version >= 1),
          event_id  TEXT    NOT NULL,
          data      TEXT    NOT NULL CHECK (json_valid(data))
        ) STRICT;
      `);
    },
  },
  {
    version: 6,
    description: 'one command-id entry per append, checked by a unique index',
    up(db) {
      // An append now lets the unique constraints find a conflict and looks up only then (see
      // append.ts). The old `events_by_command` held an entry per event and was only ever probed,
      // never unique, so every append had to query it: it becomes a unique index over the first
      // event of each append only, which turns "this command id is already in the stream" into a
      // constraint failure of that first insert. Marked from the old index (GROUP BY in its
      // order) before it is dropped; a command id appended twice to one stream never passed the
      // old checks, so the unique index builds on every file those checks wrote.
      db.exec(`
        ALTER TABLE events ADD COLUMN first_of_command INTEGER NOT NULL DEFAULT 0 CHECK (first_of_command IN (0, 1));
        UPDATE events SET first_of_command = 1
          WHERE position IN (SELECT MIN(position) FROM events GROUP BY stream_id, command_id);
        DROP INDEX events_by_command;
        CREATE UNIQUE INDEX events_by_command ON events (stream_id, command_id) WHERE first_of_command = 1;
      `);
    },
  },
];

/** The version of the schema this library writes. */
export const sqliteSchemaVersion = sqliteMigrations.length;

function storeName(path: string): string {
  return `SQLite store ${path}`;
}

/**
 * The schema version recorded in the file: 0 for an empty file. A file that holds tables but no
 * `misas_schema` belongs to something else and is refused rather than written into.
 */
export function readSchemaVersion(db: DatabaseSync, path: string): number {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => text(row, 'name'));
  if (tables.length === 0) return 0;
  if (!tables.includes('misas_schema')) {
    throw new MisasError(
      'not-a-misas-store',
      `${storeName(path)} holds tables (${tables.slice(0, 5).join(', ')}) but no misas_schema: it is not a misas store, and was left untouched`,
    );
  }
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM misas_schema').get();
  if (row === undefined) return 0;
  return integer(row, 'version');
}

/** Throws `StoreTooNewError` (or refuses a foreign file) before anything is written to it. */
export function assertOpenable(db: DatabaseSync, path: string, migrations: readonly SqliteMigration[] = sqliteMigrations): void {
  pendingMigrations(storeName(path), migrations, readSchemaVersion(db, path));
}

/**
 * Applies the missing migrations in one `BEGIN IMMEDIATE` transaction, recording each in
 * `misas_schema`; returns the version the file is at. Several processes opening a new file at once
 * are serialised by the write lock, and the version is read again under it, so each migration runs
 * once. A failing migration rolls back all of them.
 */
export async function migrate(
  db: DatabaseSync,
  options: { readonly path: string; readonly now: () => Date; readonly migrations?: readonly SqliteMigration[] },
): Promise<number> {
  const migrations = options.migrations ?? sqliteMigrations;
  // An up-to-date file (the usual case) is only read: opening it never waits for the write lock,
  // which busy writers in other processes may keep taking before this one gets its turn.
  const current = snapshot(db, () => readSchemaVersion(db, options.path));
  if (pendingMigrations(storeName(options.path), migrations, current).length === 0) return migrations.length;
  db.exec('BEGIN IMMEDIATE');
  try {
    const pending = pendingMigrations(storeName(options.path), migrations, readSchemaVersion(db, options.path));
    if (pending.length > 0) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS misas_schema (
          version     INTEGER PRIMARY KEY,
          description TEXT    NOT NULL,
          applied_at  TEXT    NOT NULL
        ) STRICT
      `);
      const record = db.prepare('INSERT INTO misas_schema (version, description, applied_at) VALUES (?, ?, ?)');
      for (const migration of pending) {
        await migration.up(db);
        record.run(migration.version, migration.description, options.now().toISOString());
      }
    }
    db.exec('COMMIT');
    return migrations.length;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
