/**
 * Issue 13: events validated once. A store of misas validates every event on write, and its reads
 * check only the envelope of an event at the current schema version. Someone with write access to
 * the database can then change a payload behind misas's back; these tests do so with raw SQL and
 * read the store through the fast path: a load, a rebuild of every read model, an export. Whatever
 * the payload holds — a `__proto__` key at the top or deeper, something that is not an object, a
 * field of the wrong kind — nothing may be polluted, and nothing may fail but with a `ReplayError`
 * naming the event (`misas` exits 1 with one line, never 5). `misas verify` names each one.
 * SQLite always, PostgreSQL when `MISAS_PG_URL` is set (the in-memory log cannot be written but
 * through its append).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '@misas/adapters';
import { loadCase, ReplayError } from '@misas/core';
import { durableStores, isOneLine, type AttackStore } from './testing/attack-kit.ts';
import { captureCli, exampleScenario } from './testing/capture.ts';
import { tamperPayload, type Tampering } from './testing/tamper.ts';

/** Whether anything was added to what every object inherits. */
function polluted(): boolean {
  const probe: Record<string, unknown> = {};
  return Object.getOwnPropertyNames(Object.prototype).includes('polluted') || probe['polluted'] !== undefined || 'polluted' in Array.prototype;
}

const pollution = '{"polluted": "yes", "toString": "no"}';

/** Tamperings of the example case (case-lou: 25 events; 1 ReferralReceived, 2 ReferralAccepted, 5 ReviewItemRecorded). */
const tamperings: readonly { readonly what: string; readonly version: number; readonly tampering: Tampering; readonly refusedByEveryRead: boolean }[] = [
  { what: 'a __proto__ key at the top of a payload', version: 2, tampering: { addKey: '__proto__', value: pollution }, refusedByEveryRead: true },
  { what: 'a __proto__ key inside a payload', version: 1, tampering: { addKey: '__proto__', value: pollution, under: 'referral' }, refusedByEveryRead: false },
  { what: 'a constructor key inside a payload', version: 1, tampering: { addKey: 'constructor', value: '{"prototype": {"polluted": "yes"}}', under: 'referral' }, refusedByEveryRead: false },
  { what: 'a payload that is null', version: 5, tampering: { replaceWith: 'null' }, refusedByEveryRead: true },
  { what: 'a payload that is an array', version: 5, tampering: { replaceWith: '[1, 2, 3]' }, refusedByEveryRead: true },
  { what: 'a payload that is a string', version: 2, tampering: { replaceWith: '"tampered"' }, refusedByEveryRead: true },
  { what: 'a field of the wrong kind that the replay uses', version: 1, tampering: { addKey: 'referral', value: '42' }, refusedByEveryRead: false },
];

describe.each(durableStores('tampered'))('a tampered payload read through the envelope check, on $kind', ({ create }) => {
  let store: AttackStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it.each(tamperings)('$what: no pollution, and no failure but a ReplayError naming the event', async ({ version, tampering, refusedByEveryRead }) => {
    store = create();
    expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
    await tamperPayload(store, 'case-lou', version, tampering);

    const storage = await openStorage(store.url);
    let loaded: unknown;
    try {
      expect(storage.events.validatedOnWrite).toBe(true);
      loaded = await loadCase(storage.events, 'case-lou').catch((error: unknown) => error);
    } finally {
      await storage.close();
    }
    if (loaded instanceof Error) {
      expect(loaded).toBeInstanceOf(ReplayError);
      expect(loaded).toMatchObject({ streamId: 'case-lou', version });
    } else {
      expect(refusedByEveryRead).toBe(false);
    }
    expect(polluted()).toBe(false);

    for (const command of [['rebuild'], ['export', 'case-lou', '--as-dpo', 'dpo-22', '--fund', 'cpam-22']]) {
      const run = await captureCli([...command, '--store', store.url]);
      expect(polluted()).toBe(false);
      if (run.code !== 0) {
        expect(run.code, run.err).toBe(1);
        expect(isOneLine(run.err)).toBe(true);
        // A ReplayError naming the event, or the export's own check of what it is about to hand out.
        expect(run.err).toMatch(new RegExp(`^misas: (Cannot replay stream case-lou at version ${version}: |the export of case case-lou does not match its schema at )`));
      }
    }

    const verify = await captureCli(['verify', '--store', store.url, '--no-progress']);
    expect(verify.code).toBe(3);
    expect(verify.out).toMatch(new RegExp(`^position \\d+: case case-lou, version ${version}, \\w+: `));
    expect(polluted()).toBe(false);
  });
});
