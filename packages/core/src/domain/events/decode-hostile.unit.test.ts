/**
 * A store written before ids were checked may hold an event with a bad id. Reading it back fails
 * with a `ReplayError` naming the event, its place in the log and the rule — never a `URIError`
 * further down, and never echoing the bad value.
 */
import { describe, expect, it } from 'vitest';
import { ReplayError } from '../../errors.ts';
import { sampleReferralFacts } from '../../testing/fixtures.ts';
import { decodeEvent, type EventRecord } from './decode.ts';
import type { EventMetadata } from './metadata.ts';

const meta: EventMetadata = {
  eventId: 'evt-1',
  caseId: 'case-1',
  version: 1,
  occurredAt: '2026-01-05T09:00:00.000Z',
  recordedAt: '2026-01-05T09:00:00.000Z',
  actor: { role: 'detector', id: 'det-1' },
  correlationId: 'cmd-1',
  causationId: 'cmd-1',
  commandId: 'cmd-1',
  schemaVersion: 1,
};
const received = { fundId: 'cpam-22', channel: 'external-form', subjectRef: 'subj-1', referral: sampleReferralFacts() };

function replayErrorOf(record: EventRecord): ReplayError {
  try {
    decodeEvent(record);
  } catch (error) {
    if (error instanceof ReplayError) return error;
    throw error;
  }
  throw new Error('the record was decoded');
}

describe('decoding a stored event with a bad id', () => {
  it('names the event, its position and the rule for a lone surrogate in the actor id', () => {
    const error = replayErrorOf({ type: 'ReferralReceived', data: received, meta: { ...meta, actor: { role: 'detector', id: 'det-\uD800' } }, position: 7 });
    expect(error.message).toBe(
      'Cannot replay stream case-1 at version 1: invalid metadata on the ReferralReceived event at position 7 of the log: actor.id: An id must be well-formed Unicode: lone surrogate U+D800 at index 4 [id-lone-surrogate]',
    );
    expect(error.streamId).toBe('case-1');
  });

  it('does not echo a bad case id: the stream is named as invalid', () => {
    const error = replayErrorOf({ type: 'ReferralReceived', data: received, meta: { ...meta, caseId: 'x'.repeat(5000) }, position: 3 });
    expect(error.streamId).toBe('(invalid case id)');
    expect(error.message).toContain('caseId: An id has at most 128 characters [too_big]');
    expect(error.message.length).toBeLessThan(300);
  });

  it.each([
    ['a NUL in a fund id', { ...received, fundId: 'cpam\u000022' }, 'fundId: An id holds printable characters only: U+0000 at index 4 [id-control-character]'],
    ['a blank subject reference', { ...received, subjectRef: ' ' }, 'subjectRef: An id must not be empty or only spaces [id-blank]'],
    ['a referral in 9999', { ...received, referral: sampleReferralFacts({ referralDate: '9999-12-31' }) }, 'referral.referralDate: Must not be after 2099-12-31 [date-range]'],
  ])('names the payload field and the rule for %s', (_label, data, detail) => {
    const error = replayErrorOf({ type: 'ReferralReceived', data, meta, position: 2 });
    expect(error.message).toBe(`Cannot replay stream case-1 at version 1: ReferralReceived payload at position 2 of the log does not match schema v1: ${detail}`);
  });
});
