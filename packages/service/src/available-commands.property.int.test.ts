/**
 * `session.availableCommands` against `execute`, on random case histories, in memory, SQLite and
 * PostgreSQL: at every step every command listed as blocked is refused by `execute` with exactly
 * the listed rule (and writes nothing), and one command listed as allowed, drawn at random with a
 * valid payload of its own (`testing/valid-payloads.ts`, not the listing's probes), is accepted —
 * which moves the case on, so the listing is checked along the whole lifecycle.
 */
import fc from 'fast-check';
import { AccessDeniedError, AvailableCommands, CommandRejectedError, seededUlidGenerator, VirtualClock, type PrincipalInput } from '@misas/core';
import { sampleExternalForm, sampleInternalForm } from '@misas/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createMisas } from './misas.ts';
import { attackStores, type OpenedStore } from './testing/attack-stores.ts';
import { Choices, validPayload } from './testing/valid-payloads.ts';

const fundId = 'cpam-22';
const staff: readonly PrincipalInput[] = [
  { role: 'counsellor', id: 'c1', fundId, team: ['c2'] },
  { role: 'supervisor', id: 'sup-1', fundId },
  { role: 'data-protection-officer', id: 'dpo-1', fundId },
];
/** The commands that move a case on from each step. */
const progress: Readonly<Record<string, readonly string[]>> = {
  triage: ['AcceptReferral'],
  review: ['RecordReviewItem', 'CompleteReview'],
  'contact.awaiting': ['RecordContactAttempt'],
  'contact.reached': ['RecordConsent', 'IdentifyNeeds'],
  planning: ['PlanAction', 'AgreePlan'],
  accompaniment: ['RecordOutcome', 'UpdateActionStatus', 'CloseCase'],
  closed: ['ReopenCase'],
};
const forms = [sampleExternalForm(), sampleInternalForm(), sampleExternalForm({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } })];

// Mostly the counsellor, who does the case work; the supervisor and the DPO now and then.
const step = fc.record({ who: fc.constantFrom(0, 0, 0, 0, 1, 1, 2), seed: fc.nat(), hours: fc.integer({ min: 0, max: 24 * 20 }) });
type History = { readonly form: number; readonly steps: readonly { readonly who: number; readonly seed: number; readonly hours: number }[] };
const history: fc.Arbitrary<History> = fc.record({ form: fc.nat({ max: forms.length - 1 }), steps: fc.array(step, { minLength: 20, maxLength: 60 }) });

/** Runs one history; returns the command types accepted along it. */
async function play(opened: OpenedStore, run: number, input: History): Promise<Set<string>> {
  const clock = new VirtualClock('2026-03-02T09:00:00.000Z');
  const misas = createMisas({ storage: opened.storage, clock, ids: seededUlidGenerator(run, clock) });
  const caseId = `case-${run}`;
  let n = 0;
  const commandId = () => `${caseId}:${n++}`;
  await misas.as({ role: 'detector', id: 'ccas-1', fundId, origin: 'health-insurance-service' }).execute({
    type: 'ReceiveReferral', caseId, commandId: commandId(), data: { fundId, form: forms[input.form] ?? sampleExternalForm() },
  });
  const accepted = new Set<string>();
  for (const { who, seed, hours } of input.steps) {
    clock.advance({ hours });
    const session = misas.as(staff[who] ?? { role: 'supervisor', id: 'sup-1', fundId });
    const listing = AvailableCommands.parse(await session.availableCommands(caseId));
    const choices = new Choices(seed);
    const now = clock.now().toISOString();
    const before = (await opened.storage.events.readStream(caseId)).length;
    for (const entry of listing.commands) {
      if (entry.allowed) continue;
      const { state } = await misas.handler.load(caseId);
      const command = { type: entry.command, caseId, commandId: commandId(), data: validPayload(entry.command, state, choices, now) };
      const error = await session.execute(command as Parameters<typeof session.execute>[0]).then(() => undefined, (failure: unknown) => failure);
      const refusal = error instanceof AccessDeniedError || error instanceof CommandRejectedError ? { blockedBy: error instanceof AccessDeniedError ? 'access' : 'decide', rule: error.rule } : { error: String(error) };
      expect({ command: entry.command, status: listing.status, ...refusal }).toEqual({
        command: entry.command,
        status: listing.status,
        blockedBy: entry.blockedBy === 'access' ? 'access' : 'decide',
        rule: entry.rule,
      });
    }
    expect((await opened.storage.events.readStream(caseId)).length).toBe(before);
    const allowed = listing.commands.filter((entry) => entry.allowed);
    if (allowed.length === 0) continue;
    // Mostly a command that moves the case on, so that walks get past triage and review.
    const moving = allowed.filter((entry) => progress[listing.status]?.includes(entry.command));
    const chosen = choices.one(moving.length > 0 && choices.below(4) > 0 ? moving : allowed).command;
    const { state } = await misas.handler.load(caseId);
    const command = { type: chosen, caseId, commandId: commandId(), data: validPayload(chosen, state, choices, now) };
    const result = await session.execute(command as Parameters<typeof session.execute>[0]).catch((error: unknown) => ({ failed: `${chosen} in ${listing.status}: ${String(error)}` }));
    expect(result).toMatchObject({ outcome: 'applied' });
    accepted.add(chosen);
  }
  return accepted;
}

const runsPerStore: Record<string, number> = { memory: 30, SQLite: 5, PostgreSQL: 3 };

for (const store of attackStores) {
  describe.skipIf(store.unavailable)(`available commands against execute (${store.name})`, () => {
    let opened: OpenedStore | undefined;
    afterAll(async () => opened?.close());

    it('every command listed as blocked is refused with that rule, and one listed as allowed is accepted, along random histories', async () => {
      opened = await store.open();
      const seen = new Set<string>();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(history, async (input) => {
          for (const type of await play(opened as OpenedStore, run++, input)) seen.add(type);
        }),
        { numRuns: runsPerStore[store.name] ?? 4, seed: 15, endOnFailure: true },
      );
      // The walks go past triage: the listing was checked well into the lifecycle.
      if (store.name === 'memory') for (const type of ['AcceptReferral', 'CompleteReview', 'RecordConsent', 'AgreePlan', 'CloseCase']) expect(seen).toContain(type);
    }, 600_000);
  });
}
