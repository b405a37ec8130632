/**
 * The envelope check: what a read from a store that validated on write still checks. It must give
 * the very event the full schemas give for whatever misas wrote, skip the payload's fields (that
 * is its point), and send anything it does not accept to the full schemas, whose `ReplayError`
 * names the event.
 */
import { describe, expect, it } from 'vitest';
import { stampEvents } from '../../application/stamp-events.ts';
import { ReplayError } from '../../errors.ts';
import { InMemoryEventStore } from '../../in-memory/memory-event-store.ts';
import { historyUntil } from '../../testing/fixtures.ts';
import { decodeEvent, type EventCheck, type EventRecord } from './decode.ts';
import type { EventMetadata } from './metadata.ts';

const meta: EventMetadata = {
  eventId: 'evt-1',
  caseId: 'case-1',
  version: 1,
  occurredAt: '2026-01-05T09:00:00.000Z',
  recordedAt: '2026-01-05T09:00:00.000Z',
  actor: { role: 'counsellor', id: 'c-1' },
  correlationId: 'cmd-1',
  causationId: 'cmd-1',
  commandId: 'cmd-1',
  schemaVersion: 2,
};
const timeLogged = (data: unknown, overrides: Record<string, unknown> = {}): EventRecord => ({ type: 'TimeSpentLogged', data, meta: { ...meta, ...overrides }, position: 9 });

function replayErrorOf(record: EventRecord, check: EventCheck = 'envelope'): ReplayError {
  try {
    decodeEvent(record, undefined, check);
  } catch (error) {
    if (error instanceof ReplayError) return error;
    throw error;
  }
  throw new Error('the record was decoded');
}

describe('decoding with the envelope check', () => {
  it('gives the very events the full schemas give, for a whole case as misas writes it', async () => {
    const store = new InMemoryEventStore();
    let ids = 0;
    const at = { fromVersion: 0, occurredAt: meta.occurredAt, recordedAt: meta.recordedAt, newId: () => `id-${++ids}` };
    const events = stampEvents(historyUntil.closed(), at, { caseId: 'case-1', commandId: 'cmd-1', fingerprint: 'f'.repeat(64), actor: meta.actor });
    await store.append({ streamId: 'case-1', expectedVersion: 0, commandId: 'cmd-1', events });
    // Fresh objects, as a durable store reads them (a frozen record would be decoded once and kept).
    const records = (await store.readAll()).map((record) => structuredClone(record));
    expect(records.length).toBeGreaterThan(20);
    for (const record of records) expect(decodeEvent(record, undefined, 'envelope')).toEqual(decodeEvent(record, undefined, 'full'));
  });

  it('does not parse the payload: a field out of its schema passes the envelope and fails the full schemas', () => {
    const record = timeLogged({ minutes: 0, activity: 'follow-up' });
    expect(decodeEvent(record, undefined, 'envelope').data).toEqual({ minutes: 0, activity: 'follow-up' });
    expect(replayErrorOf(record, 'full').message).toContain('does not match schema v2: minutes: ');
  });

  it.each([
    ['a string', 'five minutes'],
    ['an array', [5, 'follow-up']],
    ['null', null],
    ['a payload with its own __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "minutes": 5, "activity": "follow-up"}') as unknown],
  ])('refuses %s as a payload with a ReplayError naming the event', (_label, data) => {
    const error = replayErrorOf(timeLogged(data));
    expect(error.streamId).toBe('case-1');
    expect(error.version).toBe(1);
    expect(error.message).toMatch(/^Cannot replay stream case-1 at version 1: TimeSpentLogged payload at position 9 of the log does not match schema v2: /);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['a version given as text', { version: '1' }, 'version'],
    ['a version of 0', { version: 0 }, 'version'],
    ['an instant of another shape', { occurredAt: '5 January 2026' }, 'occurredAt'],
    ['an unknown role', { actor: { role: 'admin', id: 'x' } }, 'actor.role'],
    ['an id that is not a string', { commandId: 12 }, 'commandId'],
    ['an empty id', { eventId: '' }, 'eventId'],
    ['a lone surrogate in the actor id', { actor: { role: 'counsellor', id: 'c-\uD800' } }, 'actor.id: An id must be well-formed Unicode'],
    ['a NUL in the case id', { caseId: 'case\u00001' }, 'caseId'],
    ['a malformed fingerprint', { commandFingerprint: 'abc' }, 'commandFingerprint'],
    ['a fingerprint in capitals', { commandFingerprint: 'F'.repeat(64) }, 'commandFingerprint'],
    ['a fingerprint of 64 characters, not all hex', { commandFingerprint: `${'f'.repeat(63)}g` }, 'commandFingerprint'],
    ['a bad causation id beside a good command id', { causationId: 'cmd\u00001' }, 'causationId'],
    ['a bad correlation id beside a good command id', { correlationId: ' cmd-1' }, 'correlationId'],
  ])('refuses metadata with %s, naming the field', (_label, overrides, field) => {
    const error = replayErrorOf(timeLogged({ minutes: 5, activity: 'follow-up' }, overrides));
    expect(error.message).toContain(`invalid metadata on the TimeSpentLogged event at position 9 of the log: ${field}`);
  });

  it('hands on metadata holding exactly the schema\'s keys as read, without a copy', () => {
    const record = timeLogged({ minutes: 5, activity: 'follow-up' }, { commandFingerprint: 'f'.repeat(64) });
    expect(decodeEvent(record, undefined, 'envelope').meta).toBe(record.meta);
  });

  it('leaves out metadata keys the schema does not know, and refuses an unknown type', () => {
    const decoded = decodeEvent(timeLogged({ minutes: 5, activity: 'follow-up' }, { injected: 'x' }), undefined, 'envelope');
    expect(decoded.meta).toEqual(meta);
    const actorInjected = decodeEvent(timeLogged({ minutes: 5, activity: 'follow-up' }, { actor: { ...meta.actor, name: 'x' } }), undefined, 'envelope');
    expect(actorInjected.meta).toEqual(meta);
    expect(replayErrorOf({ ...timeLogged({}), type: 'SomethingElse' }).message).toContain("unknown event type 'SomethingElse'");
  });

  it('still upcasts an event of an older schema version, then parses it in full', () => {
    expect(decodeEvent(timeLogged({ minutes: 5 }, { schemaVersion: 1 }), undefined, 'envelope').data).toEqual({ minutes: 5, activity: 'unspecified' });
    expect(replayErrorOf(timeLogged({ minutes: 0 }, { schemaVersion: 1 })).message).toContain('minutes');
  });

  it('decodes a frozen record once per depth: a full check after an envelope one runs the schemas', () => {
    const record = Object.freeze(timeLogged(Object.freeze({ minutes: 0, activity: 'follow-up' })));
    expect(decodeEvent(record, undefined, 'envelope').data).toEqual({ minutes: 0, activity: 'follow-up' });
    expect(() => decodeEvent(record, undefined, 'full')).toThrow(ReplayError);
  });
});
