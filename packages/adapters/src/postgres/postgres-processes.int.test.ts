import { describe, expect, it } from 'vitest';
import { hammerWithProcesses, killMidBatch } from '../testing/process-checks.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, urlWithSchema, withAdminClient } from './test-kit.ts';

async function databaseRollbacks(): Promise<number> {
  return withAdminClient(async (client) => {
    const result = await client.query<{ rollbacks: string }>(
      'SELECT xact_rollback::text AS rollbacks FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(result.rows[0]?.rollbacks ?? 0);
  });
}

describe.runIf(pgMissingInCi)('PostgreSQL processes in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

// The child processes open the storage with `openStorage(url)`, so the schema travels in the URL.
describe.skipIf(!pgUrl)('PostgreSQL shared by several processes', { timeout: 60_000 }, () => {
  it('given 4 processes sending commands to 4 shared cases, then every command is stored once, positions increase and versions are contiguous', async () => {
    const schema = freshSchemaName('hammer');
    try {
      const rollbacksBefore = await databaseRollbacks();
      const result = await hammerWithProcesses(urlWithSchema(requirePgUrl(), schema), { workers: 4, cases: 4, commands: 60 });
      // The workers count only conflicts that outlived the handler's 50 attempts; the appends that
      // lost a race and were retried inside the handler show as rolled-back transactions (database
      // wide, so other tests running at the same time add to it).
      const rollbacks = (await databaseRollbacks()) - rollbacksBefore;
      console.info(
        `[postgres-processes] hammer: ${result.events} events stored, ${result.conflicts} conflicts left to the workers, ` +
          `${rollbacks} transactions rolled back in the database meanwhile (appends that lost a race, retried by the handler)`,
      );
      expect(result.events).toBeGreaterThanOrEqual(4 * 60 + 4);
    } finally {
      await dropSchema(schema);
    }
  });

  it('given a writer killed with SIGKILL mid-batch, when the storage is reopened, then every acknowledged append is there and no batch is partial', async () => {
    const schema = freshSchemaName('crash');
    try {
      const result = await killMidBatch(urlWithSchema(requirePgUrl(), schema), { acks: 40, batch: 5 });
      console.info(`[postgres-processes] crash: ${result.acknowledged} events acknowledged, ${result.stored} stored`);
      expect(result.stored).toBeGreaterThanOrEqual(result.acknowledged);
    } finally {
      await dropSchema(schema);
    }
  });
});
