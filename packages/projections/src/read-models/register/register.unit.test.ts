import { describe, expect, it } from 'vitest';
import { PersonalDataUnreadableError } from '@misas/core';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import { CaseLogBuilder } from '../testing/case-log-builder.ts';
import { ReadModelDocumentError } from '../shared/documents.ts';
import { caseRegisterName, caseRegisterProjection } from './register-projection.ts';
import { caseRegisterRow, queryCaseRegister, scanCaseRegister } from './register-queries.ts';
import { withPersonNames } from './person-names.ts';

async function caughtUp(log: CaseLogBuilder) {
  await catchUp(log.storage.events, log.storage.projections, caseRegisterProjection());
  return readModel(log.storage.projections, caseRegisterName);
}

/** Diego's path, shortened: two calls, a plan on three strands, two partners, gains, closure. */
async function diego(log: CaseLogBuilder) {
  const id = 'case-diego';
  await log.refer(id, '2026-03-02', {
    fundId: 'cpam-22',
    detectorId: 'gp-le-goff',
    form: {
      reasons: ['care-renunciation', 'rights-access', 'digital-fragility'],
      detector: { kind: 'health-professional', name: 'Dr Le Goff', service: 'Cabinet médical de Plérin' },
      careRenunciation: { careTypes: ['specialist-acts-and-exams'], since: '3-to-12-months', causes: ['out-of-pocket-cost', 'complex-procedures'] },
      person: { lastName: 'Rivera', firstName: 'Diego', birthDate: '1988-09-14', phone: '06 71 22 43 18' },
    },
  });
  await log.accept(id, '2026-03-03', 'cas-04');
  await log.run(id, '2026-03-03', { type: 'LogTime', data: { minutes: 15, activity: 'triage' } });
  await log.review(id, '2026-03-04');
  await log.contact(id, '2026-03-05T11:00:00.000Z', false);
  await log.contact(id, '2026-03-05T18:30:00.000Z', true);
  await log.run(id, '2026-03-05T18:50:00.000Z', { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures', 'digital-inclusion'], strands: ['rights', 'care', 'digital'] } });
  await log.run(id, '2026-03-06', { type: 'PlanAction', data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: { kind: 'counsellor', counsellorId: 'cas-04' }, dueDate: '2026-03-20' } });
  await log.run(id, '2026-03-06', { type: 'ReferToPartner', data: { referralId: 'r1', partner: 'back-office', strand: 'rights' } });
  await log.run(id, '2026-03-06', { type: 'ReferToPartner', data: { referralId: 'r2', partner: 'digital-mediator', strand: 'digital' } });
  await log.run(id, '2026-03-06', { type: 'ReferToPartner', data: { referralId: 'r3', partner: 'back-office', strand: 'rights' } });
  await log.run(id, '2026-03-06', { type: 'AgreePlan', data: {} });
  await log.run(id, '2026-03-06', { type: 'LogTime', data: { minutes: 70, activity: 'planning', strand: 'rights' } });
  await log.run(id, '2026-03-26', { type: 'UpdatePartnerReferral', data: { referralId: 'r1', status: 'completed' } });
  await log.outcome(id, '2026-03-26', { kind: 'right-opened', right: 'c2s' });
  await log.outcome(id, '2026-03-27', { kind: 'right-opened', right: 'ameli-account' });
  await log.outcome(id, '2026-04-09', { kind: 'care-carried-out', careType: 'specialist-acts-and-exams' });
  await log.outcome(id, '2026-04-09', { kind: 'out-of-pocket-saved', amountCents: 6_900, careType: 'specialist-acts-and-exams' });
  await log.outcome(id, '2026-04-10', { kind: 'out-of-pocket-saved', amountCents: 1_100 });
  await log.run(id, '2026-04-10', { type: 'LogTime', data: { minutes: 95, activity: 'follow-up', strand: 'care' } });
  await log.run(id, '2026-05-04', { type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: ['social-service', 'association'] } });
  return id;
}

describe('the case register', () => {
  it('given a whole accompaniment, when caught up, then its row summarises the case without personal data', async () => {
    const log = new CaseLogBuilder();
    const id = await diego(log);
    const row = await caseRegisterRow(await caughtUp(log), id);

    expect(row).toMatchObject({
      caseId: id,
      fundId: 'cpam-22',
      status: 'closed',
      counsellorId: 'cas-04',
      channel: 'external-form',
      detectorKind: 'health-professional',
      detectorService: 'Cabinet médical de Plérin',
      reasons: ['care-renunciation', 'rights-access', 'digital-fragility'],
      careTypes: ['specialist-acts-and-exams'],
      renunciationSince: '3-to-12-months',
      renunciationCauses: ['out-of-pocket-cost', 'complex-procedures'],
      ageBand: '26-39',
      objectsToEvaluation: false,
      consent: 'on-form',
      consentSharingWith: [],
      consentOverridden: false,
      triageDecision: 'accepted',
      problems: ['rights-and-procedures', 'digital-inclusion'],
      strands: ['rights', 'care', 'digital'],
      dates: {
        referralDate: '2026-03-02',
        receivedAt: '2026-03-02T10:00:00.000Z',
        triagedAt: '2026-03-03T10:00:00.000Z',
        firstContactAt: '2026-03-05T18:30:00.000Z',
        planAgreedAt: '2026-03-06T10:00:00.000Z',
        closedAt: '2026-05-04T10:00:00.000Z',
      },
      durations: { referralToTriage: 1, referralToFirstContact: 3, firstContactToPlan: 1, planToClosure: 59, referralToClosure: 63 },
      outcomes: { rightsOpened: ['c2s', 'ameli-account'], careCarriedOut: ['specialist-acts-and-exams'], savingsRecorded: 2, outOfPocketSavedCents: 8_000 },
      closureReason: 'objectives-met',
      orientedTo: ['social-service', 'association'],
      partnersSolicited: ['back-office', 'digital-mediator'],
      contactAttempts: { total: 2, reached: 1 },
      lastContactAttemptAt: '2026-03-05T18:30:00.000Z',
      reopenCount: 0,
      rectificationCount: 0,
      erasureRequestedOn: null,
      personalDataErasedAt: null,
    });
    expect(row?.subjectRef).toMatch(/^subj_/);
    expect(row?.partnerReferrals.map((r) => [r.referralId, r.partner, r.status])).toEqual([
      ['r1', 'back-office', 'completed'],
      ['r2', 'digital-mediator', 'sent'],
      ['r3', 'back-office', 'sent'],
    ]);
    expect(row?.minutes.total).toBe(180);
    expect(row?.minutes.byActivity).toMatchObject({ triage: 15, planning: 70, 'follow-up': 95, contact: 0 });
    expect(row?.minutes.byStrand).toEqual({ rights: 70, care: 95, prevention: 0, social: 0, digital: 0, none: 15 });
    expect(JSON.stringify(row)).not.toMatch(/Diego|Rivera|1988|06 71|Le Goff/);
  });

  it('given an automatic redirection and a declined referral, then triage decisions and end steps are recorded', async () => {
    const log = new CaseLogBuilder();
    await log.refer('redirected', '2026-02-02', { form: { reasons: ['complex-social-situation'], careRenunciation: undefined } });
    await log.refer('declined', '2026-02-03');
    await log.run('declined', '2026-02-05', { type: 'DeclineReferral', data: { reason: 'duplicate' } });
    const reader = await caughtUp(log);
    expect(await caseRegisterRow(reader, 'redirected')).toMatchObject({ status: 'redirected', triageDecision: 'redirected', careTypes: [], renunciationSince: null, durations: { referralToTriage: 0 } });
    expect(await caseRegisterRow(reader, 'declined')).toMatchObject({ status: 'declined', triageDecision: 'declined', declineReason: 'duplicate', durations: { referralToTriage: 2 } });
  });

  it('given a closed case reopened, then the closure is undone and the next closure is the one kept', async () => {
    const log = new CaseLogBuilder();
    await log.reached('k', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' });
    await log.agreePlan('k', '2026-01-08');
    await log.run('k', '2026-02-01', { type: 'CloseCase', data: { reason: 'handed-over-to-partner', orientedTo: ['mdph'] } });
    await log.run('k', '2026-02-10', { type: 'ReopenCase', data: { reason: 'new-need' } });
    const reader = await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ status: 'accompaniment', closureReason: null, orientedTo: [], reopenCount: 1, dates: { closedAt: null }, durations: { planToClosure: null } });

    await log.close('k', '2026-03-01', 'objectives-partly-met');
    await catchUp(log.storage.events, log.storage.projections, caseRegisterProjection());
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ status: 'closed', closureReason: 'objectives-partly-met', dates: { planAgreedAt: '2026-01-08T10:00:00.000Z', closedAt: '2026-03-01T10:00:00.000Z' }, durations: { planToClosure: 52 } });
  });

  it('given consent given with partners, overridden for another, rescoped, then withdrawn, then the row follows the consent in force', async () => {
    const log = new CaseLogBuilder();
    const supervisor = { role: 'supervisor', id: 'sup-1' } as const;
    await log.reached('k', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' });
    const reader = await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ consent: 'on-form', consentSharingWith: [], consentOverridden: false });

    await log.run('k', '2026-01-07', { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas', 'mdph'] } });
    await log.run('k', '2026-01-08', { type: 'OverrideConsent', data: { purpose: 'partner-sharing', partner: 'caf-france-travail', justification: 'legal-obligation' } }, supervisor);
    await log.run('k', '2026-01-09', { type: 'ChangeConsentScope', data: { sharingWith: ['ccas'] } });
    await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ consent: 'given', consentSharingWith: ['ccas'], consentOverridden: true, status: 'contact.reached' });

    await log.run('k', '2026-01-10', { type: 'WithdrawConsent', data: {} });
    await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({
      consent: 'withdrawn',
      consentSharingWith: [],
      consentOverridden: false,
      status: 'closed',
      closureReason: 'consent-withdrawn',
      dates: { closedAt: '2026-01-10T10:00:00.000Z' },
    });
  });

  it('given consent given with a partner and then refused, then no partner is left to share with', async () => {
    const log = new CaseLogBuilder();
    await log.reached('k', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' });
    await log.run('k', '2026-01-07', { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas'] } });
    await log.run('k', '2026-01-08', { type: 'RecordConsent', data: { decision: 'refused', mode: 'phone' } });
    const reader = await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ consent: 'refused', consentSharingWith: [], status: 'closed', closureReason: 'consent-refused' });
  });

  it("given the person's rights exercised (objection, rectification, erasure), then the row records the facts and never the values", async () => {
    const log = new CaseLogBuilder();
    const dpo = { role: 'data-protection-officer', id: 'dpo-1' } as const;
    await log.reached('k', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-07' }, { form: { person: { lastName: 'Rivera', firstName: 'Diego', birthDate: '1988-09-14' } } });
    const reader = await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ ageBand: '26-39', objectsToEvaluation: false, rectificationCount: 0, erasureRequestedOn: null });

    await log.run('k', '2026-01-08', { type: 'RecordEvaluationObjection', data: { objects: true } });
    await log.run('k', '2026-01-09', { type: 'RectifyPersonalData', data: { person: { birthDate: '1978-09-14' } } }, dpo);
    await log.run('k', '2026-01-10', { type: 'RectifyPersonalData', data: { person: { lastName: 'Rivera Soto' } } }, dpo);
    await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({ ageBand: '40-59', objectsToEvaluation: true, rectificationCount: 2, status: 'contact.reached' });

    await log.run('k', '2026-01-20', { type: 'RequestErasure', data: { requestedOn: '2026-01-19', channel: 'letter' } }, dpo);
    await caughtUp(log);
    const row = await caseRegisterRow(reader, 'k');
    expect(row).toMatchObject({
      status: 'closed',
      closureReason: 'erasure-requested',
      erasureRequestedOn: '2026-01-19',
      personalDataErasedAt: '2026-01-20T10:00:00.000Z',
      rectificationCount: 2,
    });
    expect(JSON.stringify(row)).not.toMatch(/Rivera|Diego|1978|1988/);
  });

  it('given an erasure request during triage, then the referral is declined for it and the data erased', async () => {
    const log = new CaseLogBuilder();
    await log.refer('k', '2026-01-05');
    await log.run('k', '2026-01-06', { type: 'RequestErasure', data: { requestedOn: '2026-01-06', channel: 'phone' } });
    const reader = await caughtUp(log);
    expect(await caseRegisterRow(reader, 'k')).toMatchObject({
      status: 'declined',
      triageDecision: 'declined',
      declineReason: 'erasure-requested',
      closureReason: null,
      erasureRequestedOn: '2026-01-06',
      personalDataErasedAt: '2026-01-06T10:00:00.000Z',
    });
  });

  it('given cases of two funds, when paging with filters, then rows come in case-id order with a cursor, and the fund index is used', async () => {
    const log = new CaseLogBuilder();
    const cases = [
      ['c-01', 'cpam-a', '2026-01-05'],
      ['c-02', 'cpam-b', '2026-01-06'],
      ['c-03', 'cpam-a', '2026-01-07'],
      ['c-04', 'cpam-a', '2026-01-08'],
      ['c-05', 'cpam-b', '2026-01-09'],
      ['c-06', 'cpam-a/x', '2026-01-10'],
    ] as const;
    for (const [id, fundId, day] of cases) await log.refer(id, day, { fundId });
    await log.accept('c-03', '2026-01-10', 'alice');
    await log.accept('c-04', '2026-01-10', 'bob');
    await log.review('c-04', '2026-01-11');
    await log.run('c-05', '2026-01-12', { type: 'DeclineReferral', data: { reason: 'other-fund' } });
    await log.accept('c-01', '2026-01-12', 'alice');
    await log.close('c-01', '2026-01-20', 'moved-away');
    const reader = await caughtUp(log);

    const first = await queryCaseRegister(reader, {}, { limit: 4 });
    expect(first.rows.map((r) => r.caseId)).toEqual(['c-01', 'c-02', 'c-03', 'c-04']);
    expect(first.next).toBe('c-04');
    const second = await queryCaseRegister(reader, {}, { limit: 4, after: first.next });
    expect(second).toMatchObject({ next: null });
    expect(second.rows.map((r) => r.caseId)).toEqual(['c-05', 'c-06']);
    const exact = await queryCaseRegister(reader, {}, { limit: 6 });
    expect(exact.next).toBeNull();

    const ids = async (filter: Parameters<typeof queryCaseRegister>[1]) => (await queryCaseRegister(reader, filter, { limit: 100 })).rows.map((r) => r.caseId);
    expect(await ids({ fundId: 'cpam-a' })).toEqual(['c-01', 'c-03', 'c-04']);
    expect(await ids({ fundId: 'cpam-a/x' })).toEqual(['c-06']);
    const fundPage = await queryCaseRegister(reader, { fundId: 'cpam-a' }, { limit: 1, after: 'c-01' });
    expect(fundPage).toMatchObject({ next: 'c-03' });
    expect(await ids({ status: 'contact' })).toEqual(['c-04']);
    expect(await ids({ status: 'review' })).toEqual(['c-03']);
    expect(await ids({ counsellorId: 'alice' })).toEqual(['c-01', 'c-03']);
    expect(await ids({ fundId: 'cpam-b', status: 'declined' })).toEqual(['c-05']);
    expect(await ids({ receivedFrom: '2026-01-06', receivedTo: '2026-01-08' })).toEqual(['c-02', 'c-03', 'c-04']);
    expect(await ids({ referredFrom: '2026-01-09' })).toEqual(['c-05', 'c-06']);
    expect(await ids({ closedFrom: '2026-01-20', closedTo: '2026-01-20' })).toEqual(['c-01']);
    expect(await ids({ closedTo: '2026-01-19' })).toEqual([]);
    expect(await ids({ detectorKind: 'external-partner', reason: 'rights-access' })).toHaveLength(6);
    expect(await ids({ reason: 'digital-fragility' })).toEqual([]);
    await expect(queryCaseRegister(reader, {}, { limit: 0 })).rejects.toThrow(RangeError);
    await expect(queryCaseRegister(reader, { closedFrom: '20-01-2026' }, { limit: 5 })).rejects.toThrow('closedFrom must be a day');
  });

  it('names come from the vault at read time, and are null once the person is erased', async () => {
    const log = new CaseLogBuilder();
    await log.refer('kept', '2026-01-05', { form: { person: { lastName: 'Martin', firstName: 'Vanessa', birthDate: '2002-06-01' } } });
    await log.refer('erased', '2026-01-05', { form: { person: { lastName: 'Durand', firstName: 'Bernadette', birthDate: '1953-02-11' } } });
    await log.run('erased', '2026-01-06', { type: 'DeclineReferral', data: { reason: 'not-relevant' } });
    await log.run('erased', '2026-01-07', { type: 'ErasePersonalData', data: { reason: 'erasure-request' } }, { role: 'data-protection-officer', id: 'dpo-1' });
    const reader = await caughtUp(log);
    const page = await queryCaseRegister(reader, {}, { limit: 10 });
    const named = await withPersonNames(page.rows, log.storage.vault);
    expect(named.map((r) => [r.caseId, r.person])).toEqual([
      ['erased', null],
      ['kept', { firstName: 'Vanessa', lastName: 'Martin' }],
    ]);
    expect(named[0]?.personalDataErasedAt).toBe('2026-01-07T10:00:00.000Z');
    expect(Object.keys(named[1]?.person ?? {})).toEqual(['firstName', 'lastName']);
  });

  it('given a rectified last name, when names are resolved, then the rectified one is shown', async () => {
    const log = new CaseLogBuilder();
    await log.refer('k', '2026-01-05', { form: { person: { lastName: 'Martin', firstName: 'Vanessa', birthDate: '2002-06-01', phone: '06 11 22 33 44' } } });
    await log.run('k', '2026-01-06', { type: 'RectifyPersonalData', data: { person: { lastName: 'Martin-Leroy', phone: null } } });
    const reader = await caughtUp(log);
    const named = await withPersonNames((await queryCaseRegister(reader, {}, { limit: 10 })).rows, log.storage.vault);
    expect(named.map((r) => r.person)).toEqual([{ firstName: 'Vanessa', lastName: 'Martin-Leroy' }]);
    expect(JSON.stringify(named)).not.toMatch(/06 11/);
  });

  it('given a person erased on their request, when names are resolved, then person is null', async () => {
    const log = new CaseLogBuilder();
    await log.refer('k', '2026-01-05', { form: { person: { lastName: 'Durand', firstName: 'Bernadette', birthDate: '1953-02-11' } } });
    await log.run('k', '2026-01-06', { type: 'RectifyPersonalData', data: { person: { lastName: 'Durand-Roux' } } });
    await log.run('k', '2026-01-07', { type: 'RequestErasure', data: { requestedOn: '2026-01-07', channel: 'in-person' } });
    const reader = await caughtUp(log);
    const named = await withPersonNames((await queryCaseRegister(reader, {}, { limit: 10 })).rows, log.storage.vault);
    expect(named.map((r) => [r.caseId, r.person])).toEqual([['k', null]]);
  });

  it('a vault entry that is not a referral is refused without echoing its content', async () => {
    const log = new CaseLogBuilder();
    await log.storage.vault.put('subj_odd', 'referral', { person: { firstName: 'Zoé', phone: '06 00 00 00 00' } });
    const attempt = withPersonNames([{ subjectRef: 'subj_odd' }, { subjectRef: 'subj_unknown' }], log.storage.vault);
    await expect(attempt).rejects.toThrow(PersonalDataUnreadableError);
    await expect(attempt).rejects.not.toThrow(/Zoé|06 00/);
    expect(await withPersonNames([{ subjectRef: 'subj_unknown' }], log.storage.vault)).toEqual([{ subjectRef: 'subj_unknown', person: null }]);
  });

  it('a stored row that does not match the schema is refused with its path, not used', async () => {
    const log = new CaseLogBuilder();
    await log.refer('k', '2026-01-05');
    await caughtUp(log);
    await log.storage.projections.transaction((tx) => tx.put('case-register@1/cases', 'k', { caseId: 'k', status: 'lost' }));
    const reader = readModel(log.storage.projections, caseRegisterName);
    await expect(caseRegisterRow(reader, 'k')).rejects.toThrow(ReadModelDocumentError);
    await expect(async () => {
      for await (const row of scanCaseRegister(reader)) expect(row).toBeUndefined();
    }).rejects.toThrow(/cases\/k does not match.*status/);
  });
});
