/**
 * The PostgreSQL schema, as versioned migrations, and the runner that applies them on open.
 *
 * Every table lives in the storage's own schema (one per fund, see docs/scaling.md). The schema's
 * version is the highest row of `<schema>.misas_schema`, one row per applied migration.
 */
import type pg from 'pg';
import { pendingMigrations, type Migration } from '../shared/schema-version.ts';
import { advisoryKey, identifier, inTransaction, qualified, type Db } from './connection.ts';
import { boolean, integer, query, queryOne, text } from './rows.ts';

/** What a migration receives: a client inside the migration transaction, and its schema. */
export interface PostgresMigrationRunner {
  readonly client: pg.PoolClient;
  readonly schema: string;
  /** `"schema"."table"`. */
  table(name: string): string;
}

/** A migration of the PostgreSQL storage. */
export type PostgresMigration = Migration<PostgresMigrationRunner>;

/** The migrations this library knows, in order. The schema's latest version is their count. */
export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'event log with sequencer positions, vault, read models, outbox, leases',
    async up({ client, table }) {
      await client.query(`
        CREATE TABLE ${table('events')} (
          -- Taken at insert time: orders rows inside an append and among pending rows, nothing more.
          seq        bigserial PRIMARY KEY,
          -- Given after commit by the sequencer (sequencer.ts); NULL until then.
          position   bigint,
          stream_id  text NOT NULL,
          version    integer NOT NULL,
          event_id   text NOT NULL,
          command_id text NOT NULL,
          type       text NOT NULL,
          -- jsonb rather than json text: queryable and indexable by projections and reports. It
          -- gives objects back with keys reordered (payloads compare by value, never by bytes) and
          -- refuses the NUL character in strings, which no event of the catalogue carries.
          data       jsonb NOT NULL,
          meta       jsonb NOT NULL,
          CONSTRAINT events_stream_version UNIQUE (stream_id, version),
          CONSTRAINT events_event_id UNIQUE (event_id)
        );
        CREATE UNIQUE INDEX events_position ON ${table('events')} (position) WHERE position IS NOT NULL;
        CREATE INDEX events_unpositioned ON ${table('events')} (seq) WHERE position IS NULL;
        CREATE INDEX events_command ON ${table('events')} (stream_id, command_id);

        -- Keys apart from entries: shredding rewrites this small table only (vault.ts).
        CREATE TABLE ${table('vault_keys')} (
          subject_ref text PRIMARY KEY,
          key         bytea NOT NULL
        );
        CREATE TABLE ${table('vault_entries')} (
          subject_ref text NOT NULL,
          entry       text NOT NULL,
          sealed      bytea NOT NULL,
          PRIMARY KEY (subject_ref, entry)
        );
        CREATE TABLE ${table('vault_erased')} (
          subject_ref text PRIMARY KEY,
          erased_at   timestamptz NOT NULL DEFAULT now()
        );

        -- COLLATE "C": keys list in code-point order whatever the database's locale, as in memory.
        CREATE TABLE ${table('read_models')} (
          collection text NOT NULL,
          key        text COLLATE "C" NOT NULL,
          value      jsonb NOT NULL,
          PRIMARY KEY (collection, key)
        );
        CREATE TABLE ${table('checkpoints')} (
          projection text PRIMARY KEY,
          position   bigint NOT NULL
        );

        CREATE TABLE ${table('outbox')} (
          id           text PRIMARY KEY,
          seq          bigserial NOT NULL,
          topic        text NOT NULL,
          payload      jsonb NOT NULL,
          available_at timestamptz NOT NULL,
          attempts     integer NOT NULL DEFAULT 0,
          delivered    boolean NOT NULL DEFAULT false
        );
        CREATE INDEX outbox_due ON ${table('outbox')} (available_at, seq) WHERE NOT delivered;

        CREATE TABLE ${table('leases')} (
          name       text PRIMARY KEY,
          owner      text NOT NULL,
          expires_at timestamptz NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    description: 'audit trail',
    async up({ client, table }) {
      // `at` is kept as written (text, not timestamptz, which would round past the microsecond
      // and respell the instant), so entries read back equal what was recorded; `at_key` is the
      // same instant in a form that sorts as text whatever its precision (auditInstantKey), which
      // the time filters and the purge compare. COLLATE "C" on both keys: code-point order
      // whatever the database's locale, as in memory and in SQLite. One index per filter, ending
      // with `id` so a filtered page comes in id order from the index; nullable columns are
      // indexed only where they hold a value.
      await client.query(`
        CREATE TABLE ${table('audit_entries')} (
          id                text COLLATE "C" PRIMARY KEY,
          at                text NOT NULL,
          at_key            text COLLATE "C" NOT NULL,
          principal_role    text NOT NULL,
          principal_id      text NOT NULL,
          principal_fund_id text,
          action            text NOT NULL CHECK (action IN ('change', 'read')),
          name              text NOT NULL,
          outcome           text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
          fund_id           text,
          case_id           text,
          subject_ref       text,
          personal_data     boolean NOT NULL,
          rule              text
        );
        CREATE INDEX audit_entries_by_fund ON ${table('audit_entries')} (fund_id, id) WHERE fund_id IS NOT NULL;
        CREATE INDEX audit_entries_by_case ON ${table('audit_entries')} (case_id, id) WHERE case_id IS NOT NULL;
        CREATE INDEX audit_entries_by_subject ON ${table('audit_entries')} (subject_ref, id) WHERE subject_ref IS NOT NULL;
        CREATE INDEX audit_entries_by_principal ON ${table('audit_entries')} (principal_id, id);
        CREATE INDEX audit_entries_by_time ON ${table('audit_entries')} (at_key);
      `);
    },
  },
  {
    version: 3,
    description: 'vault keys wrapped under a master key',
    async up({ client, table }) {
      // The master key a key is wrapped under; NULL only for a clear key from before version 3,
      // which the storage wraps right after, on open, since only it holds the master key.
      await client.query(`
        ALTER TABLE ${table('vault_keys')} ADD COLUMN key_id text;
        CREATE INDEX vault_keys_by_master_key ON ${table('vault_keys')} (key_id);
      `);
    },
  },
  {
    version: 4,
    description: 'case snapshots',
    async up({ client, table }) {
      // One snapshot per stream, as a cache of its events: `event_id` is the event it was taken
      // at, which a load finds again in the stream before trusting the row.
      await client.query(`
        CREATE TABLE ${table('case_snapshots')} (
          stream_id text PRIMARY KEY,
          version   integer NOT NULL CHECK (version >= 1),
          event_id  text NOT NULL,
          data      jsonb NOT NULL
        );
      `);
    },
  },
];

/** What a migration run did. */
export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/**
 * Brings `schema` to the latest version of `migrations`, creating the schema if missing.
 *
 * Runs in one transaction holding a transaction-level advisory lock of the schema, so that several
 * processes opening at once apply each migration once, and a failed migration leaves the previous
 * version intact. The version is read before anything is created: a schema newer than `migrations`
 * is refused with `StoreTooNewError` and left exactly as it was.
 */
export async function migrateSchema(pool: pg.Pool, schema: string, migrations: readonly PostgresMigration[] = postgresMigrations): Promise<MigrationReport> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(schema, 'migrations')]);
    const current = await schemaVersion(client, schema);
    const pending = pendingMigrations(`PostgreSQL schema '${schema}'`, migrations, current);
    if (pending.length === 0) return { from: current, to: current, applied: [] };
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${identifier(schema)}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${qualified(schema, 'misas_schema')} (
        version     integer PRIMARY KEY,
        description text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const runner: PostgresMigrationRunner = { client, schema, table: (name) => qualified(schema, name) };
    for (const migration of pending) {
      await migration.up(runner);
      await client.query(`INSERT INTO ${qualified(schema, 'misas_schema')} (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    return { from: current, to: migrations.length, applied: pending.map((migration) => migration.version) };
  });
}

/** The schema's version: 0 when the schema or its version table does not exist yet. */
export async function schemaVersion(client: Db, schema: string): Promise<number> {
  const exists = await queryOne(client, 'SELECT to_regclass($1) IS NOT NULL AS present', [qualified(schema, 'misas_schema')]);
  if (!boolean(exists, 'present')) return 0;
  const row = await queryOne(client, `SELECT coalesce(max(version), 0) AS version FROM ${qualified(schema, 'misas_schema')}`);
  return integer(row, 'version');
}

/** The tables of a schema, for tests and diagnostics. */
export async function tablesOf(pool: pg.Pool, schema: string): Promise<readonly string[]> {
  const rows = await query(pool, 'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema]);
  return rows.map((row) => text(row, 'tablename'));
}
