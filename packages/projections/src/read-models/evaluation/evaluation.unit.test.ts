import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleInternalForm } from '@misas/core/testing';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import { computeIndicators } from '../indicators/indicators.ts';
import { registerRowsForPeriod } from '../indicators/load-rows.ts';
import { caseRegisterName, caseRegisterProjection } from '../register/register-projection.ts';
import { CaseLogBuilder } from '../testing/case-log-builder.ts';
import { evaluationExtract } from './evaluation-extract.ts';
import { EvaluationRow } from './evaluation-row.ts';

const key = 'the-national-evaluation-team-secret-2026';
const otherKey = 'another-secret-for-another-extract-2027';
const march = { from: '2026-03-01', to: '2026-03-31' } as const;

async function registerOf(log: CaseLogBuilder) {
  await catchUp(log.storage.events, log.storage.projections, caseRegisterProjection());
  return readModel(log.storage.projections, caseRegisterName);
}

/** Diego, accompanied to the end, with everything that must not leave the fund on his file. */
async function diego(log: CaseLogBuilder, caseId = 'case-diego-7f3a') {
  await log.refer(caseId, '2026-03-02', {
    fundId: 'cpam-22',
    detectorId: 'gp-le-goff',
    form: {
      reasons: ['care-renunciation', 'rights-access'],
      person: { lastName: 'Rivera', firstName: 'Diego', birthDate: '1988-09-14', phone: '06 71 22 43 18', email: 'diego.rivera@example.org' },
      detector: { kind: 'health-professional', name: 'Dr Le Goff', service: 'Cabinet médical de Plérin', phone: '02 96 44 55 66' },
      careRenunciation: { careTypes: ['specialist-acts-and-exams'], since: '3-to-12-months', causes: ['out-of-pocket-cost'] },
    },
  });
  await log.accept(caseId, '2026-03-03', 'cas-rivera-04');
  await log.review(caseId, '2026-03-04');
  await log.contact(caseId, '2026-03-05');
  await log.agreePlan(caseId, '2026-03-06');
  await log.run(caseId, '2026-03-06', { type: 'ReferToPartner', data: { referralId: 'r1', partner: 'back-office', strand: 'rights' } });
  await log.run(caseId, '2026-03-06', { type: 'LogTime', data: { minutes: 70, activity: 'planning', strand: 'rights' } });
  await log.outcome(caseId, '2026-03-26', { kind: 'right-opened', right: 'c2s' });
  await log.close(caseId, '2026-04-09', 'objectives-met');
  return caseId;
}

describe('the national evaluation extract', () => {
  it('given a person who objects on the form and one who objects later, then neither is extracted, and one who lifts the objection is back', async () => {
    const log = new CaseLogBuilder();
    await log.refer('agrees', '2026-03-02');
    await log.refer('objects-on-form', '2026-03-03', { form: { objectsToEvaluation: true } });
    await log.refer('objects-later', '2026-03-04');
    await log.run('objects-later', '2026-03-05', { type: 'RecordEvaluationObjection', data: { objects: true } });
    const reader = await registerOf(log);

    const extract = await evaluationExtract(reader, { ...march, pseudonymKey: key });

    expect(extract.rows.map((row) => row.pseudonym)).toEqual([createHmac('sha256', key).update('agrees').digest('hex')]);
    expect(extract.excludedForObjection).toBe(2);
    expect(extract.aggregates.referred).toBe(1);

    await log.run('objects-later', '2026-03-10', { type: 'RecordEvaluationObjection', data: { objects: false } });
    await registerOf(log);

    const after = await evaluationExtract(reader, { ...march, pseudonymKey: key });

    expect(after.rows).toHaveLength(2);
    expect(after.rows.map((row) => row.pseudonym)).toContain(createHmac('sha256', key).update('objects-later').digest('hex'));
    expect(after.excludedForObjection).toBe(1);
    expect(after.aggregates.referred).toBe(2);
  });

  it('given cases full of identifiers, then the whole extract holds none of them: no id, reference, name, phone, NIR, service nor exact date', async () => {
    const log = new CaseLogBuilder();
    const diegoId = await diego(log);
    // Only the internal form may carry a NIR.
    const internal = sampleInternalForm({ referralDate: '2026-03-09' });
    const { nir } = internal.person;
    expect(nir).toMatch(/^\d{15}$/);
    await log.run('case-alex-91bc', '2026-03-09', { type: 'ReceiveReferral', data: { fundId: 'cpam-22', form: internal } });
    await log.accept('case-alex-91bc', '2026-03-10', 'cas-kerouac-11');
    const reader = await registerOf(log);
    const subjectRefs = (await registerRowsForPeriod(reader, march)).map((row) => row.subjectRef);
    expect(subjectRefs).toHaveLength(2);

    const extract = await evaluationExtract(reader, { ...march, pseudonymKey: key });
    const json = JSON.stringify(extract);

    expect(extract.rows).toHaveLength(2);
    const secrets = [
      diegoId,
      'case-alex-91bc',
      ...subjectRefs,
      'cas-rivera-04',
      'cas-kerouac-11',
      'gp-le-goff',
      'Cabinet médical de Plérin',
      'Plérin',
      internal.detector.service,
      internal.detector.name,
      'Rivera',
      'Diego',
      'Le Goff',
      internal.person.lastName,
      internal.person.firstName,
      internal.person.birthDate,
      String(nir),
      '06 71 22 43 18',
      '02 96 44 55 66',
      'diego.rivera@example.org',
      '1988',
    ];
    for (const secret of secrets) expect(json, secret).not.toContain(secret);
    // Only the period asked for carries days; the rows carry months and durations.
    expect(JSON.stringify(extract.rows)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(extract.rows.find((row) => row.detectorKind === 'health-professional')).toMatchObject({
      fundId: 'cpam-22',
      referralMonth: '2026-03',
      ageBand: '26-39',
      status: 'closed',
      closureReason: 'objectives-met',
      partnersSolicited: ['back-office'],
      outcomes: { rightsOpened: ['c2s'] },
      durations: { referralToClosure: 38 },
      minutesTotal: 70,
    });
  });

  it('given two extracts with one key and one with another, then the pseudonyms are stable for the key and unrelated across keys', async () => {
    const log = new CaseLogBuilder();
    await diego(log, 'case-1');
    await log.refer('case-2', '2026-03-12');
    const reader = await registerOf(log);

    const first = await evaluationExtract(reader, { ...march, pseudonymKey: key });
    const again = await evaluationExtract(reader, { ...march, pseudonymKey: key });
    const other = await evaluationExtract(reader, { ...march, pseudonymKey: otherKey });

    const pseudonyms = (extract: typeof first) => extract.rows.map((row) => row.pseudonym);
    expect(pseudonyms(again)).toEqual(pseudonyms(first));
    expect(new Set(pseudonyms(first)).size).toBe(2);
    expect(pseudonyms(other).filter((pseudonym) => pseudonyms(first).includes(pseudonym))).toEqual([]);
    expect(pseudonyms(first)).toContain(createHmac('sha256', key).update('case-1').digest('hex'));
  });

  it('given cases in two funds, in and out of the period, then only the period (both days included) and the funds asked for are extracted', async () => {
    const log = new CaseLogBuilder();
    await log.refer('a-first-day', '2026-03-01', { fundId: 'cpam-a' });
    await log.refer('a-last-day', '2026-03-31', { fundId: 'cpam-a' });
    await log.refer('a-before', '2026-02-28', { fundId: 'cpam-a' });
    await log.refer('a-after', '2026-04-01', { fundId: 'cpam-a' });
    await log.refer('b-in', '2026-03-15', { fundId: 'cpam-b' });
    await log.refer('c-in', '2026-03-16', { fundId: 'cpam-c' });
    const reader = await registerOf(log);
    const funds = async (fundIds?: readonly string[]) =>
      (await evaluationExtract(reader, { ...march, pseudonymKey: key, ...(fundIds ? { fundIds } : {}) })).rows.map((row) => `${row.fundId} ${row.referralMonth}`).sort();

    expect(await funds()).toEqual(['cpam-a 2026-03', 'cpam-a 2026-03', 'cpam-b 2026-03', 'cpam-c 2026-03']);
    expect(await funds(['cpam-b'])).toEqual(['cpam-b 2026-03']);
    expect(await funds(['cpam-c', 'cpam-a', 'cpam-a'])).toEqual(['cpam-a 2026-03', 'cpam-a 2026-03', 'cpam-c 2026-03']);
    expect(await funds(['cpam-unknown'])).toEqual([]);
    expect((await evaluationExtract(reader, { ...march, pseudonymKey: key, fundIds: ['cpam-c', 'cpam-a'] })).fundIds).toEqual(['cpam-a', 'cpam-c']);
  });

  it('the aggregates are the indicators of the included people only, as computeIndicators gives them without objectors', async () => {
    const log = new CaseLogBuilder();
    await diego(log, 'k1');
    await diego(log, 'k2');
    await log.run('k2', '2026-04-20', { type: 'RecordEvaluationObjection', data: { objects: true } });
    await log.refer('k3', '2026-03-20');
    await log.run('k3', '2026-03-21', { type: 'DeclineReferral', data: { reason: 'duplicate' } });
    const reader = await registerOf(log);

    const extract = await evaluationExtract(reader, { ...march, pseudonymKey: key });

    const report = computeIndicators(await registerRowsForPeriod(reader, march), { ...march, excludeObjectingToEvaluation: true });
    expect(extract.aggregates).toEqual(report.overall);
    expect(extract.excludedForObjection).toBe(report.excludedObjectingToEvaluation);
    expect(extract.aggregates).toMatchObject({ referred: 2, declined: 1, accompaniedAndClosed: 1, rightsShare: { numerator: 1, denominator: 1 } });
  });

  it('refuses a key shorter than 32 characters without quoting it, an empty fund list, and a period out of order', async () => {
    const reader = await registerOf(new CaseLogBuilder());
    const short = 'only-thirty-one-characters-long';
    expect(short).toHaveLength(31);

    await expect(evaluationExtract(reader, { ...march, pseudonymKey: short })).rejects.toThrow(RangeError);
    await expect(evaluationExtract(reader, { ...march, pseudonymKey: short })).rejects.not.toThrow(short);
    await expect(evaluationExtract(reader, { ...march, pseudonymKey: `${short}!` })).resolves.toMatchObject({ rows: [], excludedForObjection: 0 });
    await expect(evaluationExtract(reader, { ...march, pseudonymKey: key, fundIds: [] })).rejects.toThrow(RangeError);
    await expect(evaluationExtract(reader, { from: '2026-03-31', to: '2026-03-01', pseudonymKey: key })).rejects.toThrow(RangeError);
  });

  it('a row with a field beyond the schema fails validation', async () => {
    const log = new CaseLogBuilder();
    await log.refer('k', '2026-03-02');
    const [row] = (await evaluationExtract(await registerOf(log), { ...march, pseudonymKey: key })).rows;

    expect(EvaluationRow.safeParse(row).success).toBe(true);
    expect(EvaluationRow.safeParse({ ...row, caseId: 'k' }).success).toBe(false);
    expect(EvaluationRow.safeParse({ ...row, referralMonth: '2026-03-02' }).success).toBe(false);
  });
});
