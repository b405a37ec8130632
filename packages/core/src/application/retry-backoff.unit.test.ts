import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../errors.ts';
import { InMemoryEventStore } from '../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../in-memory/memory-vault.ts';
import { sampleExternalForm } from '../testing/fixtures.ts';
import { CaseCommandHandler } from './command-handler.ts';
import type { EventStore } from './ports/event-store.ts';
import { backoffDelay, defaultRetryBackoff } from './retry-backoff.ts';

describe('backoff between attempts', () => {
  it('given full jitter, then each wait is drawn below a range that doubles from the base up to the cap', () => {
    const top = (retry: number) => backoffDelay(retry, { baseMs: 10, capMs: 70, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5].map((retry) => Math.round(top(retry)))).toEqual([10, 20, 40, 70, 70]);
    expect(backoffDelay(3, { baseMs: 10, capMs: 70, random: () => 0 })).toBe(0);
    expect(backoffDelay(1, { random: () => 0.5 })).toBe(defaultRetryBackoff.baseMs / 2);
  });

  it('given a store that always conflicts, when a command is sent, then the handler waits with the injected sleep between attempts, never after the last', async () => {
    const inner = new InMemoryEventStore();
    let appends = 0;
    const alwaysLate: EventStore = {
      readStream: (id, o) => inner.readStream(id, o),
      readAll: (o) => inner.readAll(o),
      headPosition: () => inner.headPosition(),
      append: async (request) => {
        appends++;
        throw new ConcurrencyError(request.streamId, request.expectedVersion, request.expectedVersion + 1);
      },
    };
    const waits: number[] = [];
    const handler = new CaseCommandHandler({
      store: alwaysLate,
      vault: new InMemoryVault(),
      maxAttempts: 5,
      backoff: { baseMs: 8, capMs: 40, random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
    });
    const command = { type: 'ReceiveReferral', caseId: 'c', commandId: 'open', actor: { role: 'detector', id: 'd' }, data: { fundId: 'cpam-22', form: sampleExternalForm() } } as const;
    await expect(handler.execute(command)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(appends).toBe(5);
    expect(waits).toEqual([4, 8, 16, 20]);
  });

  it('given a bad setting, then the handler refuses to be built, naming it', () => {
    const base = { store: new InMemoryEventStore(), vault: new InMemoryVault() };
    expect(() => new CaseCommandHandler({ ...base, maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => new CaseCommandHandler({ ...base, backoff: { capMs: -1 } })).toThrow(/backoff\.capMs/);
  });
});
