import { describe, expect, it } from 'vitest';
import { CaseCommandHandler, createInMemoryStorage, EventMetadata, VirtualClock, type CaseCommandInput, type MisasStorage } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { caseRegisterCollection, caseRegisterProjection } from '../read-models/register/register-projection.ts';
import { catchUp } from './catch-up.ts';
import { readModel } from './generations.ts';
import { inlineProjector } from './inline.ts';
import type { Projection } from './projection.ts';
import { rebuild } from './rebuild.ts';

const register = (): Projection => ({ ...caseRegisterProjection(), inline: true });
const actor = { role: 'counsellor', id: 'c1' } as const;

function world(projections: readonly Projection[] = [register()]) {
  const storage = createInMemoryStorage();
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, inline: inlineProjector(projections) });
  let n = 0;
  const send = (caseId: string, command: Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'>) =>
    handler.execute({ caseId, commandId: `cmd-${++n}`, actor, ...command } as CaseCommandInput);
  const story = async (caseId: string) => {
    await send(caseId, { type: 'ReceiveReferral', data: { fundId: 'f', form: sampleExternalForm() } });
    await send(caseId, { type: 'AcceptReferral', data: { counsellorId: 'c1' } });
    await send(caseId, { type: 'LogTime', data: { minutes: 12, activity: 'triage' } });
  };
  return { storage, send, story };
}

async function registerDocs(storage: MisasStorage) {
  return readModel(storage.projections, 'case-register').list(caseRegisterCollection);
}

async function asyncBuild(storage: MisasStorage) {
  const fresh = createInMemoryStorage();
  for (const event of await storage.events.readAll()) {
    const meta = EventMetadata.parse(event.meta);
    const commandId = `${meta.commandId}/${meta.version}`;
    await fresh.events.append({ streamId: meta.caseId, expectedVersion: meta.version - 1, commandId, events: [{ type: event.type, data: event.data, meta: { ...meta, commandId } }] });
  }
  await catchUp(fresh.events, fresh.projections, caseRegisterProjection());
  return registerDocs(fresh);
}

describe('inline projections', () => {
  it('given an inline register, every command is visible in it at once, with no catch-up', async () => {
    const { storage, send } = world();
    await send('k', { type: 'ReceiveReferral', data: { fundId: 'f', form: sampleExternalForm() } });
    expect((await registerDocs(storage)).map((d) => (d.value as { status: string }).status)).toEqual(['triage']);
    await send('k', { type: 'AcceptReferral', data: { counsellorId: 'c1' } });
    expect((await registerDocs(storage)).map((d) => (d.value as { status: string }).status)).toEqual(['review']);
  });

  it('builds the same documents as the async projection over the same log', async () => {
    const { storage, story } = world();
    for (const caseId of ['a', 'b', 'c']) await story(caseId);
    expect(await registerDocs(storage)).toEqual(await asyncBuild(storage));
  });

  it('a failing inline projection rolls the append back: the command fails and nothing is stored', async () => {
    const failing: Projection = { name: 'failing', handles: ['AcceptReferral' as never, 'ReferralAccepted'], collections: [], inline: true, apply: async () => { throw new Error('read model broken'); } };
    const { storage, send } = world([register(), failing]);
    await send('k', { type: 'ReceiveReferral', data: { fundId: 'f', form: sampleExternalForm() } });
    await expect(send('k', { type: 'AcceptReferral', data: { counsellorId: 'c1' } })).rejects.toThrow('read model broken');
    expect((await storage.events.readStream('k')).map((e) => e.type)).toEqual(['ReferralReceived']);
    expect((await registerDocs(storage)).map((d) => (d.value as { status: string }).status)).toEqual(['triage']);
  });

  it('a rebuild while writes go on loses and repeats nothing', async () => {
    const { storage, send, story } = world();
    for (const caseId of ['a', 'b', 'c', 'd']) await story(caseId);
    const during: Promise<unknown>[] = [];
    const result = await rebuild(storage.events, storage.projections, register(), {
      batchSize: 3,
      onProgress: () => {
        // Writes during the rebuild land in the old generation, inline.
        if (during.length < 3) during.push(send(`a`, { type: 'LogTime', data: { minutes: 1, activity: 'paperwork' } }));
      },
    });
    await Promise.all(during);
    expect(during).toHaveLength(3);
    expect(result.generation).toBe(2);
    await send('b', { type: 'LogTime', data: { minutes: 5, activity: 'paperwork' } });
    await story('e');
    expect(await registerDocs(storage)).toEqual(await asyncBuild(storage));
  });
});
