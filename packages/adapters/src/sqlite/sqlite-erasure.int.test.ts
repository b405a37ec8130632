import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseCommandHandler, caseFileOf, ReviewItem, VirtualClock, referralEntry, type CaseCommandInput } from '@misas/core';
import { sampleInternalForm } from '@misas/core/testing';
import { filesContaining, sqliteFiles, sqliteSubjectKey } from '../testing/raw-files.ts';
import { openSqliteStorage } from './index.ts';

describe('crypto-shredding in the SQLite file', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-erasure-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given personal data of two subjects, when A is shredded, then A’s key is nowhere in the files and B still decrypts', async () => {
    const path = join(dir, 'vault.db');
    const a = { person: { lastName: 'Le Gall', firstName: 'Bernadette', nir: '252017512345678' } };
    const b = { person: { lastName: 'Kerhervé', firstName: 'Yannick', nir: '178112212345687' } };
    const plaintexts = ['Le Gall', 'Bernadette', '252017512345678', 'Kerhervé', 'Yannick', '178112212345687', 'Vue baisse'];

    const first = await openSqliteStorage({ path });
    await first.vault.put('subj-a', referralEntry, a);
    await first.vault.put('subj-a', 'note:1', { text: 'Vue baisse, rendez-vous ophtalmo' });
    await first.vault.put('subj-b', referralEntry, b);
    const keyA = sqliteSubjectKey(path, 'subj-a');
    const keyB = sqliteSubjectKey(path, 'subj-b');
    // Open (data still in the -wal file) and closed (checkpointed into the .db file): never in clear.
    for (const secret of plaintexts) expect(filesContaining(await sqliteFiles(path), secret), secret).toEqual([]);
    await first.close();
    const beforeShred = await sqliteFiles(path);
    for (const secret of plaintexts) expect(filesContaining(beforeShred, secret), secret).toEqual([]);
    // Positive control: the scan does find a key that is there.
    expect(filesContaining(beforeShred, keyA)).toEqual(['vault.db']);

    const second = await openSqliteStorage({ path });
    await second.vault.shred('subj-a');
    expect(second.vault.lastCheckpoint).toMatchObject({ busy: false });
    // Already gone while the storage is still open: the checkpoint emptied the -wal file.
    const whileOpen = await sqliteFiles(path);
    expect(filesContaining(whileOpen, keyA)).toEqual([]);
    expect(filesContaining(whileOpen, keyB).length).toBeGreaterThan(0);
    await second.close();

    const afterClose = await sqliteFiles(path);
    expect(filesContaining(afterClose, keyA)).toEqual([]);
    expect(filesContaining(afterClose, keyB)).toEqual(['vault.db']);

    const third = await openSqliteStorage({ path });
    try {
      expect(await third.vault.get('subj-a', referralEntry)).toEqual({ status: 'erased' });
      expect(await third.vault.entries('subj-a')).toEqual({ status: 'erased' });
      await expect(third.vault.put('subj-a', 'note:2', 'again')).rejects.toMatchObject({ code: 'subject-erased', message: expect.stringContaining('erased') });
      expect(await third.vault.get('subj-b', referralEntry)).toEqual({ status: 'found', value: b });
    } finally {
      await third.close();
    }
  });

  it('given a whole case run through the command handler, then the NIR and the names never appear in clear in the files', async () => {
    const path = join(dir, 'case.db');
    const form = sampleInternalForm();
    const note = 'Préfère être appelée le matin, aide de sa voisine pour les démarches';
    const secrets = [form.person.nir ?? '', form.person.lastName, form.person.firstName, form.person.birthDate, form.detector.name, note];
    expect(secrets.every((secret) => secret.length > 0)).toBe(true);

    const storage = await openSqliteStorage({ path });
    const clock = new VirtualClock('2026-01-05T10:00:00.000Z');
    const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock });
    const actor = { role: 'counsellor', id: 'counsellor-7' } as const;
    let step = 0;
    /** The envelope of the next command, ten minutes after the previous one. */
    const next = () => {
      clock.advance({ minutes: 10 });
      return { caseId: 'case-nir', commandId: `cmd-${++step}`, actor };
    };
    const send = (command: CaseCommandInput) => handler.execute(command);

    const opened = await send({ ...next(), type: 'ReceiveReferral', data: { fundId: 'cpam-test', form } });
    await send({ ...next(), type: 'AcceptReferral', data: { counsellorId: actor.id } });
    for (const item of ReviewItem.options) await send({ ...next(), type: 'RecordReviewItem', data: { item, finding: 'in-order' } });
    await send({ ...next(), type: 'CompleteReview', data: {} });
    await send({ ...next(), type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
    await send({ ...next(), type: 'AddNote', data: { text: note } });
    const last = await send({ ...next(), type: 'LogTime', data: { minutes: 25, activity: 'follow-up' } });
    expect(last.outcome).toBe('applied');

    // The data really is stored, and readable through the API...
    const subjectRef = caseFileOf(opened.state).subjectRef;
    expect(subjectRef).toBeDefined();
    const stored = await storage.vault.entries(subjectRef ?? '');
    expect(JSON.stringify(stored)).toContain(form.person.nir);
    expect(JSON.stringify(stored)).toContain(note);
    // ...but never in clear in the files, whether open (-wal) or closed (.db).
    for (const secret of secrets) expect(filesContaining(await sqliteFiles(path), secret), secret).toEqual([]);
    await storage.close();
    for (const secret of secrets) expect(filesContaining(await sqliteFiles(path), secret), secret).toEqual([]);

    // The case replays from the file, without its personal data.
    const reopened = await openSqliteStorage({ path });
    try {
      const replayed = await new CaseCommandHandler({ store: reopened.events, vault: reopened.vault }).load('case-nir');
      expect(replayed.state.version).toBe(last.state.version);
      expect(JSON.stringify(await reopened.events.readAll())).not.toContain(form.person.nir);
    } finally {
      await reopened.close();
    }
  });
});
