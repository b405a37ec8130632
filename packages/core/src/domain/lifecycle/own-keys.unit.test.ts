/**
 * Lookups by id read own keys only: an action or a partner referral named like a property of
 * `Object.prototype` is unknown until planned, and a plain id once it is, snapshots included.
 */
import { describe, expect, it } from 'vitest';
import { caseSpecification, historyUntil } from '../../testing/index.ts';
import type { DomainEvent } from '../events/catalogue.ts';
import { persistCaseState, restoreCaseState } from './case-snapshot.ts';
import { caseFileOf } from './case-state.ts';

const prototypeNames = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

const planned = (actionId: string): DomainEvent => ({
  type: 'ActionPlanned',
  data: { actionId, strand: 'rights', kind: 'other', owner: { kind: 'person' }, dueDate: '2026-02-01' },
});
const referred = (referralId: string): DomainEvent => ({
  type: 'PartnerReferralMade',
  data: { referralId, partner: 'ccas', strand: 'rights', followUpBy: '2026-02-01', sharesPersonalData: false },
});

describe('ids named like properties of Object.prototype', () => {
  for (const name of prototypeNames) {
    it(`an action '${name}' that was never planned does not exist`, async () => {
      await caseSpecification()
        .given(historyUntil.accompaniment())
        .when({ type: 'UpdateActionStatus', data: { actionId: name, status: 'done' } })
        .thenRejected({ rule: 'action-exists' });
    });

    it(`a partner referral '${name}' that was never made does not exist`, async () => {
      await caseSpecification()
        .given(historyUntil.accompaniment())
        .when({ type: 'UpdatePartnerReferral', data: { referralId: name, status: 'completed' } })
        .thenRejected({ rule: 'partner-referral-exists' });
    });

    it(`an action '${name}' can be planned, then moved on like any other`, async () => {
      await caseSpecification()
        .given(historyUntil.accompaniment())
        .when({ type: 'PlanAction', data: { actionId: name, strand: 'rights', kind: 'other', owner: { kind: 'person' }, dueDate: '2026-02-01' } })
        .thenEvents([{ type: 'ActionPlanned' }]);
      const result = await caseSpecification()
        .given([...historyUntil.accompaniment(), planned(name)])
        .when({ type: 'UpdateActionStatus', data: { actionId: name, status: 'done' } })
        .thenEvents([{ type: 'ActionStatusChanged', data: { actionId: name, status: 'done' } }]);
      const actions = caseFileOf(result.state).actions;
      expect(Object.hasOwn(actions, name)).toBe(true);
      expect(Object.getPrototypeOf(actions)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(actions, name)?.value).toMatchObject({ kind: 'other', status: 'done' });
    });
  }

  it("a snapshot keeps an action and a partner referral named '__proto__' (zod's record would drop them)", async () => {
    const result = await caseSpecification()
      .given([...historyUntil.accompaniment(), planned('__proto__'), referred('__proto__')])
      .when({ type: 'UpdateActionStatus', data: { actionId: '__proto__', status: 'in-progress' } })
      .thenEvents([{ type: 'ActionStatusChanged' }]);
    const stored: unknown = JSON.parse(JSON.stringify(persistCaseState(result.state)));
    const restored = restoreCaseState(stored);
    expect(restored).toBeDefined();
    const file = caseFileOf(restored!);
    expect(Object.keys(file.actions).sort()).toEqual(['__proto__', 'action-1']);
    expect(Object.getOwnPropertyDescriptor(file.actions, '__proto__')?.value).toMatchObject({ status: 'in-progress' });
    expect(Object.keys(file.partnerReferrals)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(file.actions)).toBe(Object.prototype);
  });
});
