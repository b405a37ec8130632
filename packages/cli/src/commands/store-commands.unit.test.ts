import { describe, expect, it } from 'vitest';
import { createInMemoryStorage } from '@misas/core';
import { loadScenarioFile } from '../scenario/parse.ts';
import { playScenario } from '../scenario/play.ts';
import { exampleScenario } from '../testing/capture.ts';
import { schemaVersionAfterOpening } from './migrate.ts';
import { purge } from './purge.ts';
import { rebuildProjections } from './rebuild.ts';

/** An in-memory store holding the example's closed case. */
async function storeWithClosedCase() {
  const storage = createInMemoryStorage();
  await playScenario(await loadScenarioFile(exampleScenario), { storage });
  return storage;
}

describe('the store commands, on the in-memory store', () => {
  it('given a closed case, when purged before and after its retention, then it is erased once, after', async () => {
    const storage = await storeWithClosedCase();
    expect(await purge(storage, '2026-06-01T00:00:00.000Z')).toMatchObject({ erasures: 0 });
    expect(await purge(storage, '2027-11-01T00:00:00.000Z')).toMatchObject({ erasures: 1, closures: 0 });
    expect(await purge(storage, '2027-11-02T00:00:00.000Z')).toMatchObject({ erasures: 0 });
  });

  it('given a case, when one projection is rebuilt, then it reads every event into a new generation', async () => {
    const storage = await storeWithClosedCase();
    const [rebuilt, ...others] = await rebuildProjections(storage, 'case-register');
    expect(others).toEqual([]);
    expect(rebuilt).toMatchObject({ projection: 'case-register', processed: 25 });
    expect(rebuilt?.generation).toBeGreaterThan(0);
  });

  it('given each kind of store URL, when migrated, then the version reported is its kind', () => {
    expect(schemaVersionAfterOpening('memory:')).toEqual({ kind: 'memory', version: null });
    expect(schemaVersionAfterOpening('postgres://db/misas').kind).toBe('postgres');
    expect(schemaVersionAfterOpening('sqlite:./misas.db').kind).toBe('sqlite');
  });
});
