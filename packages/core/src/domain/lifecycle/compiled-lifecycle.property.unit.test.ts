/**
 * The compiled lifecycle and XState agree. From random states and random case files, random
 * sequences of facts go through both the table (`caseLifecycle.step`, `refusalOf`) and XState's
 * own `transition` / `snapshot.can` on `caseMachine`; after every fact they must agree on allowed
 * or refused, the refusal's rule, the state value, the case file and the tags.
 */
import fc from 'fast-check';
import { getNextTransitions, transition, type SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../events/recorded.ts';
import { sampleReferralFacts } from '../../testing/fixtures.ts';
import type { DomainEvent } from '../events/catalogue.ts';
import {
  ActionStatus,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReviewFinding,
  ReviewItem,
} from '../vocabulary.ts';
import { emptyCaseFile, type CaseFile, type LifecycleEvent } from './case-file.ts';
import { applyEvent } from './case-file-events.ts';
import { caseLifecycle, initialCaseState, refusalOf, type CaseSnapshot, type CaseState } from './case-state.ts';
import { evolve, replay } from './evolve.ts';
import { guardName } from './lifecycle-drawing.ts';
import { caseMachine } from './machine.ts';

type XSnapshot = SnapshotFrom<typeof caseMachine>;

// Few ids, so that updates often find what was planned (guard passes) and often do not (refused);
// `__proto__` is a valid id, which a record written in place must keep as an own key.
const ids = fc.constantFrom('x1', 'x2', '__proto__');
const some = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 });

/** Facts whose data no guard reads: one sample each. */
const plainFacts: readonly DomainEvent[] = [
      { type: 'ReferralReceived', data: { fundId: 'cpam-p', channel: 'external-form', subjectRef: 's1', referral: sampleReferralFacts() } },
      { type: 'ReferralAccepted', data: { counsellorId: 'c1', firstContactDueBy: '2026-02-02' } },
      { type: 'CounsellorAssigned', data: { counsellorId: 'c2' } },
      { type: 'ReviewCompleted', data: { itemsNeedingAction: [] } },
      { type: 'ConsentWithdrawn', data: {} },
      { type: 'ConsentOverridden', data: { purpose: 'accompaniment', justification: 'vital-interest' } },
      { type: 'EvaluationObjectionRecorded', data: { objects: true } },
      { type: 'PersonalDataRectified', data: { rectificationId: 'r1', fields: ['phone'] } },
      { type: 'ErasureRequested', data: { requestedOn: '2026-03-02', channel: 'letter' } },
      { type: 'PlaceholderGpRecorded', data: { setOn: '2026-03-02' } },
      { type: 'WelcomeLetterDue', data: { dueBy: '2026-03-02' } },
      { type: 'WelcomeLetterSent', data: {} },
      { type: 'GpSearchAssessed', data: { outcome: 'placeholder-gp-and-letter', criteriaMet: [] } },
      { type: 'PlanAgreed', data: {} },
      { type: 'OutcomeRecorded', data: { outcome: { kind: 'right-opened', right: 'c2s' } } },
      { type: 'TimeSpentLogged', data: { minutes: 15, activity: 'follow-up' } },
      { type: 'NoteAdded', data: { noteId: 'n1' } },
      { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-started', detectorKind: 'external-partner' } },
      { type: 'ReminderIssued', data: { kind: 'first-contact', dueOn: '2026-02-02' } },
      { type: 'PersonalDataErased', data: { reason: 'erasure-request' } },
      { type: 'AppointmentPlanned', data: { appointmentId: 'a1', at: '2026-02-02T09:00:00.000Z', place: 'branch', counsellorId: 'c1' } },
      { type: 'AppointmentMoved', data: { appointmentId: 'a1', at: '2026-02-03T09:00:00.000Z', place: 'local-drop-in', counsellorId: 'c1' } },
      { type: 'AppointmentHeld', data: { appointmentId: 'a1' } },
      { type: 'AppointmentMissed', data: { appointmentId: 'a1', missedBy: 'person' } },
      { type: 'AppointmentCancelled', data: { appointmentId: 'a1', cancelledBy: 'counsellor' } },
];

/** Every fact of the catalogue the lifecycle knows, each type as likely, with the data its guards read varied. */
const fact: fc.Arbitrary<DomainEvent> = fc.oneof(
  ...plainFacts.map((plain) => fc.constant(plain)),
  // A redirection hands off to the social service (a partner referral the guards then find) or, stored as v1, not.
  fc.option(ids, { nil: null }).map((referralId): DomainEvent => ({
    type: 'ReferralRedirected',
    data: { to: 'social-service', automatic: false, handOff: referralId === null ? null : { referralId, followUpBy: '2026-02-02' } },
  })),
  fc.constantFrom(...DeclineReason.options).map((reason): DomainEvent => ({ type: 'ReferralDeclined', data: { reason } })),
  fc.record({ item: fc.constantFrom(...ReviewItem.options), finding: fc.constantFrom(...ReviewFinding.options) }).map((data): DomainEvent => ({ type: 'ReviewItemRecorded', data })),
  fc.record({ item: fc.constantFrom(...ReviewItem.options), finding: fc.constantFrom(...ReviewFinding.options) }).map((data): DomainEvent => ({ type: 'ReviewFindingUpdated', data })),
  fc.record({ channel: fc.constantFrom(...ContactChannel.options), direction: fc.constantFrom('outgoing', 'incoming'), reached: fc.boolean(), attempt: fc.integer({ min: 1, max: 5 }), failedAttempts: fc.integer({ min: 0, max: 4 }) }).map((data): DomainEvent => ({ type: 'ContactAttempted', data })),
  fc.record({ decision: fc.constantFrom('given', 'refused'), mode: fc.constantFrom('signed-form', 'phone', 'in-person'), sharingWith: fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 2 }) }).map((data): DomainEvent => ({ type: 'ConsentRecorded', data })),
  fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 2 }).map((sharingWith): DomainEvent => ({ type: 'ConsentScopeChanged', data: { sharingWith } })),
  fc.record({ problems: some(ProblemCategory.options), strands: some(PlanStrand.options) }).map((data): DomainEvent => ({ type: 'NeedsIdentified', data })),
  fc.record({ actionId: ids, strand: fc.constantFrom(...PlanStrand.options) }).map(({ actionId, strand }): DomainEvent => ({ type: 'ActionPlanned', data: { actionId, strand, kind: 'other', owner: { kind: 'person' }, dueDate: '2026-12-31' } })),
  fc.record({ actionId: ids, status: fc.constantFrom(...ActionStatus.options) }).map((data): DomainEvent => ({ type: 'ActionStatusChanged', data })),
  fc.record({ referralId: ids, partner: fc.constantFrom(...Partner.options), strand: fc.constantFrom(...PlanStrand.options), sharesPersonalData: fc.boolean() }).map((data): DomainEvent => ({ type: 'PartnerReferralMade', data: { ...data, followUpBy: '2026-04-01' } })),
  fc.record({ referralId: ids, status: fc.constantFrom(...PartnerReferralStatus.options) }).map((data): DomainEvent => ({ type: 'PartnerReferralUpdated', data })),
  fc.record({ reason: fc.constantFrom(...ClosureReason.options), orientedTo: fc.uniqueArray(fc.constantFrom(...Partner.options), { maxLength: 2 }) }).map((data): DomainEvent => ({ type: 'CaseClosed', data })),
  fc.constantFrom('new-need', 'person-request', 'partner-request', 'closed-in-error').map((reason): DomainEvent => ({ type: 'CaseReopened', data: { reason } })),
);

const lifecycleEvent: fc.Arbitrary<LifecycleEvent> = fc
  .record({ fact, occurredAt: fc.constantFrom('2026-01-05T09:00:00.000Z', '2026-02-10T14:30:00.000Z', '2026-06-01T08:00:00.000Z'), supervisor: fc.boolean() })
  .map(({ fact, occurredAt, supervisor }) => ({ ...fact, occurredAt, actor: supervisor ? { role: 'supervisor', id: 'sup1' } : { role: 'counsellor', id: 'c1' } }));

/** A case file folded from random facts, whatever the machine would allow: guards then see every mix of consent, plan and agreement. */
const caseFile: fc.Arbitrary<CaseFile> = fc.array(lifecycleEvent, { maxLength: 25 }).map((events) => events.reduce(applyEvent, emptyCaseFile));

/** Start anywhere: each state the machine can rest in, with any case file. */
const start = fc.record({ path: fc.constantFrom(...caseLifecycle.states.map((s) => s.path)), context: caseFile });

/** The rule the lifecycle refused with before it was compiled, read from XState itself. */
function xstateRule(snapshot: XSnapshot, event: LifecycleEvent): string {
  const candidates = getNextTransitions(snapshot).filter((t) => t.eventType === event.type);
  const guards = candidates.flatMap((t) => guardName(t.guard) ?? []);
  return candidates.length === 0 || guards.length === 0 ? 'allowed-in-state' : guards.join('+');
}

const observed = (snapshot: CaseSnapshot | XSnapshot) => ({ value: snapshot.value, context: snapshot.context, tags: [...snapshot.tags].sort() });

interface Coverage {
  readonly states: Set<string>;
  guardedAllowed: number;
  guardedRefused: number;
  refusedInState: number;
  moved: number;
}

/** Runs facts through both from the same start, `next` choosing each from where the case is; fails on the first disagreement. */
function compare(path: string, context: CaseFile, steps: number, next: (at: CaseSnapshot, step: number) => LifecycleEvent, coverage: Coverage): void {
  let compiled = caseLifecycle.resolve(path, context);
  if (compiled === undefined) throw new Error(`state ${path} does not resolve`);
  let xstate: XSnapshot = caseMachine.resolveState({ value: compiled.value, context });
  expect(observed(compiled)).toEqual(observed(xstate));
  for (let step = 0; step < steps; step++) {
    const event = next(compiled, step);
    coverage.states.add(compiled.path);
    const allowed = xstate.can(event);
    const stepped = caseLifecycle.step(compiled, event);
    expect(stepped !== undefined, `${event.type} in ${compiled.path}`).toBe(allowed);
    const guarded = caseLifecycle.guardsFor(compiled, event.type).length > 0;
    const refusal = refusalOf({ snapshot: compiled, version: 1 }, event);
    if (allowed) {
      expect(refusal).toBeUndefined();
      [xstate] = transition(caseMachine, xstate, event);
      if (stepped?.path !== compiled.path) coverage.moved++;
      if (guarded) coverage.guardedAllowed++;
    } else {
      expect(refusal?.rule, `${event.type} in ${compiled.path}`).toBe(xstateRule(xstate, event));
      // XState leaves a refused snapshot as it was; so does the table (the caller keeps its state).
      expect(observed(transition(caseMachine, xstate, event)[0])).toEqual(observed(xstate));
      if (guarded) coverage.guardedRefused++;
      else coverage.refusedInState++;
    }
    compiled = stepped ?? compiled;
    expect(observed(compiled)).toEqual(observed(xstate));
  }
  coverage.states.add(compiled.path);
}

describe('applyEvent', () => {
  it('never changes the case file it is given (frozen here: a write would throw) and stamps the fact\'s time on a new one', () => {
    fc.assert(
      fc.property(caseFile, lifecycleEvent, (file, event) => {
        const before = structuredClone(file);
        const next = applyEvent(Object.freeze(file), event);
        expect(next).not.toBe(file);
        expect(next.lastOccurredAt).toBe(event.occurredAt);
        expect(file).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the compiled lifecycle', () => {
  it('agrees with XState on random facts from random states and case files: allowed or refused, rule, state, case file, tags', () => {
    const coverage: Coverage = { states: new Set(), guardedAllowed: 0, guardedRefused: 0, refusedInState: 0, moved: 0 };
    fc.assert(
      fc.property(start, fc.array(lifecycleEvent, { minLength: 1, maxLength: 30 }), ({ path, context }, events) => {
        compare(path, context, events.length, (_, step) => events[step] ?? events[0]!, coverage);
      }),
      { numRuns: 400 },
    );
    // The generators are not stuck: every state is visited, guards pass and fail, states refuse facts.
    expect([...coverage.states].sort()).toEqual(caseLifecycle.states.map((s) => s.path).sort());
    expect(coverage.guardedAllowed).toBeGreaterThan(20);
    expect(coverage.guardedRefused).toBeGreaterThan(20);
    expect(coverage.refusedInState).toBeGreaterThan(50);
    expect(coverage.moved).toBeGreaterThan(50);
  }, 60_000);

  it('agrees with XState along case histories from the start, mostly with facts the state has transitions for', () => {
    const coverage: Coverage = { states: new Set(), guardedAllowed: 0, guardedRefused: 0, refusedInState: 0, moved: 0 };
    const table = caseLifecycle.table();
    const ended = new Set(caseLifecycle.states.filter((state) => state.tags.has('ended')).map((state) => state.path));
    /** Facts that may move the case on, not to its end (a guard may still refuse them), in the state it is in. */
    const forward = (at: CaseSnapshot, event: LifecycleEvent) => table.get(at.path)?.get(event.type)?.some((c) => c.target !== undefined && !ended.has(c.target)) ?? false;
    /** Facts the state has a transition for, moving or not. */
    const known = (at: CaseSnapshot, event: LifecycleEvent) => table.get(at.path)?.has(event.type) ?? false;
    const history = fc.record({
      pool: fc.array(lifecycleEvent, { minLength: 80, maxLength: 120 }),
      picks: fc.array(fc.record({ sensible: fc.integer({ min: 0, max: 3 }), pick: fc.noBias(fc.nat()) }), { minLength: 10, maxLength: 60 }),
    });
    fc.assert(
      fc.property(history, ({ pool, picks }) => {
        compare('none', emptyCaseFile, picks.length, (at, step) => {
          const { sensible, pick } = picks[step] ?? { sensible: 0, pick: 0 };
          // Half the time a fact that moves the case on, a quarter one the state knows (planning needs
          // plan items before its plan can be agreed, an ended case takes bookkeeping), else any fact.
          const among = (accepts: (at: CaseSnapshot, event: LifecycleEvent) => boolean) => pool.filter((event) => accepts(at, event));
          const candidates = [sensible === 0 ? pool : [], sensible < 3 ? among(forward) : [], among(known), pool].find((list) => list.length > 0) ?? pool;
          const event = candidates[pick % candidates.length];
          if (event === undefined) throw new Error('empty pool');
          return event;
        }, coverage);
      }),
      { numRuns: 120 },
    );
    for (const path of ['accompaniment', 'contact.consentRefused', 'closed', 'redirected', 'declined']) expect(coverage.states).toContain(path);
    expect(coverage.guardedAllowed).toBeGreaterThan(50);
    expect(coverage.guardedRefused).toBeGreaterThan(0);
  }, 60_000);
});

/** `event` as a stream holds it, at `version`. */
function stored(event: LifecycleEvent, version: number): CaseEvent {
  const { occurredAt, actor, ...fact } = event;
  const id = `e${version}`;
  const meta = { eventId: id, caseId: 'case-1', version, occurredAt, recordedAt: occurredAt, actor, correlationId: id, causationId: id, commandId: `c${version}`, schemaVersion: 1 };
  return { ...fact, meta } as CaseEvent;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The state replay gives, or the message of what it threw. */
function outcome(run: () => CaseState): { readonly state: ReturnType<typeof observed> & { readonly version: number } } | { readonly error: string } {
  try {
    const state = run();
    return { state: { ...observed(state.snapshot), version: state.version } };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe('replay', () => {
  it('rebuilds exactly what folding the pure evolve does — state, case file, version, or the same error — and never writes the state it starts from', () => {
    let long = 0;
    let planned = 0;
    let refused = 0;
    const history = fc.record({
      pool: fc.array(lifecycleEvent, { minLength: 50, maxLength: 80 }),
      picks: fc.array(fc.record({ onward: fc.integer({ min: 0, max: 3 }), pick: fc.noBias(fc.nat()) }), { minLength: 30, maxLength: 150, size: 'max' }),
      split: fc.nat(),
      // Now and then a fact the machine may refuse, or a version gap: both ways must fail alike.
      spoil: fc.record({ at: fc.nat(), fact: lifecycleEvent, gap: fc.boolean(), odds: fc.integer({ min: 0, max: 3 }) }).map((spoil) => (spoil.odds === 0 ? spoil : undefined)),
    });
    fc.assert(
      fc.property(history, ({ pool, picks, split, spoil }) => {
        // A history the machine accepts: at each step, one of the pool's facts allowed where the case is.
        // Half the time one that moves the case on, a quarter of the time one that does not end it:
        // cases get to their plan and live long there.
        const facts: LifecycleEvent[] = [];
        let at = initialCaseState.snapshot;
        for (const { onward, pick } of picks) {
          const allowed = pool.flatMap((event) => {
            const next = caseLifecycle.step(at, event);
            return next === undefined ? [] : [{ event, next }];
          });
          const moving = allowed.filter(({ next }) => next.path !== at.path && !next.tags.has('ended'));
          const alive = allowed.filter(({ next }) => !next.tags.has('ended'));
          const among = [onward < 2 ? moving : [], onward < 3 ? alive : [], allowed].find((list) => list.length > 0) ?? allowed;
          const chosen = among[pick % Math.max(1, among.length)];
          if (chosen === undefined) break;
          facts.push(chosen.event);
          at = chosen.next;
        }
        if (spoil) facts.splice(spoil.at % (facts.length + 1), 0, spoil.fact);
        const events = facts.map((fact, index) => stored(fact, spoil?.gap && index >= spoil.at % (facts.length + 1) ? index + 2 : index + 1));
        // Start from the state after a prefix, folded the pure way and frozen: replay must not write it.
        const cut = split % (events.length + 1);
        const start = outcome(() => events.slice(0, cut).reduce(evolve, initialCaseState));
        if ('error' in start) return;
        const from = deepFreeze(events.slice(0, cut).reduce(evolve, initialCaseState));
        const before = structuredClone(from.snapshot.context);
        const rest = events.slice(cut);
        const pure = outcome(() => rest.reduce(evolve, from));
        expect(outcome(() => replay(rest, from))).toEqual(pure);
        expect(from.snapshot.context).toEqual(before);
        // And from the start.
        expect(outcome(() => replay(events))).toEqual(outcome(() => events.reduce(evolve, initialCaseState)));
        if ('error' in pure) refused++;
        if ('state' in pure && Object.keys(pure.state.context.actions).length + Object.keys(pure.state.context.partnerReferrals).length > 0) planned++;
        if (rest.length >= 30) long++;
      }),
      { numRuns: 150 },
    );
    // Not stuck: long histories were replayed, cases with a plan of actions, and refusals compared.
    expect(long).toBeGreaterThan(20);
    expect(planned).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  }, 60_000);
});
