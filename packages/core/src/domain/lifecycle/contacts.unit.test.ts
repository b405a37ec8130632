/**
 * Calls, messages and appointments at every open step (issue 15, item 2): accepted in every open
 * state without moving the case (but the first reach during contact), refused once the case has
 * ended, never dated in the future when they are facts, and their notes kept out of the log.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaseCommandHandler } from '../../application/command-handler.ts';
import { VirtualClock } from '../../application/ports/clock.ts';
import { noteEntry } from '../../application/seal-personal-data.ts';
import { InMemoryEventStore } from '../../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../../in-memory/memory-vault.ts';
import { caseSpecification, historyUntil, sampleExternalForm } from '../../testing/index.ts';
import type { DomainEvent } from '../events/catalogue.ts';
import { decodeEvent } from '../events/decode.ts';
import type { EventRecord } from '../events/decode.ts';
import { caseFileOf } from './case-state.ts';

const openSteps = {
  triage: historyUntil.triage(),
  review: historyUntil.review(),
  'contact.awaiting': historyUntil.contact(),
  'contact.reached': historyUntil.reached(),
  planning: historyUntil.planning(),
  accompaniment: historyUntil.accompaniment(),
} as const;

const planned = (appointmentId: string, at: string): DomainEvent => ({
  type: 'AppointmentPlanned',
  data: { appointmentId, at, place: 'local-drop-in', counsellorId: 'counsellor-1' },
});

describe('calls and messages at every open step', () => {
  for (const [step, given] of Object.entries(openSteps)) {
    it(`given a case in ${step}, an SMS from the person is recorded and the case stays in ${step}`, async () => {
      const result = await caseSpecification()
        .given(given)
        .when({ type: 'RecordContactAttempt', data: { channel: 'sms', direction: 'incoming', reached: true } })
        .thenEvents([{ type: 'ContactAttempted' }]);
      // In contact, the first reach moves the case on, as it always did.
      expect(result.status).toBe(step === 'contact.awaiting' ? 'contact.reached' : step);
      expect(result.events[0]?.data).toMatchObject({ channel: 'sms', direction: 'incoming', reached: true });
    });

    it(`given a case in ${step}, an appointment is planned at the local drop-in and the case stays in ${step}`, async () => {
      const result = await caseSpecification()
        .given(given)
        .when({ type: 'PlanAppointment', data: { appointmentId: 'a1', at: '2026-01-12T14:30:00Z', place: 'local-drop-in', counsellorId: 'counsellor-1' } })
        .thenEvents([{ type: 'AppointmentPlanned', data: { appointmentId: 'a1', at: '2026-01-12T14:30:00.000Z', place: 'local-drop-in', counsellorId: 'counsellor-1' } }]);
      expect(result.status).toBe(step);
    });
  }

  it('given a closed case, a call is refused by the lifecycle', async () => {
    await caseSpecification()
      .given(historyUntil.closed())
      .when({ type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } })
      .thenRejected({ rule: 'allowed-in-state', state: 'closed' });
  });

  it('given a closed case, an appointment is refused by the lifecycle', async () => {
    await caseSpecification()
      .given(historyUntil.closed())
      .when({ type: 'PlanAppointment', data: { at: '2026-01-12T14:30:00Z', place: 'branch' } })
      .thenRejected({ rule: 'allowed-in-state', state: 'closed' });
  });

  it('given three failed calls during the review, the case is not closed as unreachable there, and the next failure in contact closes it', async () => {
    const failed = (attempt: number): DomainEvent => ({
      type: 'ContactAttempted',
      data: { channel: 'phone', direction: 'outgoing', reached: false, attempt, failedAttempts: attempt },
    });
    await caseSpecification()
      .given(historyUntil.review())
      .when({ type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } })
      .thenEvents([{ type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: false, attempt: 1, failedAttempts: 1 } }]);
    await caseSpecification()
      .given([...historyUntil.contact(), failed(1), failed(2)])
      .when({ type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } })
      .thenEvents([{ type: 'ContactAttempted' }, { type: 'CaseClosed' }, { type: 'DetectorNotificationRequested' }]);
  });

  it('given two failed calls, a missed call from the person is not a failed attempt and does not close the case', async () => {
    const failed = (attempt: number): DomainEvent => ({
      type: 'ContactAttempted',
      data: { channel: 'phone', direction: 'outgoing', reached: false, attempt, failedAttempts: attempt },
    });
    await caseSpecification()
      .given([...historyUntil.contact(), failed(1), failed(2)])
      .when({ type: 'RecordContactAttempt', data: { channel: 'phone', direction: 'incoming', reached: false } })
      .thenEvents([{ type: 'ContactAttempted', data: { channel: 'phone', direction: 'incoming', reached: false, attempt: 3, failedAttempts: 2 } }]);
  });
});

describe('appointments: planned ahead, facts never in the future', () => {
  const given = [...historyUntil.accompaniment(), planned('a1', '2026-01-05T08:30:00.000Z'), planned('a2', '2026-01-20T09:00:00.000Z')];

  it('an appointment held this morning is recorded; the case stays in accompaniment', async () => {
    const result = await caseSpecification().given(given).when({ type: 'RecordAppointmentHeld', data: { appointmentId: 'a1' } }).thenEvents([{ type: 'AppointmentHeld', data: { appointmentId: 'a1' } }]);
    expect(result.status).toBe('accompaniment');
    expect(caseFileOf(result.state).appointments['a1']?.status).toBe('held');
  });

  it('an appointment said held at a future time is refused by the no-future-dates rule', async () => {
    await caseSpecification()
      .given(given)
      .when({ type: 'RecordAppointmentHeld', occurredAt: '2026-01-20T09:30:00Z', data: { appointmentId: 'a2' } })
      .thenRejected({ rule: 'occurred-at-not-in-future' });
  });

  it('a call said made tomorrow is refused by the no-future-dates rule', async () => {
    await caseSpecification()
      .given(given)
      .when({ type: 'RecordContactAttempt', occurredAt: '2026-01-06T09:00:00Z', data: { channel: 'phone', reached: true } })
      .thenRejected({ rule: 'occurred-at-not-in-future' });
  });

  it('a moved appointment keeps its place and counsellor unless told, and can then be cancelled by the person', async () => {
    await caseSpecification()
      .given(given)
      .when({ type: 'MoveAppointment', data: { appointmentId: 'a2', at: '2026-01-22T10:00:00Z' } })
      .thenEvents([{ type: 'AppointmentMoved', data: { appointmentId: 'a2', at: '2026-01-22T10:00:00.000Z', place: 'local-drop-in', counsellorId: 'counsellor-1' } }]);
    await caseSpecification()
      .given(given)
      .when({ type: 'CancelAppointment', data: { appointmentId: 'a2', cancelledBy: 'person' } })
      .thenEvents([{ type: 'AppointmentCancelled', data: { appointmentId: 'a2', cancelledBy: 'person' } }]);
  });

  it("an appointment planned without a counsellor is with the case's counsellor", async () => {
    await caseSpecification()
      .given(historyUntil.review())
      .when({ type: 'PlanAppointment', data: { appointmentId: 'a9', at: '2026-01-07T09:00:00Z', place: 'phone' } })
      .thenEvents([{ type: 'AppointmentPlanned', data: { appointmentId: 'a9', at: '2026-01-07T09:00:00.000Z', place: 'phone', counsellorId: 'counsellor-1' } }]);
  });
});

describe('notes about calls and appointments', () => {
  it('go to the vault under the case subject, never into the log, and die with the key', async () => {
    const store = new InMemoryEventStore();
    const vault = new InMemoryVault();
    const handler = new CaseCommandHandler({ store, vault, clock: new VirtualClock('2026-03-02T09:00:00.000Z') });
    const actor = { role: 'counsellor', id: 'counsellor-1' } as const;
    const received = await handler.execute({ type: 'ReceiveReferral', caseId: 'c1', commandId: 'r', actor, data: { fundId: 'cpam-22', form: sampleExternalForm() } });
    await handler.execute({ type: 'AcceptReferral', caseId: 'c1', commandId: 'a', actor, data: { counsellorId: 'counsellor-1' } });
    const secret = 'Sa fille est hospitalisée à Rennes';
    const call = await handler.execute({ type: 'RecordContactAttempt', caseId: 'c1', commandId: 'call', actor, data: { channel: 'phone', reached: true, note: secret } });
    const event = call.events[0];
    const noteId = event?.type === 'ContactAttempted' ? (event.data.noteId ?? '') : '';
    expect(noteId).not.toBe('');
    const raw = JSON.stringify(await store.readStream('c1'));
    expect(raw).not.toContain('hospitalisée');
    const subjectRef = caseFileOf(received.state).subjectRef ?? '';
    expect(await vault.get(subjectRef, noteEntry(noteId))).toEqual({ status: 'found', value: { text: secret } });
    await handler.execute({ type: 'RequestErasure', caseId: 'c1', commandId: 'erase', actor: { role: 'data-protection-officer', id: 'dpo' }, data: { requestedOn: '2026-03-02', channel: 'letter' } });
    expect(await vault.get(subjectRef, noteEntry(noteId))).toEqual({ status: 'erased' });
  });
});

describe('a call stored by an earlier version', () => {
  it('reads back as the counsellor’s outgoing call (upcast v1 → v2), and the old case replays', () => {
    const storedV1 = JSON.parse(readFileSync(new URL('../events/fixtures/stored-v1-case.json', import.meta.url), 'utf8')) as EventRecord[];
    const calls = storedV1.filter((record) => record.type === 'ContactAttempted');
    expect(calls.length).toBeGreaterThan(0);
    for (const record of calls) {
      expect(record.data).not.toHaveProperty('direction');
      const event = decodeEvent(record);
      expect(event.meta.schemaVersion).toBe(2);
      expect(event.data).toMatchObject({ direction: 'outgoing' });
      expect(event.data).not.toHaveProperty('noteId');
    }
  });
});
