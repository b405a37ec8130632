import { describe, expect, it } from 'vitest';
import { sampleExternalForm } from '@misas/core/testing';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import { CaseLogBuilder } from '../testing/case-log-builder.ts';
import {
  DetectorReferral as DetectorReferralSchema,
  detectorReferralsCollection,
  detectorViewName,
  detectorViewProjection,
  type DetectorReferral,
} from './detector-view-projection.ts';
import { referralsOfDetector } from './detector-view-queries.ts';

const allowedFields = ['caseId', 'endedOn', 'notStartedOn', 'notStartedReason', 'referralDate', 'startedOn'];
const fundId = 'cpam-test';
/** A referral as its detector sees it, nothing told yet unless `told` says so. */
const seen = (caseId: string, referralDate: string, told: Partial<DetectorReferral> = {}): DetectorReferral => ({
  caseId,
  referralDate,
  startedOn: null,
  endedOn: null,
  notStartedOn: null,
  notStartedReason: null,
  ...told,
});

async function referrals() {
  const log = new CaseLogBuilder();
  const gp = { detectorId: 'gp-1', form: { detector: { kind: 'health-professional', name: 'Dr Kerouac', service: 'Cabinet de Lannion', phone: '02 96 11 22 33' } } } as const;
  await log.refer('b-declined', '2026-02-03', gp);
  await log.refer('a-accompanied', '2026-02-10', { ...gp, form: { ...gp.form, person: { lastName: 'Le Bihan', firstName: 'Yann', birthDate: '1970-01-01' } } });
  await log.refer('c-redirected', '2026-02-01', { ...gp, form: { ...gp.form, reasons: ['complex-social-situation'], careRenunciation: undefined } });
  await log.refer('d-other-detector', '2026-02-01', { detectorId: 'ccas-9' });
  await log.run('e-keyed-in', '2026-02-01', { type: 'ReceiveReferral', data: { fundId: 'cpam-test', form: sampleExternalForm() } });
  await log.run('b-declined', '2026-02-04', { type: 'DeclineReferral', data: { reason: 'not-relevant' } });
  await log.reached('x', { referred: '2026-02-10', accepted: '2026-02-11', reached: '2026-02-12' }, { detectorId: 'ccas-9' });
  await log.accept('a-accompanied', '2026-02-11', 'cas-1');
  await log.review('a-accompanied', '2026-02-12');
  await log.contact('a-accompanied', '2026-02-13');
  await log.agreePlan('a-accompanied', '2026-02-14');
  await log.outcome('a-accompanied', '2026-03-01', { kind: 'right-opened', right: 'c2s' });
  await log.run('a-accompanied', '2026-03-02', { type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: ['ccas'] } });
  const projection = detectorViewProjection();
  await catchUp(log.storage.events, log.storage.projections, projection);
  return { log, projection, reader: readModel(log.storage.projections, detectorViewName) };
}

describe('the detector view', () => {
  it('given referrals of a detector, then they see each one with its start (the plan agreed, not triage) and end dates, or why it never started, oldest first', async () => {
    const { reader } = await referrals();
    expect(await referralsOfDetector(reader, { fundId, detectorId: 'gp-1' })).toEqual([
      seen('c-redirected', '2026-02-01', { notStartedOn: '2026-02-01', notStartedReason: 'redirected' }),
      seen('b-declined', '2026-02-03', { notStartedOn: '2026-02-04', notStartedReason: 'declined' }),
      seen('a-accompanied', '2026-02-10', { startedOn: '2026-02-14', endedOn: '2026-03-02' }),
    ]);
    expect((await referralsOfDetector(reader, { fundId, detectorId: 'ccas-9' })).map((r) => r.caseId)).toEqual(['d-other-detector', 'x']);
    expect(await referralsOfDetector(reader, { fundId, detectorId: 'gp' })).toEqual([]);
  });

  it('minimality: no stored detector document holds any other field, nor anything of the person, the counsellor or the plan', async () => {
    const { reader } = await referrals();
    const documents = await reader.list(detectorReferralsCollection);
    expect(documents).toHaveLength(5);
    for (const { value } of documents) expect(Object.keys(value as object).sort()).toEqual(allowedFields);
    for (const detector of ['gp-1', 'ccas-9']) {
      for (const referral of await referralsOfDetector(reader, { fundId, detectorId: detector })) expect(Object.keys(referral).sort()).toEqual(allowedFields);
    }
    const visible = JSON.stringify(documents.map((d) => d.value));
    expect(visible).not.toMatch(/Yann|Bihan|Kerouac|Lannion|cas-1|cpam|c2s|ccas|objectives|subj_|not-relevant|social/);
  });

  it('given a detector of another fund with the same id, then each sees the referrals of their own fund only', async () => {
    const { log, projection, reader } = await referrals();
    await log.refer('g-other-fund', '2026-02-05', { detectorId: 'gp-1', fundId: 'cpam-other' });
    await catchUp(log.storage.events, log.storage.projections, projection);
    expect(await referralsOfDetector(reader, { fundId: 'cpam-other', detectorId: 'gp-1' })).toEqual([seen('g-other-fund', '2026-02-05')]);
    expect((await referralsOfDetector(reader, { fundId, detectorId: 'gp-1' })).map((r) => r.caseId)).toEqual(['c-redirected', 'b-declined', 'a-accompanied']);
  });

  it('a referral keyed in by a counsellor has no detector to show it to', async () => {
    const { reader } = await referrals();
    const keys = (await reader.list(detectorReferralsCollection)).map((d) => d.key);
    expect(keys.some((key) => key.endsWith('/e-keyed-in'))).toBe(false);
  });

  it('a reopened case is ongoing again until its next closure; an erased case disappears from the view', async () => {
    const { log, projection, reader } = await referrals();
    await log.run('a-accompanied', '2026-03-10', { type: 'ReopenCase', data: { reason: 'new-need' } });
    await catchUp(log.storage.events, log.storage.projections, projection);
    expect((await referralsOfDetector(reader, { fundId, detectorId: 'gp-1' }))[2]).toEqual(seen('a-accompanied', '2026-02-10', { startedOn: '2026-02-14' }));

    await log.close('a-accompanied', '2026-04-01', 'objectives-partly-met');
    await log.run('b-declined', '2026-04-02', { type: 'ErasePersonalData', data: { reason: 'erasure-request' } }, { role: 'data-protection-officer', id: 'dpo' });
    await catchUp(log.storage.events, log.storage.projections, projection);
    expect(await referralsOfDetector(reader, { fundId, detectorId: 'gp-1' })).toEqual([
      seen('c-redirected', '2026-02-01', { notStartedOn: '2026-02-01', notStartedReason: 'redirected' }),
      seen('a-accompanied', '2026-02-10', { startedOn: '2026-02-14', endedOn: '2026-04-01' }),
    ]);
  });

  it('a withdrawal of consent before the plan means the accompaniment never started (the person declined); an erasure request takes the referral out of the view', async () => {
    const { log, projection, reader } = await referrals();
    await log.refer('f-withdrawn', '2026-02-15', { detectorId: 'gp-1' });
    await log.accept('f-withdrawn', '2026-02-16');
    await log.run('f-withdrawn', '2026-02-20', { type: 'WithdrawConsent', data: {} });
    await log.run('a-accompanied', '2026-03-05', { type: 'RequestErasure', data: { requestedOn: '2026-03-04', channel: 'phone' } }, { role: 'data-protection-officer', id: 'dpo' });
    await catchUp(log.storage.events, log.storage.projections, projection);
    expect(await referralsOfDetector(reader, { fundId, detectorId: 'gp-1' })).toEqual([
      seen('c-redirected', '2026-02-01', { notStartedOn: '2026-02-01', notStartedReason: 'redirected' }),
      seen('b-declined', '2026-02-03', { notStartedOn: '2026-02-04', notStartedReason: 'declined' }),
      seen('f-withdrawn', '2026-02-15', { notStartedOn: '2026-02-20', notStartedReason: 'person-declined' }),
    ]);
  });

  it('a document written before the "not started" fields still reads, with them empty', () => {
    const old = { caseId: 'k', referralDate: '2026-01-05', startedOn: '2026-01-06', endedOn: null };
    expect(DetectorReferralSchema.parse(old)).toEqual(seen('k', '2026-01-05', { startedOn: '2026-01-06' }));
  });
});
