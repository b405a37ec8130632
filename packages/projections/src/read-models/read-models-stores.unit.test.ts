import { describe, expect, it } from 'vitest';
import { createInMemoryStorage } from '@misas/core';
import { readModelsDump } from './testing/same-on-every-store.ts';

describe('read models in memory', () => {
  it('given eight cases down different paths, every read model and the indicators are built', async () => {
    const dump = await readModelsDump(createInMemoryStorage());
    expect(Object.keys(dump).length).toBeGreaterThan(4);
    expect(JSON.stringify(dump)).not.toMatch(/Martin|Alex|06 12 34/);
    expect(dump['indicators']).toMatchObject({
      overall: { referred: 8, accepted: 5, redirected: 1, declined: 1, accompaniedAndClosed: 2, rightsShare: { numerator: 1, denominator: 2 } },
    });
  });
});
