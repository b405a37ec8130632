import { describe, expect, it } from 'vitest';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, urlWithSchema } from '../../../adapters/src/postgres/test-kit.ts';
import { projectionWorkersShareOneProjection } from '../testing/scale-out.ts';

describe.runIf(pgMissingInCi)('scale-out on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe.skipIf(pgUrl === undefined)('scale-out on PostgreSQL', () => {
  it('given writer processes and two projection worker processes on one schema, then every position is processed exactly once', async () => {
    const schema = freshSchemaName('scale');
    try {
      const result = await projectionWorkersShareOneProjection(urlWithSchema(pgUrl ?? '', schema));
      expect(result.positions).toBeGreaterThan(160);
      expect(Object.values(result.byWorker).reduce((a, b) => a + b, 0)).toBe(result.positions);
    } finally {
      await dropSchema(schema);
    }
  }, 120_000);
});
