import { describe, it } from 'vitest';
import { createInMemoryStorage } from '@misas/core';
import { neverReachedStory } from '../testing/time-scenario.ts';

describe('the scheduler and the outbox relay in memory', () => {
  it('given a person never reached, then reminder, unreachable closure, detector notices and erasure happen once each', async () => {
    await neverReachedStory(createInMemoryStorage());
  });
});
