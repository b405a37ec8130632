import { describe, it } from 'vitest';
import {
  eventStoreConformance,
  inlineAppendConformance,
  leaseConformance,
  outboxConformance,
  projectionStoreConformance,
  vaultConformance,
} from '@misas/core/testing';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withFreshStorage } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL conformance in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

// Each case gets a fresh schema, as the suites require a fresh, empty store per case.
describe.skipIf(!pgUrl)('PostgreSQL storage conformance, a fresh schema per case', { timeout: 30_000 }, () => {
  describe('event store', () => {
    for (const check of eventStoreConformance) it(check.name, () => withFreshStorage('events', (storage) => check.run(() => storage.events)));
  });
  describe('vault', () => {
    for (const check of vaultConformance) it(check.name, () => withFreshStorage('vault', (storage) => check.run(() => storage.vault)));
  });
  describe('projection store', () => {
    for (const check of projectionStoreConformance) {
      it(check.name, () => withFreshStorage('projections', (storage) => check.run(() => storage.projections)));
    }
  });
  describe('outbox', () => {
    for (const check of outboxConformance) it(check.name, () => withFreshStorage('outbox', (storage) => check.run(() => storage.outbox)));
  });
  describe('leases', () => {
    for (const check of leaseConformance) it(check.name, () => withFreshStorage('leases', (storage) => check.run(() => storage.leases)));
  });
  describe('inline appends', () => {
    // Each case closes the storage itself; withFreshStorage closes it again (harmless) and drops the schema.
    for (const check of inlineAppendConformance) it(check.name, () => withFreshStorage('inline', (storage) => check.run(() => storage)));
  });
});
