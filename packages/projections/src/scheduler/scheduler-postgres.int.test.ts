import { describe, it } from 'vitest';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withFreshStorage } from '../../../adapters/src/postgres/test-kit.ts';
import { neverReachedStory } from '../testing/time-scenario.ts';

describe.runIf(pgMissingInCi)('the scheduler on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe.skipIf(pgUrl === undefined)('the scheduler and the outbox relay on PostgreSQL', () => {
  it('given a person never reached, then reminder, unreachable closure, detector notices and erasure happen once each', async () => {
    await withFreshStorage('time', (storage) => neverReachedStory(storage));
  }, 120_000);
});
