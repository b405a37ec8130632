/**
 * Calls, messages and appointments through `@misas/service` (issue 15, item 2), on memory, SQLite
 * and PostgreSQL: recorded at any open step by the case's counsellor, refused to anyone outside
 * the case's scope, on the day's agenda of the counsellor they are with (and of nobody else's
 * fund), "without contact" counted in the fund's policy, in the person's export, and their notes
 * gone with the person's key.
 */
import { AccessDeniedError, createInMemoryStorage, policiesByFund, parsePolicy, seededUlidGenerator, VirtualClock, type MisasStorage } from '@misas/core';
import { describe, expect, it } from 'vitest';
import { pgMissingInCi, pgRequiredMessage } from '../../adapters/src/postgres/test-kit.ts';
import { createMisas } from './misas.ts';
import { attackStores } from './testing/attack-stores.ts';
import { fundA, fundB, principals, privacyWorld } from './testing/privacy-world.ts';

const callNote = 'Sa fille sort de l’hôpital jeudi; rappeler après 17 h';
const meetingNote = 'Dossier C2S rempli ensemble, pièces manquantes: avis d’imposition';

describe.runIf(pgMissingInCi)('the contact tests on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

/** A second entry point on the same storage, with fund A's policy saying 5 days without contact. */
function withPolicy(storage: MisasStorage, clock: VirtualClock) {
  return createMisas({
    storage,
    clock,
    ids: seededUlidGenerator(11, clock),
    policies: policiesByFund([parsePolicy({ fundId: fundA, noContactAlertDays: 5 }), parsePolicy({ fundId: fundB })]),
    pseudonymKey: 'a-secret-of-the-national-evaluation-team',
  });
}

describe('calls and appointments through the service', () => {
  for (const store of attackStores) {
    it.skipIf(store.unavailable)(
      `on ${store.name}: recorded by the case's counsellor at planning, on their day's agenda, refused outside the scope, exported, and erased with the person`,
      async () => {
        const opened = await store.open();
        try {
          const { misas, storage, clock } = await privacyWorld(opened.storage);
          const counsellor = misas.as(principals.counsellor);
          // a-1 is in planning (counsellor-1), a-2 in review (counsellor-2), b-1 fund B's.
          await counsellor.execute({ type: 'RecordContactAttempt', caseId: 'a-1', commandId: 'call-1', data: { channel: 'phone', direction: 'incoming', reached: true, note: callNote } });
          await counsellor.execute({ type: 'PlanAppointment', caseId: 'a-1', commandId: 'plan-1', data: { appointmentId: 'rdv-1', at: '2026-01-08T09:30:00Z', place: 'branch' } });
          await counsellor.execute({ type: 'PlanAppointment', caseId: 'a-1', commandId: 'plan-2', data: { appointmentId: 'rdv-2', at: '2026-01-08T14:00:00Z', place: 'local-drop-in' } });
          await counsellor.execute({ type: 'CancelAppointment', caseId: 'a-1', commandId: 'cancel-2', data: { appointmentId: 'rdv-2', cancelledBy: 'person' } });

          // Outside the scope: another counsellor of the fund (not the case's, no team), and fund B.
          for (const intruder of [{ role: 'counsellor', id: 'counsellor-2', fundId: fundA }, { role: 'counsellor', id: 'counsellor-1', fundId: fundB }] as const) {
            const refused = await misas
              .as(intruder)
              .execute({ type: 'PlanAppointment', caseId: 'a-1', commandId: `intrude-${intruder.fundId}`, data: { at: '2026-01-09T09:00:00Z', place: 'phone' } })
              .catch((error: unknown) => error);
            expect(refused).toBeInstanceOf(AccessDeniedError);
          }
          const partnerTry = await misas.as(principals.partner).execute({ type: 'RecordContactAttempt', caseId: 'a-1', commandId: 'p', data: { channel: 'email', reached: true } }).catch((error: unknown) => error);
          expect(partnerTry).toBeInstanceOf(AccessDeniedError);

          // The day's agenda: counsellor-1's appointment of the 8th; the cancelled one is off; fund B's counsellor-1 sees nothing.
          const day = await counsellor.appointmentsOfDay({ day: '2026-01-08' });
          expect(day.map((a) => [a.caseId, a.appointmentId, a.at, a.place, a.status])).toEqual([['a-1', 'rdv-1', '2026-01-08T09:30:00.000Z', 'branch', 'planned']]);
          expect(await misas.as({ role: 'counsellor', id: 'counsellor-1', fundId: fundB }).appointmentsOfDay({ day: '2026-01-08' })).toEqual([]);
          expect((await misas.as(principals.supervisor).appointmentsOfDay({ counsellorId: 'counsellor-1', day: '2026-01-08' })).map((a) => a.appointmentId)).toEqual(['rdv-1']);
          const deniedDay = await misas.as({ role: 'counsellor', id: 'counsellor-2', fundId: fundA }).appointmentsOfDay({ counsellorId: 'counsellor-1', day: '2026-01-08' }).catch((error: unknown) => error);
          expect(deniedDay).toBeInstanceOf(AccessDeniedError);

          // A future appointment cannot be said held; once its time has come it can.
          const early = await counsellor.execute({ type: 'RecordAppointmentHeld', caseId: 'a-1', commandId: 'held-early', data: { appointmentId: 'rdv-1' } }).catch((error: unknown) => error);
          expect(early).toMatchObject({ rule: 'appointment-time-reached' });
          clock.set('2026-01-08T10:30:00.000Z');
          await counsellor.execute({ type: 'RecordAppointmentHeld', caseId: 'a-1', commandId: 'held-1', data: { appointmentId: 'rdv-1', note: meetingNote } });
          expect((await counsellor.agenda({ today: '2026-01-08' })).appointmentsToday.map((a) => [a.appointmentId, a.status])).toEqual([['rdv-1', 'held']]);

          // Without contact: the fund's policy decides. a-2 (counsellor-2, accepted on the 5th, never reached).
          clock.set('2026-01-12T09:00:00.000Z');
          const counsellor2 = { role: 'counsellor', id: 'counsellor-2', fundId: fundA } as const;
          expect((await misas.as(counsellor2).agenda({ today: '2026-01-12' })).withoutContact).toEqual([]);
          const strict = withPolicy(storage, clock);
          expect((await strict.as(counsellor2).agenda({ today: '2026-01-12' })).withoutContact.map((c) => [c.caseId, c.since, c.daysWithoutContact])).toEqual([['a-2', 'acceptance', 7]]);
          // a-1 was met on the 8th: 4 days, under the 5 of the policy.
          expect((await strict.as(principals.counsellor).agenda({ today: '2026-01-12' })).withoutContact).toEqual([]);

          // The person's export holds the calls and appointments with their notes.
          const dpo = misas.as(principals['data-protection-officer']);
          const exported = await dpo.exportPerson('a-1');
          expect(exported.data.contacts.calls).toContainEqual(expect.objectContaining({ direction: 'incoming', channel: 'phone', reached: true, note: callNote }));
          expect(exported.data.contacts.appointments.map((a) => [a.appointmentId, a.status, a.history.map((s) => s.what)])).toEqual([
            ['rdv-1', 'held', ['planned', 'held']],
            ['rdv-2', 'cancelled', ['planned', 'cancelled']],
          ]);
          expect(exported.data.contacts.appointments[0]?.history[1]?.note).toBe(meetingNote);
          expect(exported.document).toContain('## Calls and appointments');
          expect(exported.document).toContain('rappeler après 17 h');

          // Erasure: the notes die with the key; the facts stay, without text.
          await dpo.execute({ type: 'RequestErasure', caseId: 'a-1', commandId: 'erase', data: { requestedOn: '2026-01-12', channel: 'letter' } });
          const after = await dpo.exportPerson('a-1');
          expect(after.data.contacts.calls.every((call) => call.note === null)).toBe(true);
          expect(after.data.contacts.appointments.flatMap((a) => a.history).every((step) => step.note === null)).toBe(true);
          expect(after.data.contacts.appointments).toHaveLength(2);
          const everything = JSON.stringify([after, await storage.events.readAll({ after: 0, limit: 10_000 })]);
          for (const secret of ['hôpital', 'avis d’imposition']) expect(everything).not.toContain(secret);
          // Closed by the erasure: its appointments leave the agenda, and no call is taken any more.
          expect(await counsellor.appointmentsOfDay({ day: '2026-01-08' })).toEqual([]);
          const late = await counsellor.execute({ type: 'RecordContactAttempt', caseId: 'a-1', commandId: 'late-call', data: { channel: 'phone', reached: true } }).catch((error: unknown) => error);
          expect(late).toMatchObject({ rule: 'allowed-in-state' });
        } finally {
          await opened.close();
        }
      },
      120_000,
    );
  }

  it('a note about a call is audited as personal data; a call without one is not', async () => {
    const { misas, storage } = await privacyWorld(createInMemoryStorage());
    const counsellor = misas.as(principals.counsellor);
    await counsellor.execute({ type: 'RecordContactAttempt', caseId: 'a-1', commandId: 'plain', data: { channel: 'sms', reached: false } });
    await counsellor.execute({ type: 'RecordContactAttempt', caseId: 'a-1', commandId: 'noted', data: { channel: 'sms', reached: true, note: callNote } });
    const entries = (await storage.audit.query({ caseId: 'a-1' }, { limit: 1000, after: null })).entries.filter((entry) => entry.name === 'RecordContactAttempt');
    expect(entries.slice(-2).map((entry) => entry.personalData)).toEqual([false, true]);
  });
});
