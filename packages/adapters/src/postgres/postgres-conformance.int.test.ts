import { describe, it } from 'vitest';
import { storageConformance } from '@misas/core/testing';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withFreshStorage } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL conformance in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

// Each case gets a fresh schema, as the suites require a fresh, empty store per case.
describe.skipIf(!pgUrl)('PostgreSQL storage conformance, a fresh schema per case', { timeout: 30_000 }, () => {
  // withFreshStorage closes the storage (again, harmlessly, for the inline cases) and drops the schema.
  for (const check of storageConformance()) {
    it(`${check.suite}: ${check.name}`, () => withFreshStorage(check.suite.replace(/\W+/g, '_'), (storage) => check.run(async () => storage)));
  }
});

// Unnamed statements, as behind a pooler in transaction mode: the ports whose statements are hot
// (and prepared otherwise) — appends with their checks and entries, reads, read models, batches.
const unpreparedSuites = new Set(['event store', 'personal data with appends', 'projection store', 'inline appends', 'write batches']);

describe.skipIf(!pgUrl)('PostgreSQL storage conformance with prepare=false', { timeout: 30_000 }, () => {
  for (const check of storageConformance().filter((candidate) => unpreparedSuites.has(candidate.suite))) {
    it(`${check.suite}: ${check.name}`, () =>
      withFreshStorage(`np_${check.suite.replace(/\W+/g, '_')}`, (storage) => check.run(async () => storage), { prepare: false }),
    );
  }
});
