import { describe, expect, it } from 'vitest';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import { CaseLogBuilder } from '../testing/case-log-builder.ts';
import {
  actionsDueInWeek,
  casesWithoutContact,
  counsellorAgenda,
  openCaseloadSizes,
  openCasesByState,
  overdueActions,
  partnerReferralsAwaitingAnswer,
} from './agenda-queries.ts';
import { appointmentsOfDay } from './appointment-queries.ts';
import { caseloadCasesCollection, caseloadName, caseloadProjection } from './caseload-projection.ts';

const fundId = 'cpam-test';
const plan = (id: string, dueDate: string) =>
  ({ type: 'PlanAction', data: { actionId: id, strand: 'care', kind: 'book-appointment', owner: { kind: 'person' }, dueDate } }) as const;

/** Alice's desk in March 2026 (the 9th is a Monday). */
async function alicesDesk() {
  const log = new CaseLogBuilder();
  // A: reached on the 4th; actions around the week of the 9th; four partner referrals.
  await log.reached('A', { referred: '2026-03-01', accepted: '2026-03-02', reached: '2026-03-04' });
  await log.run('A', '2026-03-04', { type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } });
  for (const [id, due] of [['sun-before', '2026-03-08'], ['monday', '2026-03-09'], ['sunday', '2026-03-15'], ['next-monday', '2026-03-16'], ['done', '2026-03-10'], ['cancelled', '2026-03-11']] as const) {
    await log.run('A', '2026-03-04', plan(id, due));
  }
  for (const [id, followUpBy] of [['r1', '2026-03-10'], ['r2', '2026-03-11'], ['r3', '2026-03-05'], ['r4', '2026-03-05']] as const) {
    await log.run('A', '2026-03-04', { type: 'ReferToPartner', data: { referralId: id, partner: 'ccas', strand: 'care', followUpBy } });
  }
  await log.run('A', '2026-03-04', { type: 'AgreePlan', data: {} });
  await log.run('A', '2026-03-04', { type: 'UpdateActionStatus', data: { actionId: 'done', status: 'done' } });
  await log.run('A', '2026-03-04', { type: 'UpdateActionStatus', data: { actionId: 'cancelled', status: 'cancelled' } });
  await log.run('A', '2026-03-04', { type: 'UpdateActionStatus', data: { actionId: 'monday', status: 'in-progress' } });
  await log.run('A', '2026-03-04', { type: 'UpdatePartnerReferral', data: { referralId: 'r2', status: 'acknowledged' } });
  await log.run('A', '2026-03-04', { type: 'UpdatePartnerReferral', data: { referralId: 'r3', status: 'completed' } });
  await log.run('A', '2026-03-04', { type: 'UpdatePartnerReferral', data: { referralId: 'r4', status: 'in-progress' } });
  // B: accepted on the 1st, never called.
  await log.refer('B', '2026-03-01');
  await log.accept('B', '2026-03-01', 'alice');
  // C: still in triage, but already given to Alice.
  await log.refer('C', '2026-03-02');
  await log.run('C', '2026-03-02', { type: 'AssignCounsellor', data: { counsellorId: 'alice' } });
  // D: closed, so off the desk; E: Bob's, handed over to Alice.
  await log.refer('D', '2026-03-01');
  await log.accept('D', '2026-03-01', 'alice');
  await log.close('D', '2026-03-03', 'moved-away');
  await log.refer('E', '2026-03-01');
  await log.accept('E', '2026-03-02', 'bob');
  await log.run('E', '2026-03-03', { type: 'AssignCounsellor', data: { counsellorId: 'alice' } });
  // A's owner is the default counsellor: hand it to Alice too.
  await log.run('A', '2026-03-05', { type: 'AssignCounsellor', data: { counsellorId: 'alice' } });
  await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
  return { log, reader: readModel(log.storage.projections, caseloadName) };
}

describe('caseload and agenda', () => {
  it('given cases moving between counsellors and steps, then the open cases are grouped by step', async () => {
    const { reader } = await alicesDesk();
    const open = await openCasesByState(reader, { fundId, counsellorId: 'alice' });
    expect(open.total).toBe(4);
    expect(open.byState).toMatchObject({ triage: ['C'], review: ['B', 'E'], accompaniment: ['A'], planning: [] });
    expect(await openCasesByState(reader, { fundId, counsellorId: 'bob' })).toMatchObject({ total: 0 });
    expect(await openCaseloadSizes(reader, fundId)).toEqual([{ counsellorId: 'alice', openCases: 4 }]);
  });

  it('actions due in a week run from Monday to Sunday inclusive, and exclude done and cancelled ones', async () => {
    const { reader } = await alicesDesk();
    for (const weekOf of ['2026-03-09', '2026-03-12', '2026-03-15']) {
      const week = await actionsDueInWeek(reader, { fundId, counsellorId: 'alice' }, { weekOf });
      expect(week.monday).toBe('2026-03-09');
      expect(week.sunday).toBe('2026-03-15');
      expect(week.actions.map((a) => [a.caseId, a.actionId, a.status])).toEqual([
        ['A', 'monday', 'in-progress'],
        ['A', 'sunday', 'planned'],
      ]);
    }
    expect((await actionsDueInWeek(reader, { fundId, counsellorId: 'alice' }, { weekOf: '2026-03-08' })).actions.map((a) => a.actionId)).toEqual(['sun-before']);
    await expect(actionsDueInWeek(reader, { fundId, counsellorId: 'alice' }, { weekOf: 'next week' })).rejects.toThrow('weekOf must be a day');
  });

  it('an action is overdue from the day after its due date', async () => {
    const { reader } = await alicesDesk();
    expect((await overdueActions(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-08' })).map((a) => a.actionId)).toEqual([]);
    expect(await overdueActions(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-09' })).toMatchObject([{ actionId: 'sun-before', daysOverdue: 1 }]);
    expect((await overdueActions(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-10' })).map((a) => [a.actionId, a.daysOverdue])).toEqual([
      ['sun-before', 2],
      ['monday', 1],
    ]);
  });

  it('partner referrals awaiting an answer are the sent and acknowledged ones; the follow-up is overdue the day after followUpBy', async () => {
    const { reader } = await alicesDesk();
    const on10th = await partnerReferralsAwaitingAnswer(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-10' });
    expect(on10th.map((r) => [r.referralId, r.status, r.followUpBy, r.followUpOverdue])).toEqual([
      ['r1', 'sent', '2026-03-10', false],
      ['r2', 'acknowledged', '2026-03-11', false],
    ]);
    const on11th = await partnerReferralsAwaitingAnswer(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-11' });
    expect(on11th.map((r) => r.followUpOverdue)).toEqual([true, false]);
  });

  it('no contact since N days counts from the last contact, else from acceptance, and includes exactly N days', async () => {
    const { reader } = await alicesDesk();
    const silent = await casesWithoutContact(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-14', days: 10 });
    expect(silent).toEqual([
      { caseId: 'B', status: 'review', since: 'acceptance', sinceDay: '2026-03-01', daysWithoutContact: 13 },
      { caseId: 'E', status: 'review', since: 'acceptance', sinceDay: '2026-03-02', daysWithoutContact: 12 },
      { caseId: 'A', status: 'accompaniment', since: 'last-contact', sinceDay: '2026-03-04', daysWithoutContact: 10 },
    ]);
    expect((await casesWithoutContact(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-14', days: 11 })).map((c) => c.caseId)).toEqual(['B', 'E']);
    await expect(casesWithoutContact(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-14', days: -1 })).rejects.toThrow(RangeError);
  });

  it('a reopened case comes back on the desk; a failed call is no contact, silence restarts at the reopening; the agenda gathers everything', async () => {
    const { log, reader } = await alicesDesk();
    await log.run('D', '2026-03-10', { type: 'ReopenCase', data: { reason: 'person-request' } });
    await log.review('B', '2026-03-12');
    await log.contact('B', '2026-03-12', false);
    await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
    const agenda = await counsellorAgenda(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-14', noContactDays: 10 });
    expect(agenda.openCases.byState['contact.awaiting']).toEqual(['B', 'D']);
    expect(agenda.openCases.total).toBe(5);
    expect(agenda.withoutContact.map((c) => c.caseId)).toEqual(['B', 'E', 'A']);
    expect(agenda.appointmentsToday).toEqual([]);
    expect(agenda.dueThisWeek.actions.map((a) => a.actionId)).toEqual(['monday', 'sunday']);
    expect(agenda.overdueActions.map((a) => a.actionId)).toEqual(['sun-before', 'monday']);
    expect(agenda.awaitingPartners.every((r) => r.followUpOverdue)).toBe(true);
    expect(await casesWithoutContact(reader, { fundId, counsellorId: 'alice' }, { today: '2026-03-14', days: 4 })).toContainEqual({
      caseId: 'D',
      status: 'contact.awaiting',
      since: 'reopening',
      sinceDay: '2026-03-10',
      daysWithoutContact: 4,
    });
  });

  it('given a counsellor of another fund with the same id, then each desk holds the cases of its own fund only', async () => {
    const { log, reader } = await alicesDesk();
    await log.refer('Z', '2026-03-01', { fundId: 'cpam-other' });
    await log.accept('Z', '2026-03-02', 'alice');
    await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
    expect(await openCasesByState(reader, { fundId: 'cpam-other', counsellorId: 'alice' })).toMatchObject({ total: 1, byState: { review: ['Z'] } });
    expect((await openCasesByState(reader, { fundId, counsellorId: 'alice' })).total).toBe(4);
    expect(await openCaseloadSizes(reader, fundId)).toEqual([{ counsellorId: 'alice', openCases: 4 }]);
    expect(await openCaseloadSizes(reader, 'cpam-other')).toEqual([{ counsellorId: 'alice', openCases: 1 }]);
  });

  it('a case closed by a withdrawal of consent leaves the desk; one whose person asked for erasure leaves the read model altogether', async () => {
    const { log, reader } = await alicesDesk();
    await log.run('B', '2026-03-06', { type: 'WithdrawConsent', data: {} });
    await log.run('E', '2026-03-06', { type: 'RequestErasure', data: { requestedOn: '2026-03-06', channel: 'letter' } }, { role: 'data-protection-officer', id: 'dpo' });
    await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
    expect(await openCasesByState(reader, { fundId, counsellorId: 'alice' })).toMatchObject({ total: 2, byState: { triage: ['C'], review: [], accompaniment: ['A'] } });
    expect(await reader.get(caseloadCasesCollection, 'E')).toBeUndefined();
    expect(await reader.get(caseloadCasesCollection, 'B')).toMatchObject({ status: 'closed' });
  });

  it('a long accompaniment kept up by calls and appointments is not without contact; a missed appointment or an unanswered call is no contact', async () => {
    const { log, reader } = await alicesDesk();
    const alice = { fundId, counsellorId: 'alice' };
    // A: an incoming call from the person on the 20th, an appointment held at the branch on the 30th.
    await log.run('A', '2026-03-20', { type: 'RecordContactAttempt', data: { channel: 'phone', direction: 'incoming', reached: true } });
    await log.run('A', '2026-03-21', { type: 'PlanAppointment', data: { appointmentId: 'ap1', at: '2026-03-30T08:00:00Z', place: 'branch', counsellorId: 'alice' } });
    await log.run('A', '2026-03-30T08:45:00.000Z', { type: 'RecordAppointmentHeld', data: { appointmentId: 'ap1' } });
    // E: an appointment the person missed on the 30th, and an SMS that did not get through.
    await log.run('E', '2026-03-21', { type: 'PlanAppointment', data: { appointmentId: 'ap2', at: '2026-03-30T13:00:00Z', place: 'local-drop-in', counsellorId: 'alice' } });
    await log.run('E', '2026-03-30T14:00:00.000Z', { type: 'RecordAppointmentMissed', data: { appointmentId: 'ap2', missedBy: 'person' } });
    await log.run('E', '2026-03-31', { type: 'RecordContactAttempt', data: { channel: 'sms', reached: false } });
    await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
    const silent = await casesWithoutContact(reader, alice, { today: '2026-04-05', days: 10 });
    expect(silent.map((c) => [c.caseId, c.since, c.sinceDay])).toEqual([
      ['B', 'acceptance', '2026-03-01'],
      ['E', 'acceptance', '2026-03-02'],
    ]);
    expect(await casesWithoutContact(reader, alice, { today: '2026-04-09', days: 10 })).toContainEqual({
      caseId: 'A', status: 'accompaniment', since: 'last-contact', sinceDay: '2026-03-30', daysWithoutContact: 10,
    });
  });

  it("the day's appointments of a counsellor: in time order, moved ones on their new day, cancelled ones and other counsellors' off", async () => {
    const { log, reader } = await alicesDesk();
    const alice = { fundId, counsellorId: 'alice' };
    await log.run('A', '2026-03-06', { type: 'PlanAppointment', data: { appointmentId: 'late', at: '2026-03-12T15:00:00Z', place: 'branch', counsellorId: 'alice' } });
    await log.run('A', '2026-03-06', { type: 'PlanAppointment', data: { appointmentId: 'early', at: '2026-03-12T08:30:00Z', place: 'phone', counsellorId: 'alice' } });
    await log.run('B', '2026-03-06', { type: 'PlanAppointment', data: { appointmentId: 'moved', at: '2026-03-11T10:00:00Z', place: 'local-drop-in', counsellorId: 'alice' } });
    await log.run('B', '2026-03-07', { type: 'MoveAppointment', data: { appointmentId: 'moved', at: '2026-03-12T10:00:00Z' } });
    await log.run('E', '2026-03-06', { type: 'PlanAppointment', data: { appointmentId: 'cancelled', at: '2026-03-12T11:00:00Z', place: 'branch', counsellorId: 'alice' } });
    await log.run('E', '2026-03-07', { type: 'CancelAppointment', data: { appointmentId: 'cancelled', cancelledBy: 'person' } });
    await log.run('E', '2026-03-07', { type: 'PlanAppointment', data: { appointmentId: 'bobs', at: '2026-03-12T09:00:00Z', place: 'branch', counsellorId: 'bob' } });
    await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
    const day = await appointmentsOfDay(reader, alice, { day: '2026-03-12' });
    expect(day.map((a) => [a.appointmentId, a.caseId, a.at, a.place, a.status])).toEqual([
      ['early', 'A', '2026-03-12T08:30:00.000Z', 'phone', 'planned'],
      ['moved', 'B', '2026-03-12T10:00:00.000Z', 'local-drop-in', 'planned'],
      ['late', 'A', '2026-03-12T15:00:00.000Z', 'branch', 'planned'],
    ]);
    expect(await appointmentsOfDay(reader, alice, { day: '2026-03-11' })).toEqual([]);
    expect((await appointmentsOfDay(reader, { fundId, counsellorId: 'bob' }, { day: '2026-03-12' })).map((a) => a.appointmentId)).toEqual(['bobs']);
    // Another fund's counsellor with the same id sees nothing of this fund.
    expect(await appointmentsOfDay(reader, { fundId: 'cpam-other', counsellorId: 'alice' }, { day: '2026-03-12' })).toEqual([]);
    expect((await counsellorAgenda(reader, alice, { today: '2026-03-12', noContactDays: 30 })).appointmentsToday.map((a) => a.appointmentId)).toEqual(['early', 'moved', 'late']);
    // Closing the case takes its appointments off the agenda.
    await log.close('B', '2026-03-08', 'person-withdrew');
    await catchUp(log.storage.events, log.storage.projections, caseloadProjection());
    expect((await appointmentsOfDay(reader, alice, { day: '2026-03-12' })).map((a) => a.appointmentId)).toEqual(['early', 'late']);
    await expect(appointmentsOfDay(reader, alice, { day: 'tomorrow' })).rejects.toThrow('day must be a day');
  });
});
