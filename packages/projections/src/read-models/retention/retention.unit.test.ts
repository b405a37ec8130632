import { describe, expect, it } from 'vitest';
import { parsePolicy, policiesByFund } from '@misas/core';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import { CaseLogBuilder } from '../testing/case-log-builder.ts';
import { retentionName, retentionProjection } from './retention-projection.ts';
import { dueForErasure, retentionOf } from './retention-queries.ts';

const policies = policiesByFund([
  parsePolicy({ fundId: 'cpam-22' }),
  parsePolicy({ fundId: 'cpam-short', retentionMonthsAfterClosure: 1 }),
  parsePolicy({ fundId: 'cpam-13', retentionMonthsAfterClosure: 13 }),
]);

async function project(log: CaseLogBuilder) {
  await catchUp(log.storage.events, log.storage.projections, retentionProjection({ policies }));
  return readModel(log.storage.projections, retentionName);
}

describe('the retention schedule', () => {
  it('given a case closed on 31 January, then its data is due for erasure 18 months later, on 31 July, not the day before', async () => {
    const log = new CaseLogBuilder({ policies });
    await log.refer('k', '2026-01-05', { fundId: 'cpam-22' });
    await log.accept('k', '2026-01-06');
    await log.close('k', '2026-01-31', 'moved-away');
    const reader = await project(log);
    expect(await retentionOf(reader, 'k')).toEqual({
      state: 'scheduled',
      caseId: 'k',
      fundId: 'cpam-22',
      subjectRef: expect.stringMatching(/^subj_/),
      endReason: 'closed',
      endedOn: '2026-01-31',
      retentionMonths: 18,
      eraseOn: '2027-07-31',
    });
    expect(await dueForErasure(reader, '2027-07-30')).toEqual([]);
    expect((await dueForErasure(reader, '2027-07-31')).map((e) => e.caseId)).toEqual(['k']);
    expect((await dueForErasure(reader, '2029-01-01')).map((e) => e.caseId)).toEqual(['k']);
  });

  it("a shorter fund policy applies, clamped to the month's last day (31 Jan + 1 month = 28 Feb; + 13 months in a leap year = 29 Feb)", async () => {
    const log = new CaseLogBuilder({ policies });
    await log.refer('short', '2026-01-05', { fundId: 'cpam-short' });
    await log.run('short', '2026-01-31', { type: 'DeclineReferral', data: { reason: 'incomplete-referral' } });
    await log.refer('leap', '2027-01-05', { fundId: 'cpam-13' });
    await log.accept('leap', '2027-01-06');
    await log.close('leap', '2027-01-31', 'person-withdrew');
    const reader = await project(log);
    expect(await retentionOf(reader, 'short')).toMatchObject({ endReason: 'declined', retentionMonths: 1, eraseOn: '2026-02-28' });
    expect(await retentionOf(reader, 'leap')).toMatchObject({ endReason: 'closed', retentionMonths: 13, eraseOn: '2028-02-29' });
  });

  it('declined and redirected referrals are scheduled from their triage decision; the list is in date order', async () => {
    const log = new CaseLogBuilder({ policies });
    await log.refer('redirected', '2026-03-15', { fundId: 'cpam-22', form: { reasons: ['complex-social-situation'], careRenunciation: undefined } });
    await log.refer('declined', '2026-02-10', { fundId: 'cpam-22' });
    await log.run('declined', '2026-02-11', { type: 'DeclineReferral', data: { reason: 'duplicate' } });
    await log.refer('open', '2026-01-01', { fundId: 'cpam-22' });
    const reader = await project(log);
    expect(await retentionOf(reader, 'redirected')).toMatchObject({ endReason: 'redirected', endedOn: '2026-03-15', eraseOn: '2027-09-15' });
    expect(await retentionOf(reader, 'open')).toMatchObject({ state: 'open' });
    expect(await retentionOf(reader, 'unknown')).toBeUndefined();
    expect((await dueForErasure(reader, '2027-12-31')).map((e) => [e.caseId, e.eraseOn])).toEqual([
      ['declined', '2027-08-11'],
      ['redirected', '2027-09-15'],
    ]);
    await expect(dueForErasure(reader, '31/12/2027')).rejects.toThrow('today must be a day');
  });

  it('a reopened case leaves the schedule and is scheduled again from its new closure', async () => {
    const log = new CaseLogBuilder({ policies });
    await log.reached('k', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' }, { fundId: 'cpam-22' });
    await log.close('k', '2026-02-01', 'person-withdrew');
    const reader = await project(log);
    expect(await retentionOf(reader, 'k')).toMatchObject({ state: 'scheduled', eraseOn: '2027-08-01' });

    await log.run('k', '2026-02-20', { type: 'ReopenCase', data: { reason: 'person-request' } });
    await project(log);
    expect(await retentionOf(reader, 'k')).toMatchObject({ state: 'open' });
    expect(await dueForErasure(reader, '2030-01-01')).toEqual([]);

    await log.close('k', '2026-04-30', 'person-withdrew');
    await project(log);
    expect(await retentionOf(reader, 'k')).toMatchObject({ state: 'scheduled', endedOn: '2026-04-30', eraseOn: '2027-10-30' });
    expect((await dueForErasure(reader, '2030-01-01')).map((e) => e.eraseOn)).toEqual(['2027-10-30']);
  });

  it('a case closed by a withdrawal of consent is scheduled like any closure; one closed by an erasure request is erased at once', async () => {
    const log = new CaseLogBuilder({ policies });
    await log.reached('withdrawn', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' }, { fundId: 'cpam-22' });
    await log.run('withdrawn', '2026-02-01', { type: 'WithdrawConsent', data: {} });
    await log.reached('erased', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' }, { fundId: 'cpam-22' });
    await log.run('erased', '2026-02-01', { type: 'RequestErasure', data: { requestedOn: '2026-01-30', channel: 'email' } }, { role: 'data-protection-officer', id: 'dpo-1' });
    const reader = await project(log);
    expect(await retentionOf(reader, 'withdrawn')).toMatchObject({ state: 'scheduled', endReason: 'closed', endedOn: '2026-02-01', eraseOn: '2027-08-01' });
    expect(await retentionOf(reader, 'erased')).toMatchObject({ state: 'erased', erasedOn: '2026-02-01' });
    expect((await dueForErasure(reader, '2030-01-01')).map((e) => e.caseId)).toEqual(['withdrawn']);
  });

  it('once the personal data is erased, the case leaves the schedule for good', async () => {
    const log = new CaseLogBuilder({ policies, now: '2028-01-01T00:00:00.000Z' });
    await log.refer('k', '2026-01-05', { fundId: 'cpam-22' });
    await log.run('k', '2026-01-06', { type: 'DeclineReferral', data: { reason: 'not-relevant' } });
    await log.run('k', '2027-07-06', { type: 'ErasePersonalData', data: { reason: 'retention-expired' } }, { role: 'system', id: 'scheduler' });
    const reader = await project(log);
    expect(await retentionOf(reader, 'k')).toMatchObject({ state: 'erased', erasedOn: '2027-07-06' });
    expect(await dueForErasure(reader, '2027-12-31')).toEqual([]);
  });
});
