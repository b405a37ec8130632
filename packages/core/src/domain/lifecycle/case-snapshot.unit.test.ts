import { describe, expect, it } from 'vitest';
import { loadCase } from '../../application/case-repository.ts';
import { InMemoryEventStore } from '../../in-memory/memory-event-store.ts';
import { historyUntil } from '../../testing/fixtures.ts';
import { eventDefinition, type DomainEvent } from '../events/catalogue.ts';
import { caseFileOf, statusOf } from './case-state.ts';
import { persistCaseState, restoreCaseState } from './case-snapshot.ts';

async function storeWith(history: readonly DomainEvent[]) {
  const store = new InMemoryEventStore();
  await store.append({
    streamId: 'c',
    expectedVersion: 0,
    commandId: 'seed',
    events: history.map((event, index) => ({
      type: event.type,
      data: event.data,
      meta: {
        eventId: `e${index}`, caseId: 'c', version: index + 1, occurredAt: '2026-01-05T09:00:00.000Z', recordedAt: '2026-01-05T09:00:00.000Z',
        actor: { role: 'counsellor', id: 'c1' }, correlationId: 'seed', causationId: 'seed', commandId: 'seed', schemaVersion: eventDefinition(event.type)?.schemaVersion ?? 1,
      },
    })),
  });
  return store;
}

describe('case snapshots', () => {
  it('given a snapshot of this machine version, loading reads only the events after it and reaches the same state', async () => {
    const history = historyUntil.accompaniment();
    const store = await storeWith(history);
    const full = await loadCase(store, 'c');
    const partial = await loadCase(await storeWith(history.slice(0, 5)), 'c');
    const snapshot = JSON.parse(JSON.stringify(persistCaseState(partial.state))) as unknown;

    const fromSnapshot = await loadCase(store, 'c', { snapshot });
    expect(fromSnapshot.events).toHaveLength(history.length - 5);
    expect(caseFileOf(fromSnapshot.state)).toEqual(caseFileOf(full.state));
    expect(statusOf(fromSnapshot.state)).toBe('accompaniment');
  });

  it('never trusts a snapshot made by another machine version: it replays from the events', async () => {
    const store = await storeWith(historyUntil.planning());
    const full = await loadCase(store, 'c');
    const stale = { ...persistCaseState(full.state), machineVersion: '1999.1.1', version: 3 };
    expect(restoreCaseState(stale)).toBeUndefined();
    const loaded = await loadCase(store, 'c', { snapshot: stale });
    expect(loaded.events).toHaveLength(historyUntil.planning().length);
    expect(caseFileOf(loaded.state)).toEqual(caseFileOf(full.state));
  });

  it('refuses a malformed snapshot or one naming an unknown state', async () => {
    const store = await storeWith(historyUntil.review());
    const good = persistCaseState((await loadCase(store, 'c')).state);
    expect(restoreCaseState({ ...good, context: { ...good.context, consent: 'maybe' } })).toBeUndefined();
    expect(restoreCaseState({ ...good, value: 'limbo' })).toBeUndefined();
    expect(restoreCaseState('nonsense')).toBeUndefined();
    expect(restoreCaseState(good)).toBeDefined();
  });
});
