import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaseCommandHandler, caseFileOf, ReviewItem, VirtualClock, referralEntry, seededUlidGenerator, type CaseCommandInput } from '@misas/core';
import { sampleInternalForm } from '@misas/core/testing';
import pg from 'pg';
import { qualified } from './connection.ts';
import { postgresSubjectKey, postgresTableFile } from '../testing/raw-files.ts';
import { pgMissingInCi, pgRequiredMessage, pgUrl, withAdminClient, withFreshStorage } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL erasure in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

const contains = (file: Buffer, text: string) => file.includes(Buffer.from(text, 'utf8'));

describe.skipIf(!pgUrl)('PostgreSQL erasure, checked in the data files', { timeout: 60_000 }, () => {
  it('given two subjects in the vault, when A is shredded, then A’s key bytes are gone from the key table’s file and B still decrypts', async () => {
    await withFreshStorage('erasure', async (storage) => {
      const nirA = '252017512345678';
      const personA = { lastName: 'Le Gall', firstName: 'Bernadette', nir: nirA };
      const personB = { lastName: 'Kerhervé', firstName: 'Yann', nir: '189047512345655' };
      await storage.vault.put('subj-A', 'referral', { person: personA });
      await storage.vault.put('subj-A', 'note:1', { text: 'Bernadette Le Gall appelle le soir' });
      await storage.vault.put('subj-B', 'referral', { person: personB });
      const keyA = await postgresSubjectKey(storage.schema, 'subj-A');

      // Given what is on disk before the erasure: the entries are ciphertext only…
      const entries = await postgresTableFile(storage.schema, 'vault_entries', { toast: true });
      for (const secret of [nirA, 'Le Gall', 'Bernadette', personB.nir, 'Kerhervé']) expect(contains(entries.bytes, secret)).toBe(false);
      const sealed = await withAdminClient((client) =>
        client.query<{ sealed: Buffer }>(`SELECT sealed FROM ${qualified(storage.schema, 'vault_entries')} WHERE subject_ref = 'subj-A' AND entry = 'referral'`),
      );
      expect(entries.bytes.includes(sealed.rows[0]!.sealed)).toBe(true);
      // …and A's key is in the key table's file (so the search below can find it).
      const before = await postgresTableFile(storage.schema, 'vault_keys');
      expect(before.bytes.includes(keyA)).toBe(true);

      // When A is shredded,
      await storage.vault.shred('subj-A');

      // then the key table's current file no longer holds A's key, nor does its previous file
      // (VACUUM FULL truncates it at commit and unlinks it at the next checkpoint).
      const after = await postgresTableFile(storage.schema, 'vault_keys');
      expect(after.bytes.includes(keyA)).toBe(false);
      expect(after.path).not.toBe(before.path);
      if (existsSync(before.path)) expect(readFileSync(before.path).includes(keyA)).toBe(false);
      // A reads as erased, B still decrypts, and B's key is still in the file.
      expect(await storage.vault.get('subj-A', 'referral')).toEqual({ status: 'erased' });
      expect(await storage.vault.get('subj-B', 'referral')).toEqual({ status: 'found', value: { person: personB } });
      expect(after.bytes.includes(await postgresSubjectKey(storage.schema, 'subj-B'))).toBe(true);
    });
  });

  it('given a transaction whose snapshot predates the shred, then the shred waits for it to end before rewriting, so the key does not survive as a "recently dead" row', async () => {
    await withFreshStorage('erasure', async (storage) => {
      await storage.vault.put('subj-A', 'referral', { name: 'x' });
      const keyA = await postgresSubjectKey(storage.schema, 'subj-A');
      const reader = new pg.Client({ connectionString: pgUrl });
      await reader.connect();
      try {
        // Given a long transaction elsewhere whose snapshot still sees A's key alive (it has not
        // touched the key table, or VACUUM FULL would simply wait for its lock)…
        await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await reader.query('SELECT 1');
        // …when A is shredded, the shred does not finish while that snapshot lives…
        let finished = false;
        const shredding = storage.vault.shred('subj-A').then(() => {
          finished = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(finished).toBe(false);
        expect(await storage.vault.get('subj-A', 'referral')).toEqual({ status: 'erased' });
        // …and once it ends, the rewrite leaves no copy of the key.
        await reader.query('COMMIT');
        await shredding;
        expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(keyA)).toBe(false);
      } finally {
        await reader.end();
      }
    });
  });

  it('given a whole case run through the command handler, then the event table’s file never holds the NIR or the names, and shredding the subject removes its key from disk', async () => {
    await withFreshStorage('erasure', async (storage) => {
      const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
      const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids: seededUlidGenerator(7, clock) });
      const caseId = 'case-erasure';
      const counsellor = { role: 'counsellor', id: 'counsellor-1' } as const;
      let step = 0;
      const send = (command: Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'> & { actor?: CaseCommandInput['actor'] }) => {
        clock.advance({ minutes: 10 });
        return handler.execute({ caseId, commandId: `cmd-${++step}`, actor: counsellor, ...command } as CaseCommandInput);
      };
      const form = sampleInternalForm({ comments: 'Appeler Alex Martin après 18h' });

      const received = await send({ type: 'ReceiveReferral', actor: { role: 'detector', id: 'agent-1' }, data: { fundId: 'cpam-22', form } });
      await send({ type: 'AcceptReferral', data: { counsellorId: 'counsellor-1' } });
      for (const item of ReviewItem.options) await send({ type: 'RecordReviewItem', data: { item, finding: item === 'complementary-cover' ? 'needs-action' : 'in-order' } });
      await send({ type: 'CompleteReview', data: {} });
      await send({ type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
      await send({ type: 'RecordConsent', data: { decision: 'given', mode: 'phone' } });
      await send({ type: 'AddNote', data: { text: 'Alex Martin, NIR 189047512345655, préfère le téléphone' } });
      await send({ type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights'] } });
      await send({
        type: 'PlanAction',
        data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: { kind: 'counsellor', counsellorId: 'counsellor-1' }, dueDate: '2026-02-01' },
      });
      await send({ type: 'AgreePlan', data: {} });
      await send({ type: 'UpdateActionStatus', data: { actionId: 'c2s', status: 'done' } });
      await send({ type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } });
      await send({ type: 'LogTime', data: { minutes: 45, activity: 'follow-up' } });
      const closed = await send({ type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: [] } });
      expect(closed.status).toMatch(/closed/);

      const nir = form.person.nir ?? '';
      expect(nir).toMatch(/^\d{15}$/);
      const secrets = [nir, form.person.lastName, form.person.firstName, form.person.birthDate, form.detector.name, 'Appeler Alex', 'préfère le téléphone'];

      // The log's file (and its TOAST file) holds the case, but none of the personal data.
      const events = await postgresTableFile(storage.schema, 'events', { toast: true });
      expect(contains(events.bytes, caseId)).toBe(true);
      expect(contains(events.bytes, 'ReferralReceived')).toBe(true);
      for (const secret of secrets) expect(contains(events.bytes, secret), `events file contains '${secret}'`).toBe(false);
      // The vault's entries are ciphertext too.
      const entries = await postgresTableFile(storage.schema, 'vault_entries', { toast: true });
      for (const secret of secrets) expect(contains(entries.bytes, secret), `vault_entries file contains '${secret}'`).toBe(false);

      // The person exercises the right to erasure: their key leaves the disk, the log stays as it was.
      const subjectRef = caseFileOf(received.state).subjectRef ?? '';
      expect((await storage.vault.get(subjectRef, referralEntry)).status).toBe('found');
      const key = await postgresSubjectKey(storage.schema, subjectRef);
      expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(key)).toBe(true);
      const head = await storage.events.headPosition();
      await storage.vault.shred(subjectRef);
      expect((await postgresTableFile(storage.schema, 'vault_keys')).bytes.includes(key)).toBe(false);
      expect(await storage.vault.entries(subjectRef)).toEqual({ status: 'erased' });
      expect(await storage.events.headPosition()).toBe(head);
      expect((await handler.load(caseId)).state.version).toBe(closed.state.version);
    });
  });
});
