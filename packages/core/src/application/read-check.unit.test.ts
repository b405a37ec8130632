/**
 * Which stores get the envelope check, verify mode, what a replay says of a payload that passes
 * the envelope but not its schema, and `verifyEvents` over a log.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../domain/events/decode.ts';
import { ReplayError } from '../errors.ts';
import { InMemoryEventStore } from '../in-memory/memory-event-store.ts';
import { createInMemoryStorage } from '../in-memory/in-memory-storage.ts';
import { conformanceEvents } from '../testing/conformance/event-store.ts';
import { historyUntil } from '../testing/fixtures.ts';
import { loadCase } from './case-repository.ts';
import type { EventStore, StoredEvent } from './ports/event-store.ts';
import { eventCheckOf, fullyCheckedReads, fullyCheckedStorage } from './read-check.ts';
import { stampEvents } from './stamp-events.ts';
import { verifyEvents } from './verify-events.ts';

/** A read-only store over `records`, claiming (or not) that it validated them on write. */
function storeOf(records: readonly EventRecord[], validatedOnWrite: boolean | undefined): EventStore {
  const stored: StoredEvent[] = records.map((record, index) => ({ ...record, position: index + 1 }));
  return {
    ...(validatedOnWrite === undefined ? {} : { validatedOnWrite }),
    append: () => Promise.reject(new Error('read-only')),
    readStream: async () => stored,
    readAll: async ({ after = 0, limit } = {}) => stored.filter((record) => record.position > after).slice(0, limit),
    headPosition: async () => stored.length,
  };
}

let ids = 0;
/** A whole case as misas writes it, as fresh JSON objects (as a durable store reads them). */
function closedCase(caseId: string): EventRecord[] {
  const at = { fromVersion: 0, occurredAt: '2026-01-05T09:00:00.000Z', recordedAt: '2026-01-05T09:00:00.000Z', newId: () => `id-${++ids}` };
  const events = stampEvents(historyUntil.closed(), at, { caseId, commandId: `cmd-${caseId}`, fingerprint: 'f'.repeat(64), actor: { role: 'counsellor', id: 'c-1' } });
  return events.map((event) => JSON.parse(JSON.stringify(event)) as EventRecord);
}

describe('the depth of the check on read', () => {
  it('is the envelope only for a store that claims validation on write; a third party gets the full schemas', () => {
    expect(eventCheckOf(new InMemoryEventStore())).toBe('envelope');
    expect(eventCheckOf(storeOf([], undefined))).toBe('full');
    expect(eventCheckOf(storeOf([], false))).toBe('full');
  });

  it('is the full schemas in verify mode, while the store works as before (its methods on itself)', async () => {
    const storage = fullyCheckedStorage(createInMemoryStorage());
    expect(eventCheckOf(storage.events)).toBe('full');
    await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 2) });
    expect(await storage.events.headPosition()).toBe(2);
    expect(storage.events.commitsWithVault?.(storage.vault)).toBe(true);
    expect(eventCheckOf(fullyCheckedReads(storage.events))).toBe('full');
  });

  it('lets a load through the envelope, and refuses in verify mode, a payload out of its schema', async () => {
    const records = closedCase('case-t');
    expect(records[1]?.type).toBe('ReferralAccepted');
    records[1] = { ...records[1]!, data: { ...(records[1]!.data as object), firstContactDueBy: 'soon' } };
    await expect(loadCase(storeOf(records, true), 'case-t')).resolves.toMatchObject({ state: { version: records.length } });
    await expect(loadCase(storeOf(records, false), 'case-t')).rejects.toThrow(/version 2: ReferralAccepted payload at position 2 of the log does not match schema v1: firstContactDueBy/);
  });

  it('names the event when a payload that passed the envelope breaks the replay, instead of a TypeError', async () => {
    const records = closedCase('case-r');
    records[0] = { ...records[0]!, data: { ...(records[0]!.data as object), referral: null } };
    const failure = await loadCase(storeOf(records, true), 'case-r').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReplayError);
    expect(failure).toMatchObject({ streamId: 'case-r', version: 1 });
    expect((failure as ReplayError).message).toContain('ReferralReceived could not be applied (TypeError)');
    expect((failure as ReplayError).message).toContain('misas verify');
  });
});

describe('verifyEvents', () => {
  it('names each bad event (position, case, version, type, first issue) and reads the whole log in pages', async () => {
    const records = [...closedCase('a'), ...closedCase('b')];
    records[3] = { ...records[3]!, data: 'tampered' };
    records[records.length - 1] = { ...records[records.length - 1]!, meta: { ...(records[records.length - 1]!.meta as object), version: 'one' } };
    const pages: number[] = [];
    const found: number[] = [];
    const report = await verifyEvents(storeOf(records, true), { batchSize: 7, onProgress: (p) => pages.push(p.verified), onBadEvent: (bad) => found.push(bad.position) });
    expect(report.verified).toBe(records.length);
    expect(report.bad).toEqual([
      { position: 4, caseId: 'a', version: 4, type: records[3]!.type, issue: expect.stringMatching(/payload does not match schema v\d: \(root\): .*\[invalid_type\]$/) as unknown },
      { position: records.length, caseId: 'b', version: 0, type: records.at(-1)!.type, issue: expect.stringMatching(/^invalid metadata on the \w+ event: version: /) as unknown },
    ]);
    expect(found).toEqual([4, records.length]);
    expect(pages.at(-1)).toBe(records.length);
    expect(pages.length).toBe(Math.ceil(records.length / 7) + (records.length % 7 === 0 ? 1 : 0));
  });

  it('finds nothing in a clean store', async () => {
    expect(await verifyEvents(storeOf(closedCase('c'), true))).toEqual({ verified: expect.any(Number) as unknown, bad: [] });
  });
});
