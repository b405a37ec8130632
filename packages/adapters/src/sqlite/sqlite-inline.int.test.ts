import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CaseCommandHandler,
  type InlineProjector,
  type MisasStorage,
} from '@misas/core';
import { conformanceEvents, sampleExternalForm } from '@misas/core/testing';
import { actor, summarise, runBatches, runWriter } from '../testing/inline-checks.ts';
import { openSqliteStorage } from './index.ts';

describe('given a SQLite storage and command handlers with an inline projection', () => {
  let dir = '';
  let storage: MisasStorage | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-inline-'));
    storage = await openSqliteStorage({ path: join(dir, 'inline.db') });
  });
  afterEach(async () => {
    await storage?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function opened(): MisasStorage {
    if (!storage) throw new Error('storage not opened');
    return storage;
  }

  it('when two writers and projection batches run at once, then no update is lost and the read models match the log', async () => {
    const store = opened();
    const handler = (inline: InlineProjector) => new CaseCommandHandler({ store: store.events, vault: store.vault, inline, maxAttempts: 50 });
    const cases = 3;
    const commands = 20;
    const batches = 15;

    await Promise.all([
      runWriter(handler(summarise), 'a', cases, commands),
      runWriter(handler(summarise), 'b', cases, commands),
      runBatches(store.projections, batches),
    ]);

    const log = await store.events.readAll();
    expect(log.filter((event) => event.type === 'TimeSpentLogged')).toHaveLength(2 * commands);
    expect(await store.projections.get('totals', 'counts')).toEqual({ inline: log.length, batches });
    for (let c = 0; c < cases; c++) {
      const stream = await store.events.readStream(`case-${c}`);
      expect(await store.projections.get('case-summary', `case-${c}`)).toEqual({ version: stream.length, lastType: stream.at(-1)?.type });
    }
  });

  it('when the inline projection throws, then the command fails and neither its events nor its read-model writes are kept', async () => {
    const store = opened();
    const failing: InlineProjector = async (tx, caseEvents) => {
      await summarise(tx, caseEvents);
      if (caseEvents.at(-1)?.type === 'TimeSpentLogged') throw new Error('projection failed');
    };
    const handler = new CaseCommandHandler({ store: store.events, vault: store.vault, inline: failing });
    await handler.execute({ type: 'ReceiveReferral', caseId: 'case-0', commandId: 'open', actor, data: { fundId: 'cpam-test', form: sampleExternalForm() } });
    const before = { head: await store.events.headPosition(), summary: await store.projections.get('case-summary', 'case-0') };

    await expect(
      handler.execute({ type: 'LogTime', caseId: 'case-0', commandId: 'log', actor, data: { minutes: 5, activity: 'follow-up' } }),
    ).rejects.toThrow(/projection failed/);

    expect(before.summary).toEqual({ version: 1, lastType: 'ReferralReceived' });
    expect(await store.events.headPosition()).toBe(before.head);
    expect(await store.projections.get('case-summary', 'case-0')).toEqual(before.summary);
    expect(await store.projections.get('totals', 'counts')).toEqual({ inline: 1, batches: 0 });
  });

  it('when the inline work writes through another port, then it is refused and nothing is kept', async () => {
    const store = opened();
    const events = store.events;
    const appendWith = events.appendWith?.bind(events);
    if (!appendWith) throw new Error('the SQLite event store has no appendWith');
    const request = (commandId: string) => ({ streamId: 's', expectedVersion: 0, commandId, events: conformanceEvents('s', commandId, 0, 1) });
    await expect(
      // The nested append would join, and outlive the rollback of, the transaction it runs in.
      appendWith(request('outer'), async () => {
        await events.append(request('inner'));
      }),
    ).rejects.toMatchObject({ code: 'write-inside-transaction' });
    await expect(appendWith(request('outer'), () => appendWith(request('inner'), async () => undefined).then(() => undefined))).rejects.toMatchObject({
      code: 'nested-transaction',
    });
    expect(await events.headPosition()).toBe(0);
  });
});
