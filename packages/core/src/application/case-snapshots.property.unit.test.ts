/**
 * Property: a handler that loads every case cold from its snapshots (`cachedCases: 0`, a snapshot
 * every 1 to 7 events) decides exactly as a handler that never uses snapshots — same outcome, same
 * refusal, same state, same stored events — on random command sequences that include retries of
 * earlier command ids; and a load from the snapshot at the end equals the replay of the stream.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseCommandInput } from '../domain/commands.ts';
import { persistCaseState } from '../domain/lifecycle/case-snapshot.ts';
import { DeclineReason, ReviewFinding, ReviewItem } from '../domain/vocabulary.ts';
import { CommandRejectedError, MisasError } from '../errors.ts';
import { createInMemoryStorage } from '../in-memory/in-memory-storage.ts';
import { sampleInternalForm } from '../testing/fixtures.ts';
import { loadCase } from './case-repository.ts';
import { CaseCommandHandler } from './command-handler.ts';
import { VirtualClock } from './ports/clock.ts';
import { seededUlidGenerator } from './ports/id-generator.ts';
import type { MisasStorage } from './ports/storage.ts';

type Body = Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'>;
type Step = { readonly kind: 'new'; readonly body: Body } | { readonly kind: 'retry'; readonly pick: number };

const caseId = 'case-prop';
const actor = { role: 'counsellor', id: 'c1' } as const;

const bodyArbitrary: fc.Arbitrary<Body> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 90 }).map((minutes): Body => ({ type: 'LogTime', data: { minutes, activity: 'paperwork' } })) },
  { weight: 2, arbitrary: fc.constantFrom('Rappeler lundi', 'Dossier C2S envoyé').map((text): Body => ({ type: 'AddNote', data: { text } })) },
  { weight: 1, arbitrary: fc.constantFrom('c1', 'c2').map((counsellorId): Body => ({ type: 'AcceptReferral', data: { counsellorId } })) },
  { weight: 1, arbitrary: fc.constantFrom(...DeclineReason.options).map((reason): Body => ({ type: 'DeclineReferral', data: { reason } })) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...ReviewItem.options), fc.constantFrom(...ReviewFinding.options)).map(([item, finding]): Body => ({ type: 'RecordReviewItem', data: { item, finding } })),
  },
);
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: bodyArbitrary.map((body): Step => ({ kind: 'new', body })) },
  { weight: 1, arbitrary: fc.nat().map((pick): Step => ({ kind: 'retry', pick })) },
);

/** What a command did, comparable across handlers. */
async function outcomeOf(handler: CaseCommandHandler, command: CaseCommandInput): Promise<unknown> {
  try {
    const result = await handler.execute(command);
    return { outcome: result.outcome, state: persistCaseState(result.state), events: result.events.map((event) => event.meta.eventId) };
  } catch (error) {
    if (error instanceof MisasError) return { refused: error.code, rule: error instanceof CommandRejectedError ? error.rule : undefined };
    throw error;
  }
}

function handlerOn(storage: MisasStorage, seed: number, snapshots: { readonly every: number } | undefined): CaseCommandHandler {
  const clock = new VirtualClock('2026-01-05T08:00:00.000Z');
  const ids = seededUlidGenerator(seed, clock);
  if (snapshots === undefined) return new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids, snapshotEvery: 0 });
  return new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids, snapshots: storage.snapshots, snapshotEvery: snapshots.every, cachedCases: 0 });
}

describe('case snapshots under random command sequences', () => {
  it('a handler loading cold from snapshots decides as one that replays, and a load from the last snapshot equals the replay', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (steps, every, seed) => {
        const plain = createInMemoryStorage();
        const cold = createInMemoryStorage();
        const replaying = handlerOn(plain, seed, undefined);
        const fromSnapshots = handlerOn(cold, seed, { every });
        const sent: CaseCommandInput[] = [
          { type: 'ReceiveReferral', caseId, commandId: 'cmd-0', actor: { role: 'detector', id: 'd1' }, data: { fundId: 'cpam-p', form: sampleInternalForm() } },
        ];
        const commands = [...sent];
        for (const step of steps) {
          const command =
            step.kind === 'retry' ? sent[step.pick % sent.length] : ({ ...step.body, caseId, commandId: `cmd-${sent.length}`, actor } as CaseCommandInput);
          if (command === undefined) continue;
          if (step.kind === 'new') sent.push(command);
          commands.push(command);
        }
        for (const command of commands) {
          expect(await outcomeOf(fromSnapshots, command)).toEqual(await outcomeOf(replaying, command));
        }
        const stream = async (storage: MisasStorage) => JSON.stringify(await storage.events.readStream(caseId));
        expect(await stream(cold)).toBe(await stream(plain));
        const loaded = await loadCase(cold.events, caseId, { snapshots: cold.snapshots });
        expect(persistCaseState(loaded.state)).toEqual(persistCaseState((await loadCase(plain.events, caseId)).state));
        // With a snapshot every event or two, the load really started from one.
        if (every <= 2 && loaded.state.version >= 2) expect(loaded.commandIdsBefore).toBeDefined();
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
