/**
 * What must hold once the {@link RetentionStory} has run past retention, store by store: every
 * copy of the person reachable through the public API is erased or gone while the register keeps
 * the facts; and, across the whole story, the NIR is nowhere it should not be. Runner-agnostic:
 * each check throws (node's assert) and the test files run them one by one.
 */
import assert from 'node:assert/strict';
import { formatWithOptions } from 'node:util';
import { withPersonNames } from '@misas/projections';
import { filesContaining, type RawFile } from '../../../adapters/src/testing/raw-files.ts';
import { exportEntry } from '../rights/person-export.ts';
import { caseId, nir, nirNumber, person, principals, secrets, type RetentionStory } from './retention-scenario.ts';

export interface RetentionCheck {
  readonly name: string;
  run(story: RetentionStory): Promise<void>;
}

/** The secrets (by name) that occur in `text`. */
export function secretsIn(text: string): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

/** The secrets (by name) found in any of the raw files, with the files they are in. */
export function secretsOnDisk(files: readonly RawFile[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(secrets)) {
    const where = filesContaining(files, value);
    if (where.length > 0) found[name] = where;
  }
  return found;
}

/** The instant the scheduler erases on: the morning of the day the person must be erased by. */
const erasedAt = (story: RetentionStory) => `${story.eraseBy}T06:00:00.000Z`;

/** Checks on the public API once the scheduler erased the person. */
export const afterErasureChecks: readonly RetentionCheck[] = [
  {
    name: 'the log holds one PersonalDataErased, for retention-expired, sent by the scheduler on the day due',
    async run(story) {
      const erasures = (await story.events()).filter((event) => event.type === 'PersonalDataErased');
      assert.equal(erasures.length, 1);
      assert.deepEqual(erasures[0]?.data, { reason: 'retention-expired' });
      assert.deepEqual(erasures[0]?.meta.actor, { role: 'system', id: 'scheduler' });
      assert.equal(erasures[0]?.meta.occurredAt, erasedAt(story));
    },
  },
  {
    name: 'the case detail says the person is erased',
    async run(story) {
      const detail = await story.as('counsellor').caseDetail(caseId);
      assert.deepEqual(detail?.person, { status: 'erased' });
      assert.deepEqual(secretsIn(JSON.stringify(detail)), []);
    },
  },
  {
    name: 'a new access export says erased (why and when) and shows no name, phone, NIR or note, as data or as document',
    async run(story) {
      const exported = await story.as('dpo').exportPerson(caseId);
      assert.deepEqual(exported.data.personalData, { status: 'erased', erasedAt: erasedAt(story), reason: 'retention-expired' });
      assert.equal(exported.data.retention.erasedOn, story.eraseBy);
      assert.deepEqual(exported.data.notes.map((note) => note.text), [null]);
      assert.deepEqual(exported.data.rectifications.map((rectification) => rectification.changes), [null]);
      assert.deepEqual(secretsIn(JSON.stringify(exported.data)), []);
      assert.deepEqual(secretsIn(exported.document), []);
      // Nothing personal is left to keep: no new copy goes to the vault.
      assert.deepEqual(await story.storage.vault.get(story.subjectRef, exportEntry(exported.exportId)), { status: 'erased' });
    },
  },
  {
    name: 'the sealed copy of the earlier export, and every other vault entry of the person, read as erased',
    async run(story) {
      assert.deepEqual(await story.storage.vault.get(story.subjectRef, exportEntry(story.exportId)), { status: 'erased' });
      assert.deepEqual(await story.storage.vault.entries(story.subjectRef), { status: 'erased' });
    },
  },
  {
    name: 'the partner still sees its referral, without the person',
    async run(story) {
      const referrals = await story.read('partner-referrals', story.as('partner').partnerReferrals());
      assert.deepEqual(
        referrals.map((referral) => ({ caseId: referral.caseId, referralId: referral.referralId, person: referral.person })),
        [{ caseId, referralId: 'ref-ccas', person: null }],
      );
    },
  },
  {
    name: 'names resolved for register rows come back null',
    async run(story) {
      const page = await story.as('supervisor').caseRegister({}, { limit: 10 });
      const named = await withPersonNames(page.rows, story.storage.vault);
      assert.deepEqual(
        named.map((row) => [row.caseId, row.person]),
        [[caseId, null]],
      );
    },
  },
  {
    name: 'the detector view no longer lists the referral',
    async run(story) {
      assert.deepEqual(await story.read('detector-referrals', story.as('detector').detectorReferrals()), []);
    },
  },
  {
    name: 'the person is found neither by NIR nor by name',
    async run(story) {
      assert.deepEqual(await story.as('dpo').findPerson({ kind: 'nir', nir }), []);
      const identity = { kind: 'identity', lastName: person.lastName, firstName: person.firstName, birthDate: person.birthDate } as const;
      assert.deepEqual(await story.as('dpo').findPerson(identity), []);
    },
  },
  {
    name: 'the register row keeps the non-personal facts for statistics, and when the data was erased',
    async run(story) {
      const page = await story.as('supervisor').caseRegister({}, { limit: 10 });
      assert.equal(page.rows.length, 1);
      const row = page.rows[0];
      assert.ok(row);
      assert.equal(row.personalDataErasedAt, erasedAt(story));
      assert.equal(row.status, 'closed');
      assert.equal(row.closureReason, 'objectives-met');
      assert.deepEqual(row.outcomes.rightsOpened, ['c2s']);
      assert.deepEqual(row.partnersSolicited, ['ccas']);
      assert.deepEqual(row.orientedTo, ['ccas']);
      assert.equal(row.ageBand, '40-59');
      assert.equal(row.rectificationCount, 1);
      assert.equal(row.dates.closedAt, story.closedAt);
      assert.equal(row.counsellorId, principals.counsellor.id);
      assert.deepEqual(secretsIn(JSON.stringify(row)), []);
      // …and the headline indicator still counts the case.
      const report = await story.as('supervisor').indicators({ from: '2026-01-01', to: '2026-12-31' });
      assert.equal(report.overall.referred, 1);
      assert.deepEqual(report.overall.rightsShare, { numerator: 1, denominator: 1, value: 1 });
    },
  },
];

/** One text the library produced or kept, and where it comes from. */
export interface Sighting {
  readonly place: string;
  readonly text: string;
}

/**
 * Everything the story left or said that a NIR must never reach: every event, every document of
 * every read-model collection (`collections`: what the store holds, listed by the test from the
 * store itself), every outbox message delivered, every audit entry, the refusals of a bad NIR,
 * and what the detector and partner views answered.
 */
export async function everythingOutsideTheVault(story: RetentionStory, collections: readonly string[]): Promise<Sighting[]> {
  const { events, projections, audit, outbox } = story.storage;
  const seen: Sighting[] = [];
  for (const event of await events.readAll()) seen.push({ place: `event ${event.position} ${event.type}`, text: JSON.stringify(event) });
  for (const collection of collections) {
    let after: string | undefined;
    for (;;) {
      const page = await projections.list(collection, { limit: 200, ...(after === undefined ? {} : { after }) });
      for (const document of page) seen.push({ place: `read model ${collection}/${document.key}`, text: JSON.stringify(document) });
      after = page.at(-1)?.key;
      if (page.length < 200) break;
    }
  }
  // Every message was delivered (so the relay's copies are all there is).
  assert.equal(await outbox.pendingCount(), 0);
  for (const message of story.delivered) seen.push({ place: 'outbox message', text: message });
  let next: string | null = null;
  do {
    const page = await audit.query({}, { limit: 1000, after: next });
    for (const entry of page.entries) seen.push({ place: `audit ${entry.name}`, text: JSON.stringify(entry) });
    next = page.next;
  } while (next !== null);
  for (const refusal of story.refusals) seen.push({ place: 'refusal of a bad NIR', text: refusal });
  for (const answer of story.answers) {
    if (answer.query === 'partner-referrals' || answer.query === 'detector-referrals') seen.push({ place: `view ${answer.query}`, text: answer.json });
  }
  return seen;
}

/** What {@link everythingOutsideTheVault} saw, over several looks (erasure deletes some documents). */
export class Sweep {
  readonly sightings: Sighting[] = [];
  readonly collections = new Set<string>();

  async look(story: RetentionStory, collections: readonly string[]): Promise<void> {
    for (const collection of collections) this.collections.add(collection);
    this.sightings.push(...(await everythingOutsideTheVault(story, collections)));
  }

  /** The places where `text` was seen. */
  placesOf(text: string): string[] {
    return this.sightings.filter((sighting) => sighting.text.includes(text)).map((sighting) => sighting.place);
  }
}

/**
 * The NIR proof both stores run after the story: every kind of place was looked at, the NIR was
 * really there to leak (the counsellor saw it), and its digits are in none of those places nor on
 * the console.
 */
export async function assertNirNowhere(sweep: Sweep, story: RetentionStory, collections: readonly string[], printed: readonly string[]): Promise<void> {
  await sweep.look(story, collections);
  for (const place of ['event', 'read model', 'outbox message', 'audit', 'refusal of a bad NIR', 'view partner-referrals', 'view detector-referrals']) {
    assert.ok(sweep.sightings.some((sighting) => sighting.place.startsWith(place)), `nothing was looked at in: ${place}`);
  }
  for (const collection of ['case-register@1/cases', 'caseload@1/cases', 'detector-view@1/referrals', 'deadlines@1/by-case', 'erasure-relay/subjects']) {
    assert.ok(sweep.collections.has(collection), `collection not swept: ${collection}`);
  }
  assert.ok(story.answers.some((answer) => answer.query === 'case-detail' && answer.json.includes(nir)), 'the counsellor never saw the NIR');
  // The 13 digits before the key: a copy of the NIR or of the badly-formed one would show them.
  assert.deepEqual(sweep.placesOf(nirNumber), []);
  assert.deepEqual(printed.filter((line) => line.includes(nirNumber)), []);
}

/** What was printed on the console while recording. */
export interface ConsoleRecord {
  readonly printed: readonly string[];
  stop(): void;
}

/** The console methods a library might print through. */
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Records everything printed on the console, as it would read, and still prints it, until
 * `stop`. (Not a vitest spy: vitest clears a spy's calls before each test, and the story spans
 * several tests.)
 */
export function recordConsole(): ConsoleRecord {
  const printed: string[] = [];
  const originals = consoleMethods.map((method) => [method, console[method]] as const);
  for (const [method, print] of originals) {
    console[method] = (...args: unknown[]) => {
      printed.push(formatWithOptions({ depth: null }, ...args));
      print.apply(console, args);
    };
  }
  return {
    printed,
    stop: () => {
      for (const [method, print] of originals) console[method] = print;
    },
  };
}
