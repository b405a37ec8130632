import { describe, expect, it } from 'vitest';
import {
  CaseCommandHandler,
  createInMemoryStorage,
  EventMetadata,
  referralEntry,
  seededUlidGenerator,
  VirtualClock,
  type CaseCommandInput,
  type MisasStorage,
} from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { readModel } from '../engine/generations.ts';
import { runReactor } from '../engine/reactor.ts';
import { deadlinesOfCase, deadlinesProjectionName } from './deadlines.ts';
import { erasureRelay } from './erasure-relay.ts';
import { commandFor, Scheduler } from './scheduler.ts';

const counsellor = { role: 'counsellor', id: 'c1' } as const;

function world(start = '2026-01-05T09:00:00.000Z') {
  const storage = createInMemoryStorage();
  const clock = new VirtualClock(start);
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids: seededUlidGenerator(3, clock) });
  let n = 0;
  const send = (caseId: string, command: Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'>) =>
    handler.execute({ caseId, commandId: `cmd-${++n}`, actor: counsellor, ...command } as CaseCommandInput);
  const scheduler = new Scheduler({ storage, handler, clock });
  return { storage, clock, handler, send, scheduler };
}

async function eventsOf(storage: MisasStorage, caseId: string, type?: string) {
  return (await storage.events.readStream(caseId)).filter((e) => type === undefined || e.type === type);
}

async function acceptedCase(w: ReturnType<typeof world>, caseId: string) {
  // Referred on the day it is recorded: a referral may not be dated after it.
  const today = w.clock.now().toISOString().slice(0, 10);
  const form = sampleExternalForm({ referralDate: today, consent: { kind: 'signed', signedOn: today } });
  await w.send(caseId, { type: 'ReceiveReferral', data: { fundId: 'cpam-22', form } });
  await w.send(caseId, { type: 'AcceptReferral', data: { counsellorId: 'c1' } });
}

describe('the scheduler', () => {
  it('given a person never reached, it reminds the first contact on its due day, closes the case as unreachable, and erases 18 months later', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    await w.scheduler.runDaily(w.clock, '2026-01-14');
    expect(await eventsOf(w.storage, 'k', 'ReminderIssued')).toHaveLength(0);
    await w.scheduler.runDaily(w.clock, '2026-01-15');
    const reminders = await eventsOf(w.storage, 'k', 'ReminderIssued');
    expect(reminders.map((e) => e.data)).toEqual([{ kind: 'first-contact', dueOn: '2026-01-15' }]);

    // Accepted on 5 January: 45 days later is 19 February.
    await w.scheduler.runDaily(w.clock, '2026-02-18');
    expect(await eventsOf(w.storage, 'k', 'CaseClosed')).toHaveLength(0);
    await w.scheduler.runDaily(w.clock, '2026-02-19');
    expect((await eventsOf(w.storage, 'k', 'CaseClosed')).map((e) => e.data)).toEqual([{ reason: 'unreachable', orientedTo: [] }]);

    const subjectRef = ((await eventsOf(w.storage, 'k', 'ReferralReceived'))[0]?.data as { subjectRef: string }).subjectRef;
    // Closed on 19 February 2026: 18 months later is 19 August 2027.
    await w.scheduler.runDaily(w.clock, '2027-08-18');
    expect((await w.storage.vault.get(subjectRef, referralEntry)).status).toBe('found');
    await w.scheduler.runDaily(w.clock, '2027-08-19');
    expect((await eventsOf(w.storage, 'k', 'PersonalDataErased')).map((e) => e.data)).toEqual([{ reason: 'retention-expired' }]);
    expect(await w.storage.vault.get(subjectRef, referralEntry)).toEqual({ status: 'erased' });
    expect(await deadlinesOfCase(readModel(w.storage.projections, deadlinesProjectionName), 'k')).toEqual([]);
    // Every reminder exactly once over the whole run.
    expect(await eventsOf(w.storage, 'k', 'ReminderIssued')).toHaveLength(1);
  });

  it('given a person met at an appointment during the review, never reached by phone, then no first-contact reminder and no unreachable closure', async () => {
    const w = world();
    await acceptedCase(w, 'met');
    await w.send('met', { type: 'PlanAppointment', data: { appointmentId: 'rdv', at: '2026-01-08T10:00:00Z', place: 'branch' } });
    w.clock.set('2026-01-08T11:00:00.000Z');
    await w.send('met', { type: 'RecordAppointmentHeld', data: { appointmentId: 'rdv' } });
    await w.scheduler.runDaily(w.clock, '2026-03-01');
    expect(await eventsOf(w.storage, 'met', 'ReminderIssued')).toHaveLength(0);
    expect(await eventsOf(w.storage, 'met', 'CaseClosed')).toHaveLength(0);
  });

  it('given a filter of cases, when deadlines of every case come due, then it acts only on the cases the filter lets through', async () => {
    const w = world();
    await acceptedCase(w, 'sim-1-1');
    await acceptedCase(w, 'real-case');
    const scheduler = new Scheduler({ storage: w.storage, handler: w.handler, clock: w.clock, onlyCases: (caseId) => caseId.startsWith('sim-1-') });
    // Past the unreachable closure (19 February 2026) and its retention (19 August 2027).
    await scheduler.runDaily(w.clock, '2027-09-01');
    expect(await eventsOf(w.storage, 'sim-1-1', 'PersonalDataErased')).toHaveLength(1);
    for (const type of ['ReminderIssued', 'CaseClosed', 'PersonalDataErased']) expect(await eventsOf(w.storage, 'real-case', type)).toEqual([]);
    const subjectRef = ((await eventsOf(w.storage, 'real-case', 'ReferralReceived'))[0]?.data as { subjectRef: string }).subjectRef;
    expect((await w.storage.vault.get(subjectRef, referralEntry)).status).toBe('found');
  });

  it('reminds an action on its due day unless it is done, and a partner follow-up unless the partner answered', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    await w.send('k', { type: 'LogTime', data: { minutes: 1, activity: 'triage' } });
    for (const item of ['basic-cover', 'complementary-cover', 'carte-vitale', 'declared-gp', 'ameli-account', 'reimbursement-history', 'benefits-paid', 'debts-or-overpayments', 'pending-ass-requests', 'contact-history'] as const) {
      await w.send('k', { type: 'RecordReviewItem', data: { item, finding: 'in-order' } });
    }
    await w.send('k', { type: 'CompleteReview', data: {} });
    await w.send('k', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
    await w.send('k', { type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care', 'rights'] } });
    await w.send('k', { type: 'PlanAction', data: { actionId: 'a1', strand: 'care', kind: 'book-appointment', owner: { kind: 'person' }, dueDate: '2026-01-20' } });
    await w.send('k', { type: 'PlanAction', data: { actionId: 'a2', strand: 'rights', kind: 'c2s-application', owner: { kind: 'counsellor', counsellorId: 'c1' }, dueDate: '2026-01-22' } });
    await w.send('k', { type: 'ReferToPartner', data: { referralId: 'r1', partner: 'ccas', strand: 'rights', followUpBy: '2026-01-25' } });
    await w.send('k', { type: 'ReferToPartner', data: { referralId: 'r2', partner: 'mdph', strand: 'care', followUpBy: '2026-01-25' } });
    await w.send('k', { type: 'AgreePlan', data: {} });
    await w.send('k', { type: 'UpdateActionStatus', data: { actionId: 'a2', status: 'done' } });
    await w.send('k', { type: 'UpdatePartnerReferral', data: { referralId: 'r2', status: 'completed' } });

    await w.scheduler.runDaily(w.clock, '2026-02-28');
    const reminders = (await eventsOf(w.storage, 'k', 'ReminderIssued')).map((e) => e.data);
    expect(reminders).toEqual([
      { kind: 'action-due', ref: 'a1', dueOn: '2026-01-20' },
      { kind: 'partner-follow-up', ref: 'r1', dueOn: '2026-01-25' },
    ]);
    expect(await eventsOf(w.storage, 'k', 'CaseClosed')).toHaveLength(0);
  });

  it('fires each deadline exactly once across restarts, even when it crashed between the command and the bookkeeping', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    w.clock.set('2026-01-15T06:00:00.000Z');
    // A scheduler sent the reminder and died before it could catch up its deadlines.
    await w.handler.execute(commandFor({ caseId: 'k', kind: 'first-contact', dueOn: '2026-01-15' }, { role: 'system', id: 'scheduler' }, w.clock.now()));
    const restarted = new Scheduler({ storage: w.storage, handler: w.handler, clock: w.clock });
    const result = await restarted.tick();
    expect(result.fired).toEqual([]);
    expect(await eventsOf(w.storage, 'k', 'ReminderIssued')).toHaveLength(1);
    // Two schedulers ticking at once still issue nothing twice.
    w.clock.set('2026-02-20T06:00:00.000Z');
    await Promise.all([restarted.tick(), new Scheduler({ storage: w.storage, handler: w.handler, clock: w.clock }).tick()]);
    expect(await eventsOf(w.storage, 'k', 'CaseClosed')).toHaveLength(1);
  });

  it('a reopened case loses its erasure deadline until it closes again', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    await w.send('k', { type: 'CloseCase', data: { reason: 'moved-away' } });
    const reader = readModel(w.storage.projections, deadlinesProjectionName);
    await w.scheduler.tick();
    expect((await deadlinesOfCase(reader, 'k')).map((d) => [d.kind, d.dueOn])).toEqual([['retention-expiry', '2027-07-05']]);
    w.clock.set('2026-02-01T09:00:00.000Z');
    await w.send('k', { type: 'ReopenCase', data: { reason: 'person-request' } });
    await w.scheduler.tick();
    expect((await deadlinesOfCase(reader, 'k')).map((d) => d.kind)).not.toContain('retention-expiry');
  });

  it('given a case closed by a withdrawal of consent, then its reminders go and only the erasure 18 months later is left', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    await w.send('k', { type: 'WithdrawConsent', data: {} });
    const reader = readModel(w.storage.projections, deadlinesProjectionName);
    await w.scheduler.tick();
    expect((await deadlinesOfCase(reader, 'k')).map((d) => [d.kind, d.dueOn])).toEqual([['retention-expiry', '2027-07-05']]);
    expect((await eventsOf(w.storage, 'k', 'CaseClosed')).map((e) => e.data)).toEqual([{ reason: 'consent-withdrawn', orientedTo: [] }]);
  });

  it('given an open case with deadlines, when the person asks for erasure, then every deadline goes and nothing is ever sent for it', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    const reader = readModel(w.storage.projections, deadlinesProjectionName);
    await w.scheduler.tick();
    expect((await deadlinesOfCase(reader, 'k')).map((d) => d.kind)).toEqual(['first-contact', 'unreachable-closure']);

    const dpo = { role: 'data-protection-officer', id: 'dpo-1' } as const;
    await w.handler.execute({ caseId: 'k', commandId: 'erase', actor: dpo, type: 'RequestErasure', data: { requestedOn: '2026-01-05', channel: 'letter' } });
    await w.scheduler.tick();
    expect(await deadlinesOfCase(reader, 'k')).toEqual([]);

    const before = (await eventsOf(w.storage, 'k')).length;
    const fired: string[] = [];
    await w.scheduler.runDaily(w.clock, '2028-01-31', (_day, result) => fired.push(...result.fired.map((f) => f.deadline.kind), ...result.dropped.map((d) => d.rule)));
    expect(fired).toEqual([]);
    expect(await eventsOf(w.storage, 'k')).toHaveLength(before);
  });

  it('the erasure relay shreds a subject whose erasure event was appended by a process that died before shredding', async () => {
    const w = world();
    await acceptedCase(w, 'k');
    await w.send('k', { type: 'CloseCase', data: { reason: 'moved-away' } });
    const received = (await eventsOf(w.storage, 'k', 'ReferralReceived'))[0];
    const subjectRef = (received?.data as { subjectRef: string }).subjectRef;
    // Simulate the crash: the event is in the log, the key still exists.
    const [last] = (await eventsOf(w.storage, 'k')).slice(-1);
    const meta = EventMetadata.parse(last?.meta);
    await w.storage.events.append({
      streamId: 'k',
      expectedVersion: meta.version,
      commandId: 'erase',
      events: [{ type: 'PersonalDataErased', data: { reason: 'erasure-request' }, meta: { ...meta, eventId: 'erase-1', version: meta.version + 1, commandId: 'erase', schemaVersion: 1 } }],
    });
    expect((await w.storage.vault.get(subjectRef, referralEntry)).status).toBe('found');
    // A snapshot taken before the erasure, which the dead process did not delete either.
    await w.storage.snapshots?.write({ streamId: 'k', version: meta.version, eventId: meta.eventId, data: { taken: 'before the erasure' } });
    await runReactor(w.storage.events, w.storage.projections, erasureRelay(w.storage.vault, w.storage.projections, w.storage.snapshots));
    expect(await w.storage.vault.get(subjectRef, referralEntry)).toEqual({ status: 'erased' });
    expect(w.storage.snapshots).toBeDefined();
    expect(await w.storage.snapshots?.read('k')).toBeUndefined();
  });
});

describe('a year on a virtual clock', () => {
  async function simulateYear() {
    const w = world('2026-01-01T08:00:00.000Z');
    const started = Date.now();
    for (let day = 0; day < 365; day++) {
      w.clock.set(new Date(Date.UTC(2026, 0, 1 + day, 8)).toISOString());
      if (day % 3 === 0) {
        const caseId = `case-${day}`;
        await acceptedCase(w, caseId);
        if (day % 2 === 0) await w.send(caseId, { type: 'DeclineReferral', data: { reason: 'not-relevant' } }).catch(() => undefined);
      }
      await w.scheduler.tick();
    }
    return { log: await w.storage.events.readAll(), seconds: (Date.now() - started) / 1000 };
  }

  it('runs a whole year of daily ticks in seconds, and the same inputs give the same log', async () => {
    const first = await simulateYear();
    const second = await simulateYear();
    expect(second.log).toEqual(first.log);
    const types = new Set(first.log.map((e) => e.type));
    expect(types).toContain('ReminderIssued');
    expect(types).toContain('CaseClosed');
    expect(first.seconds).toBeLessThan(30);
  }, 60_000);
});
