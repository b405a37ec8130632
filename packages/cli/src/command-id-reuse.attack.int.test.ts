/**
 * Issue 12, attack class 4: a command id reused for another command. Before, the handler and the
 * stores answered `duplicate` with the earlier command's events: an erasure sent under a used id
 * silently did nothing, and was audited as allowed; a second scenario file on the same store was
 * taken, step by step, for a replay of the first. Each test here runs on memory, SQLite and
 * PostgreSQL, through the public API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  caseFileOf,
  CaseCommand,
  CaseCommandHandler,
  commandFingerprint,
  CommandIdReusedError,
  EventMetadata,
  referralEntry,
  VirtualClock,
  type CaseCommandInput,
  type EventStore,
  type MisasStorage,
} from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { createMisas } from '@misas/service';
import { pgMissingInCi, pgRequiredMessage } from '../../adapters/src/postgres/test-kit.ts';
import { parseScenarioText } from './scenario/parse.ts';
import { playScenario } from './scenario/play.ts';
import { attackStores } from './testing/attack-stores.ts';

const fundId = 'cpam-22';
const counsellor = { role: 'counsellor', id: 'counsellor-12', fundId } as const;
const dpo = { role: 'data-protection-officer', id: 'dpo-1', fundId } as const;
const caseId = 'case-reuse';
const sender = { role: counsellor.role, id: counsellor.id };

const receive: CaseCommandInput = { type: 'ReceiveReferral', caseId, commandId: 'c-1', actor: sender, data: { fundId, form: sampleExternalForm() } };
const accept: CaseCommandInput = { type: 'AcceptReferral', caseId, commandId: 'c-2', actor: sender, data: { counsellorId: counsellor.id } };
/** The erasure a client sends under an id its own generator already gave the acceptance. */
const erasureUnder = (commandId: string): CaseCommandInput => ({
  type: 'RequestErasure',
  caseId,
  commandId,
  actor: { role: dpo.role, id: dpo.id },
  data: { requestedOn: '2026-01-06', channel: 'letter' },
});

/** The subject's referral entry: readable until the erasure shreds it. */
async function referralStatus(storage: MisasStorage, handler: CaseCommandHandler): Promise<string> {
  const subjectRef = caseFileOf((await handler.load(caseId)).state).subjectRef;
  if (!subjectRef) throw new Error('the case has no subject');
  return (await storage.vault.get(subjectRef, referralEntry)).status;
}

describe.runIf(pgMissingInCi)('attack class 4 in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe('attack class 4: a command id reused for another command', () => {
  for (const store of attackStores) {
    describe(`on ${store.name}`, { timeout: 30_000 }, () => {
      let opened: Awaited<ReturnType<typeof store.open>>;
      let clock: VirtualClock;
      beforeEach(async () => {
        opened = await store.open();
        clock = new VirtualClock('2026-01-06T09:00:00Z');
      });
      afterEach(async () => opened.close());

      const handlerOf = (cachedCases?: number) =>
        new CaseCommandHandler({ store: opened.storage.events, vault: opened.storage.vault, clock, ...(cachedCases === undefined ? {} : { cachedCases }) });

      for (const [how, second] of [
        ['the handler that kept the case', (first: CaseCommandHandler) => first],
        ['a handler that keeps no case', () => handlerOf(0)],
      ] as const) {
        it(`given an accepted case, when ${how} gets an erasure under the acceptance's id, then it is refused, nothing is written or shredded, and a true retry is still a duplicate`, async () => {
          const first = handlerOf();
          await first.execute(receive);
          await first.execute(accept);
          const handler = second(first);
          const before = await opened.storage.events.readStream(caseId);

          const refused = handler.execute(erasureUnder('c-2'));
          await expect(refused).rejects.toBeInstanceOf(CommandIdReusedError);
          await expect(refused).rejects.toMatchObject({ rule: 'command-id-reused', commandId: 'c-2', caseId, earlierEvents: expect.arrayContaining(['ReferralAccepted']) });
          await expect(refused).rejects.toThrow(/c-2.*new command id/);
          expect(await opened.storage.events.readStream(caseId)).toEqual(before);
          expect(await referralStatus(opened.storage, handler)).toBe('found');

          expect((await handler.execute(accept)).outcome).toBe('duplicate');
          const erased = await handler.execute(erasureUnder('c-3'));
          expect(erased.outcome).toBe('applied');
          expect(erased.events.map((event) => event.type)).toContain('PersonalDataErased');
          expect(await referralStatus(opened.storage, handler)).toBe('erased');
        });
      }

      it('given a note, when its id comes back with another text (the fingerprint leaves personal data out), then the vault tells the reuse from a retry', async () => {
        const handler = handlerOf();
        await handler.execute(receive);
        const note = (text: string): CaseCommandInput => ({ type: 'AddNote', caseId, commandId: 'n-1', actor: sender, data: { text } });
        await handler.execute(note('Rappeler mardi'));
        const before = await opened.storage.events.readStream(caseId);
        await expect(handler.execute(note('Dossier CSS envoyé'))).rejects.toBeInstanceOf(CommandIdReusedError);
        await expect(handlerOf(0).execute(note('Dossier CSS envoyé'))).rejects.toBeInstanceOf(CommandIdReusedError);
        expect((await handler.execute(note('Rappeler mardi'))).outcome).toBe('duplicate');
        const renamed: CaseCommandInput = {
          type: 'ReceiveReferral',
          caseId,
          commandId: 'c-1',
          actor: sender,
          data: { fundId, form: sampleExternalForm({ person: { lastName: 'Autre', firstName: 'Personne', birthDate: '1989-04-12' } }) },
        };
        await expect(handler.execute(renamed)).rejects.toBeInstanceOf(CommandIdReusedError);
        expect(await opened.storage.events.readStream(caseId)).toEqual(before);
      });

      it('given a note another writer filed between the read and the append, when its id comes with another text, then the store answers duplicate and the handler still refuses it', async () => {
        await handlerOf().execute(receive);
        const note = (text: string): CaseCommandInput => ({ type: 'AddNote', caseId, commandId: 'n-1', actor: sender, data: { text } });
        await handlerOf().execute(note('Rappeler mardi'));
        // This handler reads the stream as it stood before that note: the race, frozen.
        const events = opened.storage.events;
        const late: EventStore = {
          append: (request) => events.append(request),
          readStream: async (id, options) => (await events.readStream(id, options)).filter((event) => EventMetadata.parse(event.meta).commandId !== 'n-1'),
          readAll: (options) => events.readAll(options),
          headPosition: () => events.headPosition(),
        };
        const racing = new CaseCommandHandler({ store: late, vault: opened.storage.vault, clock, cachedCases: 0 });
        await expect(racing.execute(note('Dossier CSS envoyé'))).rejects.toBeInstanceOf(CommandIdReusedError);
        expect((await racing.execute(note('Rappeler mardi'))).outcome).toBe('duplicate');
      });

      it('given a stored command, when a raw append reuses its id with another fingerprint, then the store refuses it; with the same fingerprint it is a duplicate', async () => {
        const handler = handlerOf();
        await handler.execute(receive);
        const accepted = await handler.execute(accept);
        const stored = accepted.events.map(({ type, data, meta }) => ({ type, data, meta }));
        const version = accepted.state.version;
        const reused = stored.map((event, index) => ({
          ...event,
          meta: { ...event.meta, eventId: `raw-${index}`, version: version + index + 1, commandFingerprint: commandFingerprint(CaseCommand.parse(erasureUnder('c-2'))) },
        }));

        const append = opened.storage.events.append({ streamId: caseId, expectedVersion: version, commandId: 'c-2', events: reused });
        await expect(append).rejects.toBeInstanceOf(CommandIdReusedError);
        expect(await opened.storage.events.readStream(caseId)).toHaveLength(version);

        const retry = stored.map((event, index) => ({ ...event, meta: { ...event.meta, eventId: `retry-${index}`, version: version + index + 1 } }));
        const duplicate = await opened.storage.events.append({ streamId: caseId, expectedVersion: version, commandId: 'c-2', events: retry });
        expect(duplicate.status).toBe('duplicate');
        expect(await opened.storage.events.readStream(caseId)).toHaveLength(version);
      });

      it('given a session, when a data-protection officer sends an erasure under a used id, then it is refused and audited as denied under the case fund', async () => {
        const misas = createMisas({ storage: opened.storage, clock });
        const counselling = misas.as(counsellor);
        await counselling.execute({ type: 'ReceiveReferral', caseId, commandId: 'c-1', data: { fundId, form: sampleExternalForm() } });
        await counselling.execute({ type: 'AcceptReferral', caseId, commandId: 'c-2', data: { counsellorId: counsellor.id } });

        const refused = misas.as(dpo).execute({ type: 'RequestErasure', caseId, commandId: 'c-2', data: { requestedOn: '2026-01-06', channel: 'letter' } });
        await expect(refused).rejects.toBeInstanceOf(CommandIdReusedError);
        const { entries } = await opened.storage.audit.query({ caseId }, { limit: 100 });
        const erasures = entries.filter((entry) => entry.name === 'RequestErasure');
        expect(erasures).toEqual([
          expect.objectContaining({ outcome: 'denied', rule: 'command-id-reused', fundId, principal: { role: dpo.role, id: dpo.id, fundId } }),
        ]);
        expect(await referralStatus(opened.storage, misas.handler)).toBe('found');
      });

      it('given two different scenario files on one store, when both are played (twice), then each applies its own commands once and none is taken for the other', async () => {
        // Same case, same seed: only their content tells the two files apart.
        const scenario = (name: string, steps: readonly object[]) =>
          parseScenarioText(
            JSON.stringify({ name, start: '2026-01-05T09:00:00Z', funds: { [fundId]: null }, actors: { counsellor }, case: caseId, steps }),
            'json',
            `${name}.json`,
          );
        const at = (hour: number) => `2026-01-05T${String(hour).padStart(2, '0')}:00:00Z`;
        const opening = scenario('opening', [
          { at: at(9), as: 'counsellor', command: 'ReceiveReferral', data: { fundId, form: sampleExternalForm() } },
          { at: at(10), as: 'counsellor', command: 'LogTime', data: { minutes: 10, activity: 'triage' } },
        ]);
        const followUp = scenario('follow-up', [
          { at: at(11), as: 'counsellor', command: 'LogTime', data: { minutes: 20, activity: 'triage' } },
          { at: at(12), as: 'counsellor', command: 'LogTime', data: { minutes: 30, activity: 'triage' } },
        ]);

        const first = await playScenario(opening, { storage: opened.storage });
        const second = await playScenario(followUp, { storage: opened.storage });
        expect(first.steps.map((step) => step.outcome)).toEqual(['applied', 'applied']);
        expect(second.steps.map((step) => [step.outcome, step.error?.rule ?? null])).toEqual([
          ['applied', null],
          ['applied', null],
        ]);
        const logged = async () => (await opened.storage.events.readStream(caseId)).filter((event) => event.type === 'TimeSpentLogged').map((event) => event.data);
        expect(await logged()).toEqual([expect.objectContaining({ minutes: 10 }), expect.objectContaining({ minutes: 20 }), expect.objectContaining({ minutes: 30 })]);

        // Replaying either file is a retry of its own commands: nothing new.
        const again = [await playScenario(opening, { storage: opened.storage }), await playScenario(followUp, { storage: opened.storage })];
        expect(again.flatMap((result) => result.steps.map((step) => step.outcome))).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
        expect(await logged()).toHaveLength(3);
      });

      it('given two different scenario files with the same seed and instants on two cases, when both are played on one store, then the second is not taken for the first', async () => {
        // Before, the same seed at the same instants drew the same ids: the second file's events
        // carried the first's event ids, and the store answered `duplicate` for a case never opened.
        const opening = (name: string, caseName: string) =>
          parseScenarioText(
            JSON.stringify({
              name,
              start: '2026-01-05T09:00:00Z',
              funds: { [fundId]: null },
              actors: { counsellor },
              case: caseName,
              steps: [{ at: '2026-01-05T09:00:00Z', as: 'counsellor', command: 'ReceiveReferral', data: { fundId, form: sampleExternalForm() } }],
            }),
            'json',
            `${name}.json`,
          );
        const results = [await playScenario(opening('first', 'case-a'), { storage: opened.storage }), await playScenario(opening('second', 'case-b'), { storage: opened.storage })];
        expect(results.map((result) => result.steps.map((step) => step.outcome))).toEqual([['applied'], ['applied']]);
        for (const id of ['case-a', 'case-b']) expect(await opened.storage.events.readStream(id)).not.toHaveLength(0);
      });
    });
  }
});
