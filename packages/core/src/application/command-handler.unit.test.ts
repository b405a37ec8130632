import { describe, expect, it } from 'vitest';
import { CommandRejectedError, ConcurrencyError, MisasError, ValidationError } from '../errors.ts';
import { InMemoryEventStore } from '../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../in-memory/memory-vault.ts';
import { sampleExternalForm, sampleInternalForm } from '../testing/fixtures.ts';
import { parsePolicy } from '../domain/policy.ts';
import type { CaseCommandInput } from '../domain/commands.ts';
import { caseFileOf } from '../domain/lifecycle/case-state.ts';
import { CaseCommandHandler, type CommandHandlerOptions } from './command-handler.ts';
import { policiesByFund } from './policy-provider.ts';
import { VirtualClock } from './ports/clock.ts';
import type { AppendRequest, AppendResult, EventStore } from './ports/event-store.ts';
import { seededUlidGenerator } from './ports/id-generator.ts';
import { referralEntry } from './seal-personal-data.ts';

const actor = { role: 'counsellor', id: 'counsellor-1' } as const;

function setup(overrides: Partial<CommandHandlerOptions> = {}) {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const store = new InMemoryEventStore();
  const vault = new InMemoryVault();
  const handler = new CaseCommandHandler({ store, vault, clock, ids: seededUlidGenerator(42, clock), ...overrides });
  return { clock, store, vault, handler };
}

const receive = (caseId = 'case-1', commandId = 'cmd-1'): CaseCommandInput => ({
  type: 'ReceiveReferral',
  caseId,
  commandId,
  actor: { role: 'detector', id: 'det-1' },
  data: { fundId: 'cpam-22', form: sampleInternalForm({ comments: 'Appeler le soir' }) },
});

describe('personal data', () => {
  it('given an internal referral with a NIR, then the log holds none of the personal data and the vault holds it all', async () => {
    const { handler, store, vault } = setup();
    const result = await handler.execute(receive());
    const raw = JSON.stringify(await store.readAll());
    for (const secret of ['Martin', 'Alex', '1989-04-12', '189047512345655', 'Agent accueil', 'Appeler le soir']) {
      expect(raw).not.toContain(secret);
    }
    const subjectRef = caseFileOf(result.state).subjectRef;
    expect(subjectRef).toMatch(/^subj_/);
    const stored = await vault.get(subjectRef ?? '', referralEntry);
    expect(stored.status).toBe('found');
    expect(JSON.stringify(stored)).toContain('189047512345655');
    expect(result.events[0]?.data).toMatchObject({ referral: { hasNir: true, ageBand: '26-39' } });
  });

  it('a note goes to the vault under the case subject; after shredding it reads as erased', async () => {
    const { handler, vault } = setup();
    const received = await handler.execute(receive());
    const noted = await handler.execute({ type: 'AddNote', caseId: 'case-1', commandId: 'n1', actor, data: { text: 'Parle mal français' } });
    const noteEvent = noted.events[0];
    expect(noteEvent?.type).toBe('NoteAdded');
    const subjectRef = caseFileOf(received.state).subjectRef ?? '';
    const noteId = noteEvent?.type === 'NoteAdded' ? noteEvent.data.noteId : '';
    expect(await vault.get(subjectRef, `note:${noteId}`)).toEqual({ status: 'found', value: { text: 'Parle mal français' } });
    await vault.shred(subjectRef);
    expect(await vault.get(subjectRef, `note:${noteId}`)).toEqual({ status: 'erased' });
  });
});

describe('validation', () => {
  it('an external form carrying a NIR is refused, naming the field, without echoing the NIR, and nothing is written', async () => {
    const { handler, store } = setup();
    const form = { ...sampleExternalForm(), person: { ...sampleExternalForm().person, nir: '189047512345655' } };
    const error = await handler
      .execute({ type: 'ReceiveReferral', caseId: 'c', commandId: 'x', actor, data: { fundId: 'f', form } } as unknown as CaseCommandInput)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.issues.map((i) => i.path)).toContain('data.form.person.nir');
    expect(validation.message).not.toContain('189047512345655');
    expect(await store.headPosition()).toBe(0);
  });

  it('an unknown command type or a missing field is a ValidationError naming it', async () => {
    const { handler } = setup();
    const error = (await handler
      .execute({ type: 'AcceptReferral', caseId: 'c', commandId: 'x', actor, data: {} } as unknown as CaseCommandInput)
      .catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('data.counsellorId');
  });
});

describe('rejections', () => {
  it('a refused command names the state, the command and the rule, and appends nothing', async () => {
    const { handler, store } = setup();
    await handler.execute(receive());
    const error = (await handler
      .execute({ type: 'AgreePlan', caseId: 'case-1', commandId: 'p', actor, data: {} })
      .catch((e: unknown) => e)) as CommandRejectedError;
    expect(error).toBeInstanceOf(CommandRejectedError);
    expect(error).toMatchObject({ state: 'triage', command: 'AgreePlan', rule: 'allowed-in-state', caseId: 'case-1' });
    expect(error.message).toContain("in state 'triage'");
    expect(await store.headPosition()).toBe(1);
  });

  it('a refused referral leaves no personal data behind in the vault', async () => {
    const { handler, vault } = setup();
    await handler.execute(receive('case-1', 'first'));
    const shredded: string[] = [];
    const original = vault.shred.bind(vault);
    vault.shred = async (subjectRef: string) => {
      shredded.push(subjectRef);
      return original(subjectRef);
    };
    await expect(handler.execute(receive('case-1', 'second'))).rejects.toBeInstanceOf(CommandRejectedError);
    // The refusal happens before any vault write: nothing to undo, nothing written.
    expect(shredded).toEqual([]);
  });
});

describe('idempotency and concurrency', () => {
  it('a retried command id is applied once and returns the original events', async () => {
    const { handler, store } = setup();
    const first = await handler.execute(receive());
    await handler.execute({ type: 'AcceptReferral', caseId: 'case-1', commandId: 'acc', actor, data: { counsellorId: 'c1' } });
    const retry = await handler.execute(receive());
    expect(retry.outcome).toBe('duplicate');
    expect(retry.events.map((e) => e.meta.eventId)).toEqual(first.events.map((e) => e.meta.eventId));
    expect(await store.headPosition()).toBe(2);
  });

  it('given a writer that gets in first, the handler reloads, decides again and succeeds', async () => {
    const inner = new InMemoryEventStore();
    let interfered = false;
    const racing: EventStore = {
      readStream: (id, o) => inner.readStream(id, o),
      readAll: (o) => inner.readAll(o),
      headPosition: () => inner.headPosition(),
      async append(request: AppendRequest): Promise<AppendResult> {
        if (!interfered && request.commandId === 'log') {
          interfered = true;
          await competitor.execute({ type: 'LogTime', caseId: 'case-1', commandId: 'other', actor, data: { minutes: 5, activity: 'paperwork' } });
        }
        return inner.append(request);
      },
    };
    const { handler, clock } = setup({ store: racing });
    const competitor = new CaseCommandHandler({ store: inner, vault: new InMemoryVault(), clock });
    await handler.execute(receive());
    const result = await handler.execute({ type: 'LogTime', caseId: 'case-1', commandId: 'log', actor, data: { minutes: 10, activity: 'triage' } });
    expect(result.outcome).toBe('applied');
    expect(result.events[0]?.meta.version).toBe(3);
    expect(caseFileOf(result.state).minutesSpent).toBe(15);
  });

  it('when every attempt loses, it throws ConcurrencyError and undoes its vault writes', async () => {
    const inner = new InMemoryEventStore();
    const alwaysLate: EventStore = {
      readStream: (id, o) => inner.readStream(id, o),
      readAll: (o) => inner.readAll(o),
      headPosition: () => inner.headPosition(),
      append: async (request) => {
        throw new ConcurrencyError(request.streamId, request.expectedVersion, request.expectedVersion + 1);
      },
    };
    const { handler, vault } = setup({ store: alwaysLate, maxAttempts: 3 });
    const shredded: string[] = [];
    const original = vault.shred.bind(vault);
    vault.shred = async (subjectRef: string) => {
      shredded.push(subjectRef);
      return original(subjectRef);
    };
    await expect(handler.execute(receive())).rejects.toBeInstanceOf(ConcurrencyError);
    expect(shredded).toHaveLength(3);
    for (const subjectRef of shredded) expect(await vault.get(subjectRef, referralEntry)).toEqual({ status: 'erased' });
  });
});

/**
 * A handler whose case was received, on a store whose later appends can be made to "never have
 * happened" (`rollBack`): what a rolled-back write batch looks like to the handler.
 */
async function receivedThenRolledBack() {
  const inner = new InMemoryEventStore();
  const shadow = new InMemoryEventStore();
  let forget = false;
  const rollingBack: EventStore = {
    readStream: (id, o) => (forget ? shadow : inner).readStream(id, o),
    readAll: (o) => inner.readAll(o),
    headPosition: () => inner.headPosition(),
    append: (request) => (forget ? shadow : inner).append(request),
  };
  const { handler } = setup({ store: rollingBack });
  const received = await handler.execute(receive());
  await shadow.append({ streamId: 'case-1', expectedVersion: 0, commandId: 'cmd-1', events: received.events.map(({ type, data, meta }) => ({ type, data, meta })) });
  return {
    handler,
    rollBack: () => {
      forget = true;
    },
  };
}

describe('kept case states', () => {
  const logTime = (commandId: string, minutes: number): CaseCommandInput => ({
    type: 'LogTime',
    caseId: 'case-1',
    commandId,
    actor,
    data: { minutes, activity: 'paperwork' },
  });

  it('given another writer on the same store, when this handler sends its next command, then it folds their events in first', async () => {
    const { handler, store, vault, clock } = setup();
    const other = new CaseCommandHandler({ store, vault, clock });
    await handler.execute(receive());
    await other.execute({ type: 'AcceptReferral', caseId: 'case-1', commandId: 'acc', actor, data: { counsellorId: 'c1' } });
    // Refused in triage: the handler must decide on the acceptance the other writer made, not on its kept triage state.
    const result = await handler.execute({
      type: 'RecordReviewItem',
      caseId: 'case-1',
      commandId: 'item',
      actor,
      data: { item: 'complementary-cover', finding: 'in-order' },
    });
    expect(result.events[0]?.meta.version).toBe(3);
    expect(result.status).toBe('review');
  });

  it('given a kept case, when a command is retried after others, then it is a duplicate with its original events', async () => {
    const { handler, store } = setup();
    await handler.execute(receive());
    const first = await handler.execute(logTime('log-1', 10));
    await handler.execute(logTime('log-2', 5));
    const retry = await handler.execute(logTime('log-1', 10));
    expect(retry.outcome).toBe('duplicate');
    expect(retry.events.map((event) => event.meta.eventId)).toEqual(first.events.map((event) => event.meta.eventId));
    expect(caseFileOf(retry.state).minutesSpent).toBe(15);
    expect(await store.headPosition()).toBe(3);
  });

  it('given a kept state ahead of the store (its write was rolled back), when the next command comes, then it is decided again on the stream', async () => {
    const { handler, rollBack } = await receivedThenRolledBack();
    await handler.execute(logTime('lost', 10));
    rollBack();
    const retried = await handler.execute(logTime('lost', 10));
    expect(retried.outcome).toBe('applied');
    expect(retried.events[0]?.meta.version).toBe(2);
    expect(caseFileOf(retried.state).minutesSpent).toBe(10);
  });

  it('given a kept state ahead of the store, when it would refuse the next command, then the command is decided on the stream instead', async () => {
    const { handler, rollBack } = await receivedThenRolledBack();
    // Kept: the case in review. The store (after the "rollback"): still in triage.
    await handler.execute({ type: 'AcceptReferral', caseId: 'case-1', commandId: 'acc', actor, data: { counsellorId: 'c1' } });
    rollBack();
    const accepted = await handler.execute({ type: 'AcceptReferral', caseId: 'case-1', commandId: 'acc-again', actor, data: { counsellorId: 'c1' } });
    expect(accepted.status).toBe('review');
    expect(accepted.events[0]?.meta.version).toBe(2);
  });

  it('given cachedCases 0, then every command replays its case and the results are the same', async () => {
    const kept = setup();
    const replayed = setup({ cachedCases: 0 });
    for (const { handler } of [kept, replayed]) {
      await handler.execute(receive());
      await handler.execute(logTime('log-1', 10));
      await handler.execute(logTime('log-2', 5));
    }
    expect(await replayed.store.readAll()).toEqual(await kept.store.readAll());
  });
});

describe('metadata and determinism', () => {
  it('stamps every event with the full metadata', async () => {
    const { handler, clock } = setup();
    clock.set('2026-01-06T10:00:00.000Z');
    const result = await handler.execute({ ...receive(), occurredAt: '2026-01-05T16:30:00.000Z', correlationId: 'corr-9' } as CaseCommandInput);
    expect(result.events[0]?.meta).toMatchObject({
      caseId: 'case-1',
      version: 1,
      occurredAt: '2026-01-05T16:30:00.000Z',
      recordedAt: '2026-01-06T10:00:00.000Z',
      actor: { role: 'detector', id: 'det-1' },
      correlationId: 'corr-9',
      causationId: 'cmd-1',
      commandId: 'cmd-1',
      schemaVersion: 1,
    });
    expect(result.events[0]?.meta.eventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('the same inputs, clock and id seed give the same events', async () => {
    const run = async () => {
      const { handler, store, clock } = setup();
      await handler.execute(receive());
      clock.advance({ days: 1 });
      await handler.execute({ type: 'AcceptReferral', caseId: 'case-1', commandId: 'a', actor, data: { counsellorId: 'c1' } });
      return store.readAll();
    };
    expect(await run()).toEqual(await run());
  });
});

describe('fund policies', () => {
  it("applies each fund's own rules and refuses a fund with no policy", async () => {
    const policies = policiesByFund([parsePolicy({ fundId: 'cpam-22', firstContactWithinDays: 2 })]);
    const { handler } = setup({ policies });
    await handler.execute(receive());
    const accepted = await handler.execute({ type: 'AcceptReferral', caseId: 'case-1', commandId: 'a', actor, data: { counsellorId: 'c1' } });
    expect(accepted.events[0]?.data).toMatchObject({ firstContactDueBy: '2026-01-07' });
    const other = { ...receive('case-2', 'x'), data: { fundId: 'cpam-99', form: sampleExternalForm() } } as CaseCommandInput;
    await expect(handler.execute(other)).rejects.toThrow(MisasError);
    await expect(handler.execute(other)).rejects.toThrow(/no policy configured for fund 'cpam-99'/);
  });
});

describe('erasure', () => {
  it('given a closed case, erasing destroys the key after the event is appended; an open case refuses it and keeps its data', async () => {
    const { handler, vault, store } = setup();
    const received = await handler.execute(receive());
    const subjectRef = caseFileOf(received.state).subjectRef ?? '';
    await expect(
      handler.execute({ type: 'ErasePersonalData', caseId: 'case-1', commandId: 'e0', actor, data: { reason: 'erasure-request' } }),
    ).rejects.toMatchObject({ rule: 'allowed-in-state', state: 'triage' });
    expect((await vault.get(subjectRef, referralEntry)).status).toBe('found');

    await handler.execute({ type: 'DeclineReferral', caseId: 'case-1', commandId: 'd', actor, data: { reason: 'not-relevant' } });
    const erased = await handler.execute({ type: 'ErasePersonalData', caseId: 'case-1', commandId: 'e1', actor: { role: 'system', id: 'scheduler' }, data: { reason: 'retention-expired' } });
    expect(erased.events.map((e) => e.type)).toEqual(['PersonalDataErased']);
    expect(await vault.get(subjectRef, referralEntry)).toEqual({ status: 'erased' });
    expect((await store.readAll()).some((e) => e.type === 'PersonalDataErased')).toBe(true);
    expect(caseFileOf(erased.state).personalDataErased).toBe(true);
  });
});
