/**
 * Conformance cases of validation on write: a store that claims `validatedOnWrite` — its readers
 * then check only the envelope of an event at its current schema version — must refuse, whole, an
 * append holding an event that does not match its full schema, and store each event as its schema
 * reads it. A store that does not claim it is not held to them: its readers run the full schemas.
 */
import assert from 'node:assert/strict';
import type { EventStore, NewEvent } from '../../application/ports/event-store.ts';
import type { EventData } from '../../domain/events/catalogue.ts';
import type { EventMetadata } from '../../domain/events/metadata.ts';
import { sampleReferralFacts } from '../fixtures.ts';

/** The same shape as `ConformanceCase` (event-store.ts, which lists these cases). */
interface Case {
  readonly name: string;
  run(factory: () => EventStore | Promise<EventStore>): Promise<void>;
}

/** A `ReferralReceived` payload whose detector service is `service` (free text: trimmed and normalised by its schema). */
export function referralPayload(service: string): EventData<'ReferralReceived'> {
  return {
    fundId: 'cpam-22',
    channel: 'external-form',
    subjectRef: 'subj-1',
    referral: sampleReferralFacts({ detector: { kind: 'external-partner', service } }),
  };
}

function metaOf(streamId: string, version: number, overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    eventId: `evt-${streamId}-${version}`,
    caseId: streamId,
    version,
    occurredAt: '2026-01-05T09:00:00.000Z',
    recordedAt: '2026-01-05T09:00:00.000Z',
    actor: { role: 'detector', id: 'det-1' },
    correlationId: 'c',
    causationId: 'c',
    commandId: 'c',
    schemaVersion: 1,
    ...overrides,
  };
}

/** One `ReferralReceived` opening `streamId`, command `c`. */
export function referralEvents(streamId: string, data: unknown): NewEvent[] {
  return [{ type: 'ReferralReceived', data, meta: metaOf(streamId, 1) }];
}

const timeLogged = (streamId: string, version: number, data: unknown, meta: Partial<EventMetadata> = {}): NewEvent => ({
  type: 'TimeSpentLogged',
  data,
  meta: metaOf(streamId, version, { schemaVersion: 2, ...meta }),
});

/** Appends that a store validating on write must refuse, each with what makes it invalid. */
const invalidAppends: readonly (readonly [string, NewEvent[]])[] = [
  ['an unknown event type', [{ type: 'SomethingElse', data: {}, meta: metaOf('bad', 1) }]],
  ['a payload out of its schema', [timeLogged('bad', 1, { minutes: 0, activity: 'follow-up' })]],
  ['a field the schema does not know', [timeLogged('bad', 1, { minutes: 5, activity: 'follow-up', extra: true })]],
  ['a payload that is not an object', [timeLogged('bad', 1, 'five minutes')]],
  ['a bad id in the metadata', [timeLogged('bad', 1, { minutes: 5, activity: 'follow-up' }, { actor: { role: 'counsellor', id: 'c\u00001' } })]],
  ['an instant of the wrong shape', [timeLogged('bad', 1, { minutes: 5, activity: 'follow-up' }, { occurredAt: 'yesterday' })]],
  ['a schema version newer than the library', [timeLogged('bad', 1, { minutes: 5, activity: 'follow-up' }, { schemaVersion: 3 })]],
  [
    'a valid event followed by an invalid one',
    [timeLogged('bad', 1, { minutes: 5, activity: 'follow-up' }), { ...timeLogged('bad', 2, { minutes: -1, activity: 'follow-up' }), meta: metaOf('bad', 2, { schemaVersion: 2, eventId: 'evt-bad-2b' }) }],
  ],
];

export const validationOnWriteConformance: readonly Case[] = [
  {
    name: 'a store that validates on write refuses an event that does not match its schema, and writes nothing',
    async run(factory) {
      const store = await factory();
      // Not claimed: readers of this store run the full schemas, whatever it holds.
      if (store.validatedOnWrite !== true) return;
      for (const [what, events] of invalidAppends) {
        await assert.rejects(
          store.append({ streamId: 'bad', expectedVersion: 0, commandId: 'c', events }),
          (error: unknown) => (error as { code?: string }).code === 'validation-failed',
          `${what} was not refused as invalid`,
        );
      }
      assert.deepEqual(await store.readStream('bad'), []);
      assert.equal(await store.headPosition(), 0);
      // An event of an older schema version is accepted when the built-in upcasters bring it to the current schema.
      await store.append({ streamId: 'old', expectedVersion: 0, commandId: 'c', events: [timeLogged('old', 1, { minutes: 5 }, { schemaVersion: 1 })] });
      assert.deepEqual((await store.readStream('old')).map((event) => event.data), [{ minutes: 5 }]);
    },
  },
  {
    name: 'a store that validates on write stores each event as its schema reads it',
    async run(factory) {
      const store = await factory();
      if (store.validatedOnWrite !== true) return;
      // Free text is trimmed and NFC-normalised by its schema: `e` + combining acute becomes `é`.
      await store.append({ streamId: 'n', expectedVersion: 0, commandId: 'c', events: referralEvents('n', referralPayload('  CCAS de Lanvell\u0065\u0301c  ')) });
      const [stored] = await store.readStream('n');
      assert.deepEqual(stored?.data, referralPayload('CCAS de Lanvell\u00e9c'));
    },
  },
];
