/**
 * The right of access: the export holds everything about the person of a case — identity as it
 * stands and as filed, the rectifications with old and new values, notes, consent, recipients,
 * timeline, retention, accesses —, the document shows it, a sealed copy is kept under the
 * person's subject, and after erasure nothing personal is left, the kept copy included.
 */
import { caseFileOf, addMonths, dayOf, defaultPolicies, MisasError } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../context.ts';
import { buildPersonExport, exportEntry, type PersonExport } from './person-export.ts';
import { counsellor, dpo, fund, nirOfAlex, noteOfAlex, rightsWorld, supervisor, type RightsWorld } from './testing/rights-world.ts';

describe('the export of a person being accompanied', () => {
  let world: RightsWorld;
  let exported: PersonExport;
  beforeAll(async () => {
    world = await rightsWorld();
    exported = await world.misas.as(dpo).exportPerson('case-1');
  });

  it('when exported, then it holds the identity as it stands and as filed, with the NIR', () => {
    expect(exported.data.personalData).toMatchObject({
      status: 'held',
      current: { person: { lastName: 'Martin-Leroy', firstName: 'Alex', birthDate: '1989-04-12', phone: '07 11 22 33 44', email: 'alex.ml@example.org', nir: nirOfAlex } },
      asFiled: { person: { lastName: 'Martin', phone: '06 12 34 56 78', nir: nirOfAlex } },
    });
  });

  it('when exported, then each rectification is given in order with who made it and the old and new values', () => {
    expect(exported.data.rectifications.map(({ by, fields, changes }) => ({ by, fields, changes }))).toEqual([
      { by: { role: 'counsellor', id: 'counsellor-1' }, fields: ['lastName'], changes: [{ field: 'lastName', from: 'Martin', to: 'Martin-Leroy' }] },
      {
        by: { role: 'data-protection-officer', id: 'dpo-1' },
        fields: ['phone', 'email'],
        changes: [
          { field: 'phone', from: '06 12 34 56 78', to: '07 11 22 33 44' },
          { field: 'email', from: null, to: 'alex.ml@example.org' },
        ],
      },
    ]);
    const [first, second] = exported.data.rectifications;
    expect(first && second && first.at < second.at).toBe(true);
  });

  it('when exported, then the notes, the consent with its override, and the evaluation choice are given', () => {
    expect(exported.data.notes).toEqual([{ noteId: expect.any(String), at: expect.any(String), by: { role: 'counsellor', id: 'counsellor-1' }, text: noteOfAlex }]);
    expect(exported.data.consent).toMatchObject({
      status: 'given',
      record: { mode: 'phone', recordedBy: { role: 'counsellor', id: 'counsellor-1' }, sharingWith: ['ccas'] },
      withdrawnAt: null,
      overrides: [{ purpose: 'partner-sharing', partner: 'social-service', justification: 'vital-interest', by: { role: 'supervisor', id: 'sup-1' }, inForce: true }],
    });
    expect(exported.data.evaluation).toEqual({ objects: false });
  });

  it('when exported, then the recipients are the detector (told nothing yet: the plan is not agreed) and each partner, with whether the data went to it', () => {
    expect(exported.data.recipients.detector).toMatchObject({ kind: 'health-insurance-service', notices: [] });
    expect(exported.data.recipients.partners.map(({ referralId, partner, personalDataShared }) => ({ referralId, partner, personalDataShared }))).toEqual([
      { referralId: 'ref-ccas', partner: 'ccas', personalDataShared: true },
      { referralId: 'ref-mdph', partner: 'mdph', personalDataShared: false },
    ]);
  });

  it('when exported, then the timeline has every event of the case in words, with the role that acted', async () => {
    const { events } = await world.misas.handler.load('case-1');
    expect(exported.data.timeline).toHaveLength(events.length);
    expect(exported.data.timeline[0]).toMatchObject({ type: 'ReferralReceived', actorRole: 'detector' });
    expect(exported.data.timeline.map((entry) => entry.description)).toContain('note added (text in the vault)');
  });

  it('when exported, then the case facts and the retention of an open case are given', () => {
    expect(exported.data.case).toMatchObject({ caseId: 'case-1', fundId: 'cpam-22', step: expect.stringMatching(/./), counsellorId: 'counsellor-1', referral: { variant: 'internal', hasNir: true } });
    expect(exported.data.retention).toEqual({ retentionMonths: 18, endedBy: null, endedOn: null, eraseBy: null, erasedOn: null });
  });

  it('when exported, then the accesses recorded in the audit trail are listed with role and pseudonymous id', async () => {
    expect(exported.data.accesses).toContainEqual(expect.objectContaining({ role: 'counsellor', principalId: 'counsellor-1', action: 'change', what: 'AddNote', personalData: true }));
    const again = await world.misas.as(dpo).exportPerson('case-1');
    expect(again.data.accesses).toContainEqual(expect.objectContaining({ role: 'data-protection-officer', principalId: 'dpo-1', what: 'person-export', outcome: 'allowed' }));
  });

  it('when exported, then the document shows the identity, the changes, the note, the consent and the partners under its headings', () => {
    const doc = exported.document;
    for (const heading of ['## The case', '## Your data', '## Changes to your data', '## Your consent', '## Who received your data', '## What happened', '## How long we keep it', '## Who accessed it']) {
      expect(doc).toContain(heading);
    }
    expect(doc).toContain('Last name: Martin-Leroy');
    expect(doc).toContain(nirOfAlex);
    expect(doc).toContain('last name: "Martin" → "Martin-Leroy"');
    expect(doc).toContain('phone: "06 12 34 56 78" → "07 11 22 33 44"');
    expect(doc).toContain(`> ${noteOfAlex}`);
    expect(doc).toContain('Partners you agreed your data may be shared with: ccas');
    expect(doc).toContain('ccas: you were referred to them');
    expect(doc).toContain('Your name and contact details were not shared with them.');
  });

  it('when exported, then a sealed copy of the data is kept in the vault under the person', async () => {
    const subjectRef = await subjectOf(world, 'case-1');
    const kept = await world.storage.vault.get(subjectRef, exportEntry(exported.exportId));
    expect(kept).toEqual({ status: 'found', value: JSON.parse(JSON.stringify(exported.data)) });
    expect(exported.data.exportId).toBe(exported.exportId);
    expect(exported.generatedAt).toBe(world.clock.now().toISOString());
  });
});

describe('the export of a person after erasure', () => {
  let world: RightsWorld;
  let before: PersonExport;
  let after: PersonExport;
  let subjectRef: string;
  beforeAll(async () => {
    world = await rightsWorld();
    before = await world.misas.as(dpo).exportPerson('case-1');
    subjectRef = await subjectOf(world, 'case-1');
    world.clock.advance({ days: 1 });
    await world.misas.as(dpo).execute({ type: 'RequestErasure', caseId: 'case-1', commandId: 'erase-1', data: { requestedOn: dayOf(world.clock.now()), channel: 'letter' } });
    after = await world.misas.as(dpo).exportPerson('case-1');
  });

  it('when exported, then it says the data was erased and holds no name, phone, email, NIR or note', () => {
    expect(after.data.personalData).toEqual({ status: 'erased', erasedAt: world.clock.now().toISOString(), reason: 'erasure-request' });
    const everything = JSON.stringify(after);
    for (const secret of ['Martin', 'Alex', '1989-04-12', '06 12 34 56 78', '07 11 22 33 44', 'alex.ml@example.org', nirOfAlex, noteOfAlex]) {
      expect(everything).not.toContain(secret);
    }
    expect(after.document).toContain('Your personal data was erased');
  });

  it('when exported, then the facts, the history without values and the timeline are still given', () => {
    expect(after.data.case).toMatchObject({ caseId: 'case-1', closure: { reason: 'erasure-requested' } });
    expect(after.data.rectifications.map((r) => [r.fields, r.changes])).toEqual([[['lastName'], null], [['phone', 'email'], null]]);
    expect(after.data.notes).toEqual([expect.objectContaining({ text: null })]);
    expect(after.data.timeline.map((entry) => entry.type)).toEqual(expect.arrayContaining(['ErasureRequested', 'PersonalDataErased']));
    const day = dayOf(world.clock.now());
    expect(after.data.retention).toEqual({ retentionMonths: 18, endedBy: 'closed', endedOn: day, eraseBy: addMonths(day, 18), erasedOn: day });
  });

  it('when the vault is asked for the copy kept before erasure, then it says erased', async () => {
    expect(await world.storage.vault.get(subjectRef, exportEntry(before.exportId))).toEqual({ status: 'erased' });
    expect(await world.storage.vault.get(subjectRef, exportEntry(after.exportId))).toEqual({ status: 'erased' });
  });
});

describe('the export of a closed case', () => {
  it('given a case closed today, when exported, then the day the data will be erased is the closure day plus the fund’s retention', async () => {
    const world = await rightsWorld();
    world.clock.set('2026-01-31T10:00:00.000Z');
    await world.misas.as(counsellor).execute({ type: 'CloseCase', caseId: 'case-1', commandId: 'close-1', data: { reason: 'moved-away' } });
    const exported = await world.misas.as(dpo).exportPerson('case-1');
    expect(exported.data.retention).toEqual({ retentionMonths: 18, endedBy: 'closed', endedOn: '2026-01-31', eraseBy: '2027-07-31', erasedOn: null });
    expect(exported.document).toContain('will be erased by 2027-07-31');
  });

  it('given a fund keeping data 12 months and a declined referral, when exported directly with a context built by hand, then erasure is due 12 months after triage', async () => {
    const world = await rightsWorld();
    world.clock.set('2026-02-10T10:00:00.000Z');
    const session = world.misas.as(supervisor);
    await session.execute({ type: 'ReceiveReferral', caseId: 'case-5', commandId: 'receive-5', data: { fundId: fund, form: sampleExternalForm() } });
    await session.execute({ type: 'DeclineReferral', caseId: 'case-5', commandId: 'decline-5', data: { reason: 'not-relevant' } });
    const context: ServiceContext = {
      storage: world.storage,
      handler: world.misas.handler,
      clock: world.clock,
      ids: { next: () => 'export-fixed' },
      policies: (fundId) => ({ ...defaultPolicies(fundId), retentionMonthsAfterClosure: 12 }),
      pseudonymKey: undefined,
    };
    const exported = await buildPersonExport(context, 'case-5');
    expect(exported.exportId).toBe('export-fixed');
    expect(exported.data.retention).toEqual({ retentionMonths: 12, endedBy: 'declined', endedOn: '2026-02-10', eraseBy: '2027-02-10', erasedOn: null });
    expect(exported.data.accesses.map((access) => access.what)).toEqual(['ReceiveReferral', 'DeclineReferral']);
  });

  it('given an unknown case, when exported directly, then it is refused as not found', async () => {
    const world = await rightsWorld();
    const context: ServiceContext = { storage: world.storage, handler: world.misas.handler, clock: world.clock, ids: { next: () => 'x' }, policies: defaultPolicies, pseudonymKey: undefined };
    await expect(buildPersonExport(context, 'no-such-case')).rejects.toSatisfy((error: unknown) => error instanceof MisasError && error.code === 'case-not-found');
  });
});

async function subjectOf(world: RightsWorld, caseId: string): Promise<string> {
  const subjectRef = caseFileOf((await world.misas.handler.load(caseId)).state).subjectRef;
  if (subjectRef === null) throw new Error(`case ${caseId} has no subject`);
  return subjectRef;
}
