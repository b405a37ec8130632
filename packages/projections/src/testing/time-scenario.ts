/**
 * The scheduler's and the outbox relay's whole story on one storage, so that the in-memory,
 * SQLite and PostgreSQL stores are held to the same script.
 */
import assert from 'node:assert/strict';
import {
  caseFileOf,
  CaseCommandHandler,
  referralEntry,
  seededUlidGenerator,
  VirtualClock,
  type CaseCommandInput,
  type MisasStorage,
} from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { runReactor } from '../engine/reactor.ts';
import { deliverOutbox, detectorNoticeRelay } from '../outbox/detector-notices.ts';
import { Scheduler } from '../scheduler/scheduler.ts';

/** A person never reached: reminder, unreachable closure, detector told, erasure 18 months later. */
export async function neverReachedStory(storage: MisasStorage): Promise<void> {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids: seededUlidGenerator(5, clock) });
  const actor = { role: 'counsellor', id: 'c1' } as const;
  let n = 0;
  const send = (command: Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'>) =>
    handler.execute({ caseId: 'story', commandId: `story-${++n}`, actor, ...command } as CaseCommandInput);
  const typesOf = async () => (await storage.events.readStream('story')).map((e) => e.type);

  const received = await send({ type: 'ReceiveReferral', data: { fundId: 'cpam-22', form: sampleExternalForm() } });
  const subjectRef = caseFileOf(received.state).subjectRef ?? '';
  await send({ type: 'AcceptReferral', data: { counsellorId: 'c1' } });

  const scheduler = new Scheduler({ storage, handler, clock });
  await scheduler.runDaily(clock, '2026-02-19');
  assert.deepEqual(
    (await typesOf()).filter((t) => ['ReminderIssued', 'CaseClosed'].includes(t)),
    ['ReminderIssued', 'CaseClosed'],
  );

  // A second scheduler, as after a restart, issues nothing again.
  const restarted = new Scheduler({ storage, handler, clock });
  assert.deepEqual((await restarted.tick()).fired, []);

  // The detector hears once that the accompaniment never started, because the person was never reached.
  await runReactor(storage.events, storage.projections, detectorNoticeRelay(storage.outbox));
  const notices: string[] = [];
  const told = (payload: unknown) => {
    const { notice, reason } = payload as { notice?: unknown; reason?: unknown };
    return `${String(notice)}: ${String(reason)}`;
  };
  await deliverOutbox({ outbox: storage.outbox, now: clock.now(), deliver: async (m) => void notices.push(told(m.payload)) });
  assert.deepEqual(notices, ['accompaniment-not-started: unreachable']);

  await restarted.runDaily(clock, '2027-08-19');
  assert.equal((await typesOf()).filter((t) => t === 'PersonalDataErased').length, 1);
  assert.deepEqual(await storage.vault.get(subjectRef, referralEntry), { status: 'erased' });
  assert.equal((await typesOf()).filter((t) => t === 'ReminderIssued').length, 1);
}
