/**
 * The administrative review after its step through `@misas/service` (issue 15, item 3), on memory,
 * SQLite and PostgreSQL: a finding updated at a later open step shows in the person's export; the
 * CAF items are on the checklist; the placeholder GP number is recorded once, only when the GP rule
 * called for it. Refused during the review, for a finding that does not change, outside the fund
 * and on a closed case.
 */
import { AccessDeniedError } from '@misas/core';
import { describe, expect, it } from 'vitest';
import { pgMissingInCi, pgRequiredMessage } from '../../adapters/src/postgres/test-kit.ts';
import { attackStores } from './testing/attack-stores.ts';
import { fundB, principals, privacyWorld } from './testing/privacy-world.ts';

describe.runIf(pgMissingInCi)('the review follow-up tests on PostgreSQL in CI', () => {
  it('needs a server', () => {
    throw new Error(pgRequiredMessage);
  });
});

const noCriterion = { hasScheduledOrUrgentCare: false, livesWithDisabilityOrInvalidity: false, isC2sBeneficiary: true, isDependent: false, age: 29 };

describe('the administrative review after its step, through the service', () => {
  for (const store of attackStores) {
    it.skipIf(store.unavailable)(
      `on ${store.name}: a finding updated in planning is exported, the placeholder GP number recorded once; refused during the review, unchanged, outside the fund and once closed`,
      async () => {
        const opened = await store.open();
        try {
          const { misas, storage, clock } = await privacyWorld(opened.storage);
          const counsellor = misas.as(principals.counsellor);
          const dpo = misas.as(principals['data-protection-officer']);
          const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: unknown) => error);

          // a-1 is in planning, its review complete with every item in order (the CAF items too).
          expect((await dpo.exportPerson('a-1')).data.case.review).toMatchObject({ 'caf-rights': 'in-order', 'caf-rsa': 'in-order' });

          // The CAF rights need action; weeks later the RSA was opened: the finding is updated again.
          await counsellor.execute({ type: 'UpdateReviewFinding', caseId: 'a-1', commandId: 'caf-1', data: { item: 'caf-rsa', finding: 'needs-action' } });
          clock.set('2026-02-02T09:00:00.000Z');
          const result = await counsellor.execute({ type: 'UpdateReviewFinding', caseId: 'a-1', commandId: 'caf-2', data: { item: 'caf-rsa', finding: 'in-order' } });
          expect(result.events.map((event) => [event.type, event.data])).toEqual([['ReviewFindingUpdated', { item: 'caf-rsa', finding: 'in-order', previous: 'needs-action' }]]);
          const exported = (await dpo.exportPerson('a-1')).data.case;
          expect(exported.review['caf-rsa']).toBe('in-order');
          expect(exported.reviewUpdatedAt).toBe('2026-02-02T09:00:00.000Z');

          // The same finding again would do nothing: refused, nothing written.
          const before = (await storage.events.readStream('a-1')).length;
          expect(await refusal(counsellor.execute({ type: 'UpdateReviewFinding', caseId: 'a-1', commandId: 'same', data: { item: 'caf-rsa', finding: 'in-order' } }))).toMatchObject({ rule: 'review-finding-changes' });
          // During the review (a-2), the finding is recorded, not updated.
          const counsellor2 = misas.as({ role: 'counsellor', id: 'counsellor-2', fundId: principals.counsellor.fundId });
          expect(await refusal(counsellor2.execute({ type: 'UpdateReviewFinding', caseId: 'a-2', commandId: 'early', data: { item: 'basic-cover', finding: 'in-order' } }))).toMatchObject({ rule: 'review-completed' });
          // Another fund's counsellor with the same id, and a partner: no access.
          for (const intruder of [{ role: 'counsellor', id: 'counsellor-1', fundId: fundB } as const, principals.partner]) {
            expect(await refusal(misas.as(intruder).execute({ type: 'UpdateReviewFinding', caseId: 'a-1', commandId: `intrude-${intruder.role}`, data: { item: 'basic-cover', finding: 'needs-action' } }))).toBeInstanceOf(AccessDeniedError);
          }

          // The placeholder GP number: only once the GP rule said so, then once.
          expect(await refusal(counsellor.execute({ type: 'RecordPlaceholderGp', caseId: 'a-1', commandId: 'gp-early', data: {} }))).toMatchObject({ rule: 'placeholder-gp-due' });
          expect((await storage.events.readStream('a-1')).length).toBe(before);
          await counsellor.execute({ type: 'AssessGpSearch', caseId: 'a-1', commandId: 'gp-rule', data: { profile: noCriterion } });
          await counsellor.execute({ type: 'RecordPlaceholderGp', caseId: 'a-1', commandId: 'gp-set', data: {} });
          expect((await dpo.exportPerson('a-1')).data.case.placeholderGpSetOn).toBe('2026-02-02');
          expect(await refusal(counsellor.execute({ type: 'RecordPlaceholderGp', caseId: 'a-1', commandId: 'gp-again', data: {} }))).toMatchObject({ rule: 'placeholder-gp-once' });
          expect(await refusal(misas.as({ role: 'counsellor', id: 'counsellor-1', fundId: fundB }).execute({ type: 'RecordPlaceholderGp', caseId: 'a-1', commandId: 'gp-b', data: {} }))).toBeInstanceOf(AccessDeniedError);

          // A closed case takes no update.
          await counsellor.execute({ type: 'CloseCase', caseId: 'a-1', commandId: 'close', data: { reason: 'other' } });
          expect(await refusal(counsellor.execute({ type: 'UpdateReviewFinding', caseId: 'a-1', commandId: 'late', data: { item: 'basic-cover', finding: 'needs-action' } }))).toMatchObject({ rule: 'allowed-in-state' });
        } finally {
          await opened.close();
        }
      },
      120_000,
    );
  }
});
