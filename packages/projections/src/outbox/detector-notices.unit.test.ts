import { describe, expect, it } from 'vitest';
import { CaseCommandHandler, createInMemoryStorage, VirtualClock, type JsonValue } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { runReactor } from '../engine/reactor.ts';
import { deliverOutbox, detectorNoticeRelay } from './detector-notices.ts';

describe('detector notices', () => {
  it('given a case closed before its plan and a referral redirected, the detector gets exactly two "not started" notices with their reasons, delivered at least once', async () => {
    const storage = createInMemoryStorage();
    const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
    const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock });
    const actor = { role: 'counsellor', id: 'c1' } as const;
    await handler.execute({ type: 'ReceiveReferral', caseId: 'k', commandId: '1', actor, data: { fundId: 'f', form: sampleExternalForm() } });
    await handler.execute({ type: 'AcceptReferral', caseId: 'k', commandId: '2', actor, data: { counsellorId: 'c1' } });
    await handler.execute({ type: 'CloseCase', caseId: 'k', commandId: '3', actor, data: { reason: 'moved-away' } });
    await handler.execute({ type: 'ReceiveReferral', caseId: 'j', commandId: '4', actor, data: { fundId: 'f', form: sampleExternalForm() } });
    await handler.execute({ type: 'RedirectReferral', caseId: 'j', commandId: '5', actor, data: {} });

    const relay = detectorNoticeRelay(storage.outbox);
    await runReactor(storage.events, storage.projections, relay);
    // A replay of the same events (e.g. after a crash before the checkpoint) enqueues nothing twice.
    await storage.projections.transaction(async (tx) => tx.saveCheckpoint(relay.name, 0));
    await runReactor(storage.events, storage.projections, relay);
    expect(await storage.outbox.pendingCount()).toBe(2);

    const sent: JsonValue[] = [];
    let failOnce = true;
    const deliver = async (message: { payload: JsonValue }) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('mail server down');
      }
      sent.push(message.payload);
    };
    expect(await deliverOutbox({ outbox: storage.outbox, now: clock.now(), deliver })).toEqual({ delivered: 1, failed: 1 });
    clock.advance({ minutes: 6 });
    expect(await deliverOutbox({ outbox: storage.outbox, now: clock.now(), deliver })).toEqual({ delivered: 1, failed: 0 });
    const told = sent.map((p) => p as { caseId: string; notice: string; reason?: string }).sort((a, b) => a.caseId.localeCompare(b.caseId));
    expect(told.map(({ caseId, notice, reason }) => ({ caseId, notice, reason }))).toEqual([
      { caseId: 'j', notice: 'accompaniment-not-started', reason: 'redirected' },
      { caseId: 'k', notice: 'accompaniment-not-started', reason: 'closed-before-start' },
    ]);
    expect(JSON.stringify(sent)).not.toMatch(/Martin|Durand|06 12/);
    expect(await storage.outbox.pendingCount()).toBe(0);
  });
});
