/**
 * Stored events outlive the code that wrote them. `fixtures/stored-v1-case.json` is a whole case as
 * an earlier version of the library stored it (TimeSpentLogged at schema v1, before `activity`);
 * it is never regenerated. Every future version must still read it and carry the case on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaseCommandHandler } from '../../application/command-handler.ts';
import { VirtualClock } from '../../application/ports/clock.ts';
import { ReplayError } from '../../errors.ts';
import { InMemoryEventStore } from '../../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../../in-memory/memory-vault.ts';
import { caseFileOf, statusOf } from '../lifecycle/case-state.ts';
import { replay } from '../lifecycle/evolve.ts';
import { decodeEvent, type EventRecord } from './decode.ts';
import { UpcasterRegistry } from './upcasters.ts';

const storedV1 = JSON.parse(readFileSync(new URL('./fixtures/stored-v1-case.json', import.meta.url), 'utf8')) as Array<EventRecord & { meta: { schemaVersion: number } }>;

describe('reading events stored by an earlier version', () => {
  it('the fixture really holds v1 payloads', () => {
    const timeLogs = storedV1.filter((event) => event.type === 'TimeSpentLogged');
    expect(timeLogs.length).toBe(2);
    for (const event of timeLogs) {
      expect(event.meta.schemaVersion).toBe(1);
      expect(event.data).not.toHaveProperty('activity');
    }
  });

  it('upcasts v1 TimeSpentLogged to the current version on read', () => {
    const decoded = storedV1.filter((event) => event.type === 'TimeSpentLogged').map((event) => decodeEvent(event));
    expect(decoded.map((event) => event.data)).toEqual([
      { minutes: 20, activity: 'unspecified' },
      { minutes: 45, activity: 'unspecified' },
    ]);
    expect(decoded.every((event) => event.meta.schemaVersion === 2)).toBe(true);
  });

  it('replays the whole old case under the current machine', () => {
    const state = replay(storedV1.map((event) => decodeEvent(event)));
    expect(statusOf(state)).toBe('closed');
    expect(caseFileOf(state)).toMatchObject({ minutesSpent: 65, closure: { reason: 'objectives-met' }, outcomes: [{ kind: 'right-opened', right: 'c2s' }] });
    expect(state.version).toBe(storedV1.length);
  });

  it('a case started under the earlier version keeps working: it can be reopened and carried on', async () => {
    const store = new InMemoryEventStore();
    await store.append({ streamId: 'case-v1', expectedVersion: 0, commandId: 'import', events: storedV1.map((e) => ({ ...e, meta: { ...(e.meta as object), commandId: 'import' } })) as never });
    const clock = new VirtualClock('2025-04-10T09:00:00.000Z');
    const handler = new CaseCommandHandler({ store, vault: new InMemoryVault(), clock });
    const actor = { role: 'counsellor', id: 'counsellor-v1' } as const;
    const reopened = await handler.execute({ type: 'ReopenCase', caseId: 'case-v1', commandId: 'reopen', actor, data: { reason: 'new-need' } });
    expect(reopened.status).toBe('accompaniment');
    const logged = await handler.execute({ type: 'LogTime', caseId: 'case-v1', commandId: 'log', actor, data: { minutes: 15, activity: 'follow-up' } });
    expect(caseFileOf(logged.state).minutesSpent).toBe(80);
    expect(logged.events[0]?.meta.schemaVersion).toBe(2);
  });
});

describe('detector notices: v1 told "started" at triage, v2 with the plan', () => {
  const notices = () => storedV1.filter((event) => event.type === 'DetectorNotificationRequested');

  it('reads the v1 notices as they were sent, at v2', () => {
    expect(notices().map((event) => event.meta.schemaVersion)).toEqual([1, 1]);
    const decoded = notices().map((event) => decodeEvent(event));
    expect(decoded.map((event) => [event.meta.schemaVersion, event.data])).toEqual([
      [2, { notice: 'accompaniment-started', detectorKind: 'external-partner' }],
      [2, { notice: 'accompaniment-ended', detectorKind: 'external-partner' }],
    ]);
    // The detector of that case was told at triage: the case file remembers it from the v1 notice.
    expect(caseFileOf(replay(storedV1.map((event) => decodeEvent(event)))).detectorToldStartedAt).toBe(notices().map((event) => decodeEvent(event).meta.occurredAt)[0]);
  });

  it('a v1 case reopened and closed again tells its detector "ended", not "not started", and no second "started"', async () => {
    const store = new InMemoryEventStore();
    await store.append({ streamId: 'case-v1', expectedVersion: 0, commandId: 'import', events: storedV1.map((e) => ({ ...e, meta: { ...(e.meta as object), commandId: 'import' } })) as never });
    const handler = new CaseCommandHandler({ store, vault: new InMemoryVault(), clock: new VirtualClock('2025-04-10T09:00:00.000Z') });
    const actor = { role: 'counsellor', id: 'counsellor-v1' } as const;
    await handler.execute({ type: 'ReopenCase', caseId: 'case-v1', commandId: 'reopen', actor, data: { reason: 'new-need' } });
    const closed = await handler.execute({ type: 'CloseCase', caseId: 'case-v1', commandId: 'close', actor, data: { reason: 'moved-away' } });
    expect(closed.events.map((event) => [event.type, event.data])).toEqual([
      ['CaseClosed', { reason: 'moved-away', orientedTo: [] }],
      ['DetectorNotificationRequested', { notice: 'accompaniment-ended', detectorKind: 'external-partner' }],
    ]);
  });

  it('a v2 notice keeps its reason to "not started": missing there, or given with another notice, it is refused', () => {
    const meta = { ...(storedV1[2]?.meta as object), schemaVersion: 2 };
    const record = (data: unknown): EventRecord => ({ type: 'DetectorNotificationRequested', data, meta }) as EventRecord;
    expect(decodeEvent(record({ notice: 'accompaniment-not-started', detectorKind: 'the-person', reason: 'declined' })).data).toMatchObject({ reason: 'declined' });
    expect(() => decodeEvent(record({ notice: 'accompaniment-not-started', detectorKind: 'the-person' }))).toThrow(ReplayError);
    expect(() => decodeEvent(record({ notice: 'accompaniment-started', detectorKind: 'the-person', reason: 'declined' }))).toThrow(ReplayError);
  });
});

describe('refusing what cannot be read safely', () => {
  const [first] = storedV1;

  it('an event written by a newer library is refused with a clear error', () => {
    const fromFuture = { ...first!, meta: { ...(first!.meta as object), schemaVersion: 99 } };
    expect(() => decodeEvent(fromFuture)).toThrow(ReplayError);
    expect(() => decodeEvent(fromFuture)).toThrow(/newer than this library/);
  });

  it('an unknown event type is refused', () => {
    expect(() => decodeEvent({ ...first!, type: 'SomethingElse' })).toThrow(/unknown event type 'SomethingElse'/);
  });

  it('a payload that does not match its schema is refused, naming the field', () => {
    const broken = { ...first!, data: { ...(first!.data as object), fundId: 42 } };
    expect(() => decodeEvent(broken)).toThrow(/fundId/);
  });

  it('a missing upcaster is a clear error; a registered one is applied', () => {
    const timeLog = storedV1.find((event) => event.type === 'TimeSpentLogged')!;
    const none = new UpcasterRegistry([]);
    expect(() => decodeEvent(timeLog, none)).toThrow(/no upcaster registered for TimeSpentLogged v1/);
    const custom = new UpcasterRegistry([{ type: 'TimeSpentLogged', fromVersion: 1, upcast: () => ({ minutes: 1, activity: 'paperwork' }) }]);
    expect(decodeEvent(timeLog, custom).data).toEqual({ minutes: 1, activity: 'paperwork' });
    expect(() => custom.register({ type: 'TimeSpentLogged', fromVersion: 1, upcast: (d) => d })).toThrow(/already registered/);
  });

  it('a stream with a gap or a fact the machine refuses cannot be replayed', () => {
    const events = storedV1.map((event) => decodeEvent(event));
    expect(() => replay([events[0]!, events[2]!])).toThrow(/expected version 2/);
    const closedTwice = [...events, { ...events[events.length - 2]!, meta: { ...events[events.length - 2]!.meta, version: events.length + 1 } }];
    expect(() => replay(closedTwice)).toThrow(ReplayError);
  });
});

describe('redirections: v1 handed off to the social service untracked, v2 tracks the hand-off', () => {
  const redirectedV1: EventRecord = {
    type: 'ReferralRedirected',
    data: { to: 'social-service', automatic: true },
    // The fixture's second event, as a v1 redirection would have been stored in its place.
    meta: { ...(storedV1[1]?.meta as object), schemaVersion: 1 },
  };

  it('reads a v1 redirection as one without a hand-off: none is invented', () => {
    const decoded = decodeEvent(redirectedV1);
    expect(decoded.data).toEqual({ to: 'social-service', automatic: true, handOff: null });
    expect(decoded.meta.schemaVersion).toBe(2);
  });

  it('refuses a v1 redirection whose payload is not what v1 wrote', () => {
    expect(() => decodeEvent({ ...redirectedV1, data: { to: 'elsewhere', automatic: true } } as never)).toThrow(ReplayError);
  });
});
