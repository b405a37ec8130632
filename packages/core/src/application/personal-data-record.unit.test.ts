/**
 * Reading a person's data back from the vault: the referral as filed, the rectifications in their
 * order, and the data as it stands today.
 */
import { describe, expect, it } from 'vitest';
import { caseFileOf } from '../domain/lifecycle/case-state.ts';
import type { ReferralPersonalData } from '../domain/referral.ts';
import { InMemoryEventStore } from '../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../in-memory/memory-vault.ts';
import { sampleExternalForm } from '../testing/index.ts';
import { CaseCommandHandler } from './command-handler.ts';
import { VirtualClock } from './ports/clock.ts';
import { seededUlidGenerator } from './ports/id-generator.ts';
import { applyRectifications, PersonalDataUnreadableError, readPersonalData, type RectificationRecord } from './personal-data-record.ts';
import { noteEntry, rectificationEntry, referralEntry } from './seal-personal-data.ts';

const filed: ReferralPersonalData = {
  person: { lastName: 'Martin', firstName: 'Vanessa', birthDate: '2002-06-01', phone: '06 12 34 56 78', email: 'vanessa.martin@example.org' },
  detectorContact: { name: 'Camille Durand' },
};

describe('applyRectifications', () => {
  it('given rectifications of the same field, when applied, then the last one in the list wins and the other fields stay', () => {
    const rectifications: RectificationRecord[] = [
      { rectificationId: 'r1', sequence: 1, person: { lastName: 'Martin-Leroy' } },
      { rectificationId: 'r2', sequence: 2, person: { lastName: 'Leroy', firstName: 'Vanesa' } },
    ];

    const current = applyRectifications(filed, rectifications);

    expect(current.person).toEqual({ ...filed.person, lastName: 'Leroy', firstName: 'Vanesa' });
    expect(current.detectorContact).toEqual(filed.detectorContact);
  });

  it('given a phone set to null, when applied, then the phone is removed, and an email left out is kept', () => {
    const current = applyRectifications(filed, [{ rectificationId: 'r1', sequence: 1, person: { phone: null } }]);

    expect(current.person).not.toHaveProperty('phone');
    expect(current.person.email).toBe('vanessa.martin@example.org');
  });

  it('given no rectification, then the data is the filed data', () => {
    expect(applyRectifications(filed, [])).toEqual(filed);
  });
});

describe('readPersonalData', () => {
  it('given rectifications stored out of order, when read, then they apply in sequence order and the history keeps the filed values', async () => {
    const vault = new InMemoryVault();
    await vault.put('subj_1', referralEntry, filed);
    // The ids sort the other way round from the sequence: only the sequence may decide.
    await vault.put('subj_1', rectificationEntry('b-first'), { sequence: 1, person: { lastName: 'Martin-Leroy', phone: '07 00 00 00 01' } });
    await vault.put('subj_1', rectificationEntry('a-second'), { sequence: 2, person: { lastName: 'Leroy', phone: null } });
    await vault.put('subj_1', noteEntry('n1'), { text: 'Called back on Tuesday' });

    const read = await readPersonalData(vault, 'subj_1');

    expect(read.status).toBe('found');
    if (read.status !== 'found') return;
    expect(read.record.current.person).toEqual({ lastName: 'Leroy', firstName: 'Vanessa', birthDate: '2002-06-01', email: 'vanessa.martin@example.org' });
    expect(read.record.asFiled).toEqual(filed);
    expect(read.record.rectifications).toEqual([
      { rectificationId: 'b-first', sequence: 1, person: { lastName: 'Martin-Leroy', phone: '07 00 00 00 01' } },
      { rectificationId: 'a-second', sequence: 2, person: { lastName: 'Leroy', phone: null } },
    ]);
    expect(read.record.notes).toEqual([{ noteId: 'n1', text: 'Called back on Tuesday' }]);
  });

  it('given rectifications made through the command handler, when read, then the current data is the rectified one', async () => {
    const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
    const vault = new InMemoryVault();
    const handler = new CaseCommandHandler({ store: new InMemoryEventStore(), vault, clock, ids: seededUlidGenerator(5, clock) });
    const actor = { role: 'counsellor', id: 'c-1' } as const;
    const received = await handler.execute({ type: 'ReceiveReferral', caseId: 'k', commandId: 'c1', actor, data: { fundId: 'f', form: sampleExternalForm() } });
    await handler.execute({ type: 'RectifyPersonalData', caseId: 'k', commandId: 'c2', actor, data: { person: { lastName: 'Martin-Leroy' } } });
    await handler.execute({ type: 'RectifyPersonalData', caseId: 'k', commandId: 'c3', actor, data: { person: { lastName: 'Leroy', phone: null } } });
    const subjectRef = caseFileOf(received.state).subjectRef ?? '';

    const read = await readPersonalData(vault, subjectRef);

    expect(read.status).toBe('found');
    if (read.status !== 'found') return;
    expect(read.record.current.person).toEqual({ lastName: 'Leroy', firstName: 'Alex', birthDate: '1989-04-12' });
    expect(read.record.asFiled.person).toMatchObject({ lastName: 'Martin', phone: '06 12 34 56 78' });
    expect(read.record.rectifications.map((r) => [r.sequence, r.person.lastName])).toEqual([
      [1, 'Martin-Leroy'],
      [2, 'Leroy'],
    ]);
  });

  it('given an erased subject, then it reads as erased; given none, as missing', async () => {
    const vault = new InMemoryVault();
    await vault.put('subj_1', referralEntry, filed);
    await vault.shred('subj_1');

    expect(await readPersonalData(vault, 'subj_1')).toEqual({ status: 'erased' });
    expect(await readPersonalData(vault, 'subj_unknown')).toEqual({ status: 'missing' });
  });

  it('given a corrupt rectification, then the error names the entry and never its content', async () => {
    const vault = new InMemoryVault();
    await vault.put('subj_1', referralEntry, filed);
    await vault.put('subj_1', rectificationEntry('r1'), { sequence: 1, person: { lastName: 'Zoé Secret', shoeSize: 42 } });

    const error = await readPersonalData(vault, 'subj_1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PersonalDataUnreadableError);
    if (!(error instanceof PersonalDataUnreadableError)) return;
    expect(error.entry).toBe(rectificationEntry('r1'));
    expect(error.subjectRef).toBe('subj_1');
    expect(error.message).toContain(rectificationEntry('r1'));
    expect(error.message).not.toMatch(/Zoé|Secret|shoeSize|42/);
  });

  it('given a corrupt referral entry, then the error names it and never its content', async () => {
    const vault = new InMemoryVault();
    await vault.put('subj_1', referralEntry, { person: { firstName: 'Zoé', phone: '06 00 00 00 00' } });

    const error = await readPersonalData(vault, 'subj_1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PersonalDataUnreadableError);
    expect(String(error)).toContain(`'${referralEntry}'`);
    expect(String(error)).not.toMatch(/Zoé|06 00/);
  });
});
