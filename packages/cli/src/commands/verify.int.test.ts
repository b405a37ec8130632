/**
 * `misas verify` on real stores: a store misas wrote passes; an event changed behind its back with
 * raw SQL is named (position, case, version, type, first issue) and the run exits 3. Verify mode
 * (`?verify=full`, `openStorage(url, { verify: true })`) refuses what reads through the envelope
 * check let pass. SQLite always, PostgreSQL when `MISAS_PG_URL` is set.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStorage } from '@misas/adapters';
import { loadCase, ReplayError } from '@misas/core';
import { durableStores, isOneLine } from '../testing/attack-kit.ts';
import { captureCli, exampleScenario } from '../testing/capture.ts';
import { tamperPayload } from '../testing/tamper.ts';
import { redactUrl } from '../storage.ts';

const Report = z.strictObject({
  verified: z.number(),
  clean: z.boolean(),
  bad: z.array(z.strictObject({ position: z.number(), caseId: z.string(), version: z.number(), type: z.string(), issue: z.string() })),
});

/** Loads the example's case through `openStorage(url, options)`: its version, or the error. */
async function load(url: string, options: { verify?: boolean } = {}): Promise<number | unknown> {
  const storage = await openStorage(url, options);
  try {
    return (await loadCase(storage.events, 'case-lou')).state.version;
  } catch (error) {
    return error;
  } finally {
    await storage.close();
  }
}

describe.each(durableStores('verify'))('misas verify on $kind', ({ create }) => {
  it('passes a store misas wrote, names each event changed behind its back, and exits 3', async () => {
    const store = create();
    try {
      expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
      const clean = await captureCli(['verify', '--store', store.url]);
      expect(clean).toEqual({ code: 0, out: '25 events verified: each matches its schema', err: '', store: [`misas: store ${redactUrl(store.url)} (${store.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`] });
      expect(Report.parse(JSON.parse((await captureCli(['verify', '--store', store.url, '--json'])).out))).toEqual({ verified: 25, clean: true, bad: [] });

      // A key no schema has, added to a payload: within the envelope, so reads let it through…
      await tamperPayload(store, 'case-lou', 5, { addKey: 'injected', value: 'true' });
      expect(await load(store.url)).toBe(25);
      // …except in verify mode, by option or by URL.
      for (const verifying of [await load(store.url, { verify: true }), await load(`${store.url}${store.url.includes('?') ? '&' : '?'}verify=full`)]) {
        expect(verifying).toBeInstanceOf(ReplayError);
        expect((verifying as ReplayError).message).toMatch(/^Cannot replay stream case-lou at version 5: \w+ payload(?: at position \d+ of the log)? does not match schema v\d: \(root\): Unrecognized key: "injected" \[unrecognized_keys\]$/);
      }
      // A payload that is not an object is refused by every read.
      await tamperPayload(store, 'case-lou', 2, { replaceWith: '"tampered"' });
      expect(await load(store.url)).toBeInstanceOf(ReplayError);

      const found = await captureCli(['verify', '--store', store.url, '--no-progress']);
      expect(found.code).toBe(3);
      const lines = found.out.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^position \d+: case case-lou, version 2, \w+: \w+ payload does not match schema v\d: \(root\): Invalid input: expected object, received string \[invalid_type\]$/);
      expect(lines[1]).toMatch(/^position \d+: case case-lou, version 5, \w+: \w+ payload does not match schema v\d: \(root\): Unrecognized key: "injected" \[unrecognized_keys\]$/);
      expect(isOneLine(found.err)).toBe(true);
      expect(found.err).toContain('misas: 2 of 25 events do not match their schema (named above)');

      const json = await captureCli(['verify', '--store', store.url, '--json']);
      expect(json.code).toBe(3);
      const report = Report.parse(JSON.parse(json.out));
      expect(report).toMatchObject({ verified: 25, clean: false });
      expect(report.bad.map((bad) => [bad.caseId, bad.version])).toEqual([['case-lou', 2], ['case-lou', 5]]);
      expect(report.bad[0]?.position).toBeLessThan(report.bad[1]?.position ?? 0);
    } finally {
      await store.drop();
    }
  });

  it('refuses a verify-mode URL it cannot read, as bad input', async () => {
    const store = create();
    try {
      const bad = await captureCli(['verify', '--store', `${store.url}${store.url.includes('?') ? '&' : '?'}verify=sometimes`]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("?verify= takes 'full', not 'sometimes'");
    } finally {
      await store.drop();
    }
  });
});
