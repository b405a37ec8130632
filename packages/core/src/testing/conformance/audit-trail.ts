/**
 * Conformance cases for an `AuditTrail`: entries come back as recorded, every filter criterion
 * holds, a batch is written whole or not at all, pages follow id order, and the purge removes only
 * older entries.
 */
import assert from 'node:assert/strict';
import type { AuditEntry, AuditTrail } from '../../application/ports/audit-trail.ts';

/** One case of the audit trail conformance suite: run it against a fresh instance from the factory. */
export interface AuditTrailConformanceCase {
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case; it throws when the implementation breaks the guarantee. */
  run(factory: () => AuditTrail | Promise<AuditTrail>): Promise<void>;
}

/** A counsellor of fund cpam-22 reading a case's personal data at 09:00; `changes` override any field. */
function entry(id: string, changes: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: '2026-01-05T09:00:00.000Z',
    principal: { role: 'counsellor', id: 'counsellor-12', fundId: 'cpam-22' },
    action: 'read',
    name: 'case-detail',
    outcome: 'allowed',
    fundId: 'cpam-22',
    caseId: 'case-001',
    subjectRef: 'subject-001',
    personalData: true,
    rule: null,
    ...changes,
  };
}

/** The ids of every entry matching `filter`, read in one page. */
async function idsOf(trail: AuditTrail, filter: Parameters<AuditTrail['query']>[0]): Promise<string[]> {
  const page = await trail.query(filter, { limit: 1000 });
  assert.equal(page.next, null);
  return page.entries.map((found) => found.id);
}

/** The audit trail conformance suite: every case an implementation must pass (run each in a test). */
export const auditTrailConformance: readonly AuditTrailConformanceCase[] = [
  {
    name: 'reads entries back exactly as recorded, null fields included, in id order',
    async run(factory) {
      const trail = await factory();
      const full = entry('01J0000000000000000000000B', {
        at: '2026-01-05T09:00:00.123456Z',
        action: 'change',
        name: 'AcceptReferral',
        outcome: 'denied',
        rule: 'own-fund-only',
      });
      const national = entry('01J0000000000000000000000A', {
        at: '2026-01-05T09:00:00Z',
        principal: { role: 'national-analyst', id: 'cnam-7', fundId: null },
        name: 'national-indicators',
        fundId: null,
        caseId: null,
        subjectRef: null,
        personalData: false,
      });
      const expected = [structuredClone(national), structuredClone(full)];
      await trail.record([full, national]);
      // The trail keeps what it was given, not the caller's objects.
      full.principal.id = 'changed-after-recording';
      national.name = 'changed-after-recording';
      assert.deepEqual(await trail.query({}, { limit: 10 }), { entries: expected, next: null });
    },
  },
  {
    name: 'filters by fund, case, subject and principal; every criterion given must hold',
    async run(factory) {
      const trail = await factory();
      await trail.record([
        entry('a'),
        entry('b', { fundId: 'cpam-29', caseId: 'case-002', subjectRef: 'subject-002' }),
        entry('c', { principal: { role: 'supervisor', id: 'supervisor-3', fundId: 'cpam-22' }, caseId: 'case-002', subjectRef: 'subject-002' }),
        entry('d', { caseId: null, subjectRef: null }),
      ]);
      assert.deepEqual(await idsOf(trail, {}), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await idsOf(trail, { fundId: 'cpam-22' }), ['a', 'c', 'd']);
      assert.deepEqual(await idsOf(trail, { fundId: 'cpam-29' }), ['b']);
      assert.deepEqual(await idsOf(trail, { caseId: 'case-002' }), ['b', 'c']);
      assert.deepEqual(await idsOf(trail, { subjectRef: 'subject-001' }), ['a']);
      assert.deepEqual(await idsOf(trail, { principalId: 'supervisor-3' }), ['c']);
      assert.deepEqual(await idsOf(trail, { principalId: 'counsellor-12' }), ['a', 'b', 'd']);
      assert.deepEqual(await idsOf(trail, { fundId: 'cpam-22', caseId: 'case-002' }), ['c']);
      assert.deepEqual(await idsOf(trail, { fundId: 'cpam-29', principalId: 'supervisor-3' }), []);
      assert.deepEqual(await idsOf(trail, { caseId: 'case-404' }), []);
    },
  },
  {
    name: 'with fund null, returns the entries filed under no fund only (what a national auditor reads)',
    async run(factory) {
      const trail = await factory();
      const national = { role: 'national-analyst', id: 'cnam-7', fundId: null } as const;
      await trail.record([
        entry('a'),
        entry('b', { principal: national, fundId: null, caseId: null, subjectRef: null, personalData: false }),
        entry('c', { principal: national, fundId: 'cpam-29', caseId: 'case-002', subjectRef: null, personalData: false }),
        entry('d', { principal: national, fundId: null, caseId: 'case-404', subjectRef: null, personalData: false }),
      ]);
      assert.deepEqual(await idsOf(trail, { fundId: null }), ['b', 'd']);
      assert.deepEqual(await idsOf(trail, { fundId: null, caseId: 'case-404' }), ['d']);
      assert.deepEqual(await idsOf(trail, { fundId: null, principalId: 'counsellor-12' }), []);
    },
  },
  {
    name: 'filters on time with inclusive bounds, whatever the precision the instants are written with',
    async run(factory) {
      const trail = await factory();
      await trail.record([
        entry('a', { at: '2026-01-05T08:59:59.999Z' }),
        entry('b', { at: '2026-01-05T09:00:00Z' }),
        entry('c', { at: '2026-01-05T09:00:00.5Z' }),
        entry('d', { at: '2026-01-05T09:00:01.000Z' }),
        entry('e', { at: '2026-01-05T09:00:01.000001Z' }),
      ]);
      assert.deepEqual(await idsOf(trail, { from: '2026-01-05T09:00:00.000Z' }), ['b', 'c', 'd', 'e']);
      assert.deepEqual(await idsOf(trail, { to: '2026-01-05T09:00:01Z' }), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await idsOf(trail, { from: '2026-01-05T09:00:00.500000Z', to: '2026-01-05T09:00:01.000Z' }), ['c', 'd']);
      assert.deepEqual(await idsOf(trail, { from: '2026-01-05T09:00:00.5Z', to: '2026-01-05T09:00:00.5Z' }), ['c']);
      assert.deepEqual(await idsOf(trail, { from: '2026-01-05T10:00:00Z' }), []);
      assert.deepEqual(await idsOf(trail, { from: '2026-01-05T09:00:00Z', caseId: 'case-002' }), []);
    },
  },
  {
    name: 'personalDataOnly keeps the entries that read or wrote personal data',
    async run(factory) {
      const trail = await factory();
      await trail.record([entry('a', { personalData: true }), entry('b', { personalData: false }), entry('c', { personalData: true })]);
      assert.deepEqual(await idsOf(trail, { personalDataOnly: true }), ['a', 'c']);
      assert.deepEqual(await idsOf(trail, { personalDataOnly: false }), ['a', 'b', 'c']);
      assert.deepEqual(await idsOf(trail, { personalDataOnly: true, caseId: 'case-001' }), ['a', 'c']);
    },
  },
  {
    name: 'recording an id again keeps the first entry, across batches and within one',
    async run(factory) {
      const trail = await factory();
      await trail.record([entry('a', { name: 'first' })]);
      await trail.record([entry('a', { name: 'second' }), entry('b', { name: 'first' }), entry('b', { name: 'second' })]);
      const page = await trail.query({}, { limit: 10 });
      assert.deepEqual(
        page.entries.map((found) => [found.id, found.name]),
        [
          ['a', 'first'],
          ['b', 'first'],
        ],
      );
    },
  },
  {
    name: 'an invalid entry refuses the whole batch: nothing of it is written',
    async run(factory) {
      const trail = await factory();
      await trail.record([entry('kept')]);
      // A field the schema does not know is refused rather than silently dropped.
      const withNote = { ...entry('b'), note: 'free text may hold personal data' };
      const invalid: readonly AuditEntry[][] = [
        [entry('a'), entry('b', { at: 'yesterday' })],
        [entry('a'), entry('b', { name: '' })],
        [entry('a'), entry('b', { id: '' })],
        [entry('a'), entry('b', { at: '2026-01-05T09:00:00+01:00' })],
        [entry('a'), entry('b', { principal: { role: 'counsellor', id: '', fundId: 'cpam-22' } })],
        [entry('a'), withNote],
      ];
      for (const batch of invalid) await assert.rejects(trail.record(batch), Error);
      assert.deepEqual(await idsOf(trail, {}), ['kept']);
    },
  },
  {
    name: 'pages follow id order, with a cursor to the next page and none after the last',
    async run(factory) {
      const trail = await factory();
      await trail.record(['e', 'b', 'd', 'a', 'c'].map((id) => entry(id)));
      const first = await trail.query({}, { limit: 2 });
      assert.deepEqual([first.entries.map((found) => found.id), first.next], [['a', 'b'], 'b']);
      const second = await trail.query({}, { limit: 2, after: first.next });
      assert.deepEqual([second.entries.map((found) => found.id), second.next], [['c', 'd'], 'd']);
      const last = await trail.query({}, { limit: 2, after: second.next });
      assert.deepEqual([last.entries.map((found) => found.id), last.next], [['e'], null]);
      // A page that ends exactly on the last entry has no next page.
      const exact = await trail.query({}, { limit: 5, after: null });
      assert.deepEqual([exact.entries.length, exact.next], [5, null]);
      const afterAll = await trail.query({}, { limit: 5, after: 'e' });
      assert.deepEqual(afterAll, { entries: [], next: null });
      // The cursor composes with a filter.
      await trail.record([entry('f', { caseId: 'case-002' }), entry('g', { caseId: 'case-002' }), entry('h', { caseId: 'case-002' })]);
      const filtered = await trail.query({ caseId: 'case-002' }, { limit: 2, after: 'c' });
      assert.deepEqual([filtered.entries.map((found) => found.id), filtered.next], [['f', 'g'], 'g']);
    },
  },
  {
    name: 'a page limit outside 1 to 1000 is refused with a RangeError',
    async run(factory) {
      const trail = await factory();
      await trail.record([entry('a')]);
      for (const limit of [0, -1, 1001, 1.5, Number.NaN]) await assert.rejects(trail.query({}, { limit }), RangeError);
      assert.equal((await trail.query({}, { limit: 1 })).entries.length, 1);
      assert.equal((await trail.query({}, { limit: 1000 })).entries.length, 1);
    },
  },
  {
    name: 'purging deletes only the entries recorded before the instant and says how many',
    async run(factory) {
      const trail = await factory();
      await trail.record([
        entry('a', { at: '2026-01-04T23:59:59Z' }),
        entry('b', { at: '2026-01-05T08:59:59.999999Z' }),
        entry('c', { at: '2026-01-05T09:00:00Z' }),
        entry('d', { at: '2026-01-05T09:00:00.000Z' }),
        entry('e', { at: '2026-01-06T00:00:00.000Z' }),
      ]);
      assert.equal(await trail.purgeBefore('2026-01-05T09:00:00.000Z'), 2);
      assert.deepEqual(await idsOf(trail, {}), ['c', 'd', 'e']);
      assert.equal(await trail.purgeBefore('2026-01-05T09:00:00Z'), 0);
      assert.equal(await trail.purgeBefore('2026-01-07T00:00:00Z'), 3);
      assert.deepEqual(await idsOf(trail, {}), []);
    },
  },
];
