/**
 * Property tests over random command sequences on a few cases, through the real command handler:
 *  (a) catching up incrementally (any batch size, at any moment) gives the same documents as a
 *      rebuild from zero, as rebuilding them all in one pass writing every few cases, and as
 *      applying the events one by one through `apply`, for every read model;
 *  (b) the register's and the caseload's step and facts agree with the core state machine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseFileOf, CommandRejectedError, statusOf, VirtualClock, type ProjectionStore } from '@misas/core';
import { catchUp } from '../engine/catch-up.ts';
import { readModel } from '../engine/generations.ts';
import { rebuild, rebuildAll } from '../engine/rebuild.ts';
import type { Projection } from '../engine/projection.ts';
import { deadlinesProjection } from '../scheduler/deadlines.ts';
import { CaseloadCase } from './caseload/caseload-case.ts';
import { caseloadCasesCollection, caseloadName, caseloadProjection } from './caseload/caseload-projection.ts';
import { detectorViewProjection } from './detector-view/detector-view-projection.ts';
import { caseRegisterName, caseRegisterProjection } from './register/register-projection.ts';
import { caseRegisterRow } from './register/register-queries.ts';
import { retentionProjection } from './retention/retention-projection.ts';
import { stepEvents } from './shared/case-step.ts';
import { CaseLogBuilder } from './testing/case-log-builder.ts';
import { actorFor, commandsOf, randomStep } from './testing/random-commands.ts';

const caseIds = ['k1', 'k2', 'k3'] as const;
const projections = (): Projection[] => [caseRegisterProjection(), caseloadProjection(), detectorViewProjection(), retentionProjection(), deadlinesProjection()];

/** A projection applied event by event through `apply` (no batch form), under its own name. */
const eventByEvent = (projection: Projection): Projection => ({
  name: `${projection.name}-by-event`,
  handles: projection.handles,
  collections: projection.collections,
  apply: projection.apply,
});

/** Every document of every collection of a projection's active generation. */
async function snapshot(store: ProjectionStore, projection: Projection, name = projection.name) {
  const reader = readModel(store, name);
  const collections: Record<string, unknown> = {};
  for (const collection of projection.collections) collections[collection] = await reader.list(collection);
  return collections;
}

describe('read models under random command sequences', () => {
  it('the read models that follow the step of a case handle every event that can move it', () => {
    for (const projection of [caseRegisterProjection(), caseloadProjection()]) {
      for (const type of stepEvents) expect(projection.handles, `${projection.name} / ${type}`).toContain(type);
    }
  });

  it('incremental catch-up equals a rebuild from zero, and the register agrees with the state machine', async () => {
    // What the runs went through, so that a generator stuck at triage cannot pass unnoticed.
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(randomStep(caseIds.length), { minLength: 10, maxLength: 80, size: 'max' }), async (steps) => {
        const log = new CaseLogBuilder({ now: '2026-01-05T08:00:00.000Z' });
        const clock: VirtualClock = log.clock;
        const status = new Map<string, string>(caseIds.map((id) => [id, 'none']));
        for (const step of steps) {
          clock.advance({ hours: step.advanceHours });
          const caseId = caseIds[step.caseIndex] ?? 'k1';
          for (const command of commandsOf(step, status.get(caseId) ?? 'none')) {
            const actor = actorFor(command, step.caseIndex);
            try {
              const result = await log.run(caseId, clock.now().toISOString(), command, actor);
              status.set(caseId, result.status);
              seen.add(result.status);
              for (const event of result.events) seen.add(event.type);
            } catch (error) {
              if (!(error instanceof CommandRejectedError)) throw error;
            }
          }
          if (step.catchUpBatch > 0) {
            for (const projection of projections()) await catchUp(log.storage.events, log.storage.projections, projection, { batchSize: step.catchUpBatch });
          }
        }
        for (const projection of projections()) await catchUp(log.storage.events, log.storage.projections, projection, { batchSize: 3 });

        // (a) the same documents after a rebuild from zero, one by one or all at once, and event by event
        const incremental: Record<string, unknown> = {};
        for (const projection of projections()) incremental[projection.name] = await snapshot(log.storage.projections, projection);
        for (const projection of projections()) {
          await catchUp(log.storage.events, log.storage.projections, eventByEvent(projection), { batchSize: 7 });
          expect(await snapshot(log.storage.projections, projection, `${projection.name}-by-event`), `${projection.name} event by event`).toEqual(incremental[projection.name]);
        }
        for (const projection of projections()) {
          await rebuild(log.storage.events, log.storage.projections, projection, { batchSize: 50 });
          expect(await snapshot(log.storage.projections, projection), projection.name).toEqual(incremental[projection.name]);
        }
        await rebuildAll(log.storage.events, log.storage.projections, projections(), { batchSize: 4, pendingCases: 1 });
        for (const projection of projections()) {
          expect(await snapshot(log.storage.projections, projection), `${projection.name} rebuilt with the others`).toEqual(incremental[projection.name]);
        }

        // (b) the register and the caseload agree with the machine's view of every case
        const register = readModel(log.storage.projections, caseRegisterName);
        const caseload = readModel(log.storage.projections, caseloadName);
        for (const caseId of caseIds) {
          const { state } = await log.handler.load(caseId);
          const row = await caseRegisterRow(register, caseId);
          if (state.version === 0) {
            expect(row).toBeUndefined();
            continue;
          }
          const file = caseFileOf(state);
          expect(row?.status).toBe(statusOf(state));
          expect(row).toMatchObject({
            counsellorId: file.counsellorId,
            consent: file.consent,
            problems: file.problems,
            strands: file.strands,
            reopenCount: file.reopenCount,
            closureReason: file.closure?.reason ?? null,
            orientedTo: file.closure?.orientedTo ?? [],
            dates: { triagedAt: file.triagedAt, firstContactAt: file.firstContactAt, planAgreedAt: file.planAgreedAt, closedAt: file.closure?.at ?? null },
            minutes: { total: file.minutesSpent },
          });
          const consentHeld = file.consent === 'on-form' || file.consent === 'given';
          expect(row).toMatchObject({
            objectsToEvaluation: file.objectsToEvaluation,
            consentSharingWith: consentHeld ? (file.consentRecord?.sharingWith ?? []) : [],
            consentOverridden: file.consentOverrides.length > 0,
            rectificationCount: file.rectificationIds.length,
            erasureRequestedOn: file.erasureRequest?.requestedOn ?? null,
          });
          expect(row?.personalDataErasedAt !== null).toBe(file.personalDataErased);
          expect(Object.fromEntries(row?.partnerReferrals.map((r) => [r.referralId, r.status]) ?? [])).toEqual(
            Object.fromEntries(Object.entries(file.partnerReferrals).map(([id, r]) => [id, r.status])),
          );
          const outcomes = row ? row.outcomes.rightsOpened.length + row.outcomes.careCarriedOut.length + row.outcomes.savingsRecorded : -1;
          expect(outcomes).toBe(file.outcomes.length);
          const load = CaseloadCase.optional().parse(await caseload.get(caseloadCasesCollection, caseId));
          if (file.personalDataErased) expect(load).toBeUndefined();
          else {
            expect(load?.status).toBe(statusOf(state));
            expect(Object.fromEntries(load?.actions.map((a) => [a.actionId, a.status]) ?? [])).toEqual(
              Object.fromEntries(Object.entries(file.actions).map(([id, a]) => [id, a.status])),
            );
          }
        }
      }),
      { numRuns: 60, seed: 20_260_105 },
    );
    const expected = [
      ...['review', 'contact.awaiting', 'contact.reached', 'planning', 'accompaniment', 'closed', 'declined', 'redirected'],
      ...['CaseReopened', 'PersonalDataErased', 'OutcomeRecorded'],
      ...['ConsentScopeChanged', 'ConsentWithdrawn', 'ConsentOverridden', 'EvaluationObjectionRecorded', 'PersonalDataRectified', 'ErasureRequested'],
    ];
    for (const what of expected) expect(seen, `never reached ${what}`).toContain(what);
  }, 120_000);
});
