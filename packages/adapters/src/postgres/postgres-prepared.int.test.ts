import { afterEach, describe, expect, it } from 'vitest';
import { conformanceEvents } from '@misas/core/testing';
import pg from 'pg';
import { masterKeysFromEnvironment } from '../shared/master-keys.ts';
import { createPool, qualified, resolveConnection } from './connection.ts';
import { PostgresEventStore } from './event-store.ts';
import { migrateSchema } from './migrations.ts';
import { PostgresProjectionStore } from './projection-store.ts';
import { Sequencer } from './sequencer.ts';
import { PostgresVault } from './vault.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL prepared statements in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

interface Prepared {
  readonly name: string;
  readonly statement: string;
  readonly parameters: number;
  readonly genericPlans: number;
}

/** The statements prepared on this session that touch `schema`. */
async function preparedOn(client: pg.ClientBase, schema: string): Promise<Prepared[]> {
  const result = await client.query<{ name: string; statement: string; parameters: number; generic_plans: string }>(
    `SELECT name, statement, coalesce(array_length(parameter_types, 1), 0) AS parameters, generic_plans::text
     FROM pg_prepared_statements WHERE strpos(statement, $1) > 0 ORDER BY name`,
    [`"${schema}"`],
  );
  return result.rows.map((row) => ({ name: row.name, statement: row.statement, parameters: row.parameters, genericPlans: Number(row.generic_plans) }));
}

/** The plan PostgreSQL keeps for a prepared statement, as text. */
async function planOf(client: pg.ClientBase, prepared: Prepared): Promise<string> {
  const nulls = Array.from({ length: prepared.parameters }, () => 'NULL').join(', ');
  const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${pg.escapeIdentifier(prepared.name)}${nulls === '' ? '' : `(${nulls})`}`);
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** Every port of a storage on one pool of a single connection, so that every statement is prepared on one session. */
async function storeOnOneSession(schema: string, prepare: boolean) {
  const resolved = resolveConnection({ connectionString: requirePgUrl(), schema, prepare });
  const pool = createPool({ ...resolved, poolSize: 1 });
  await migrateSchema(pool, schema);
  const keys = masterKeysFromEnvironment();
  if (!keys) throw new Error('the tests run with MISAS_MASTER_KEY set');
  const vault = new PostgresVault(pool, schema, keys);
  await vault.prepareKeys();
  const sequencer = new Sequencer(pool, schema);
  const projections = new PostgresProjectionStore(pool, schema);
  const events = new PostgresEventStore(pool, schema, sequencer, projections, vault);
  return { pool, events, projections, sequencer };
}

/** The hot paths: appends (with and without entries), a conflict, reads, read models and checkpoints. */
async function exercise(store: Awaited<ReturnType<typeof storeOnOneSession>>, round: number): Promise<void> {
  const stream = `case-${round}`;
  await store.events.append({ streamId: stream, expectedVersion: 0, commandId: 'c1', events: conformanceEvents(stream, 'c1', 0, 1), vaultPuts: [{ subjectRef: `subj-${round}`, entry: 'referral', value: { name: 'x' } }] });
  await store.events.append({ streamId: stream, expectedVersion: 1, commandId: 'c2', events: conformanceEvents(stream, 'c2', 1, 2) });
  await expect(store.events.append({ streamId: stream, expectedVersion: 1, commandId: 'c3', events: conformanceEvents(stream, 'c3', 1, 1) })).rejects.toThrow();
  await store.events.readStream(stream);
  await store.events.readAll({ after: 0, limit: 100 });
  await store.projections.transaction(async (tx) => {
    await tx.put('cases', stream, { round });
    await tx.get('cases', 'other');
    await tx.list('cases', { prefix: 'case-' });
    await tx.saveCheckpoint('cases', await tx.checkpoint('cases'));
  });
}

describe.skipIf(!pgUrl)('PostgreSQL prepared statements', { timeout: 60_000 }, () => {
  const schemas: string[] = [];
  afterEach(async () => {
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  it('given a table of three analysed rows, when the hot statements are planned, then every plan is an index plan — and without our settings the append would scan', async () => {
    const schema = freshSchemaName('prepared');
    schemas.push(schema);
    const store = await storeOnOneSession(schema, true);
    try {
      await exercise(store, 1);
      // The worst case: statistics that say the tables are tiny, and plans made from them.
      for (const table of ['events', 'vault_keys', 'vault_entries', 'vault_erased', 'read_models', 'checkpoints']) {
        await store.pool.query(`ANALYZE ${qualified(schema, table)}`);
      }
      await exercise(store, 2);
      await exercise(store, 3);

      const client = await store.pool.connect();
      try {
        const prepared = await preparedOn(client, schema);
        const append = prepared.find((statement) => statement.statement.includes('unnest($3::integer[]'));
        expect(append?.genericPlans).toBeGreaterThan(0);
        expect(prepared.length).toBeGreaterThanOrEqual(10);
        for (const statement of prepared) expect(await planOf(client, statement), statement.statement).not.toMatch(/Seq Scan/);

        // The same append statement, generic plan, default settings otherwise: a sequential scan.
        await client.query('SET plan_cache_mode = force_generic_plan; SET enable_seqscan = on');
        await client.query(`PREPARE control_append AS ${append?.statement ?? ''}`);
        const control = await planOf(client, { name: 'control_append', statement: '', parameters: append?.parameters ?? 0, genericPlans: 0 });
        expect(control).toMatch(/Seq Scan/);
      } finally {
        client.release(true);
      }
    } finally {
      await store.sequencer.close();
      await store.pool.end();
    }
  });

  it('given prepare=false, then no statement is prepared on the session and no plan setting is changed', async () => {
    const schema = freshSchemaName('unprepared');
    schemas.push(schema);
    const store = await storeOnOneSession(schema, false);
    try {
      await exercise(store, 1);
      const client = await store.pool.connect();
      try {
        expect(await preparedOn(client, schema)).toEqual([]);
        const settings = await client.query<{ mode: string; seqscan: string }>(`SELECT current_setting('plan_cache_mode') AS mode, current_setting('enable_seqscan') AS seqscan`);
        expect(settings.rows[0]).toEqual({ mode: 'auto', seqscan: 'on' });
      } finally {
        client.release();
      }
    } finally {
      await store.sequencer.close();
      await store.pool.end();
    }
  });

  it('given a prepared storage, then its sessions run with the plan settings', async () => {
    const schema = freshSchemaName('settings');
    schemas.push(schema);
    const store = await storeOnOneSession(schema, true);
    try {
      const settings = await store.pool.query<{ mode: string; seqscan: string }>(`SELECT current_setting('plan_cache_mode') AS mode, current_setting('enable_seqscan') AS seqscan`);
      expect(settings.rows[0]).toEqual({ mode: 'force_generic_plan', seqscan: 'off' });
    } finally {
      await store.sequencer.close();
      await store.pool.end();
    }
  });
});
