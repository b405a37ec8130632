/**
 * The lifecycle compiler reproduces only the XState features the lifecycle uses, and refuses every
 * other one by name: a machine that starts using one must fail here (and at load), never compile
 * into a table that disagrees with XState.
 */
import { and, assign, createMachine, log, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { caseLifecycle } from './case-state.ts';
import { compileMachine } from './compile-machine.ts';
import { UnsupportedMachineFeatureError, type ShapeMachine } from './machine-shape.ts';

interface Counter {
  readonly n: number;
}
type Tick = { readonly type: 'TICK' } | { readonly type: 'STOP' };

const parseCounter = (context: unknown): Counter => {
  if (typeof context === 'object' && context !== null && typeof Reflect.get(context, 'n') === 'number') return { n: Number(Reflect.get(context, 'n')) };
  throw new Error('not a counter');
};

/** The parts every synthetic machine shares: a named assign and a named guard, as the lifecycle has. */
const base = setup({
  types: { context: {} as Counter, events: {} as Tick },
  actions: { count: assign(({ context }) => ({ n: context.n + 1 })), say: log('hello') },
  guards: { small: ({ context }) => context.n < 3, big: ({ context }) => context.n >= 3, both: and(['small', 'big']) },
});

const compile = (machine: ShapeMachine) => compileMachine<Counter, Tick>(machine, parseCounter);

/** One machine per unsupported feature, each with the feature in state `a` (or on the root). */
const unsupported: ReadonlyArray<readonly [string, string, ShapeMachine]> = [
  ['entry actions', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { entry: 'count' } } })],
  ['exit actions', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { exit: 'count' } } })],
  ['eventless transitions (always)', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { always: { target: 'b' } }, b: {} } })],
  ['delayed transitions (after)', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { after: { 1000: 'b' } }, b: {} } })],
  ['invoked actors (invoke)', 'a', setup({ actors: { child: createMachine({}) } }).createMachine({ context: { n: 0 }, initial: 'a', states: { a: { invoke: { src: 'child' } } } })],
  ['history states', 'a.h', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { initial: 'x', states: { x: {}, h: { type: 'history' } } } } })],
  ['parallel states', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { type: 'parallel', states: { x: {}, y: {} } } } })],
  ['final states', 'b', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { STOP: 'b' } }, b: { type: 'final', output: { done: true } } } })],
  ['onDone transitions', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { initial: 'x', onDone: 'b', states: { x: {} } }, b: {} } })],
  ['inline guards', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: { guard: ({ context }) => context.n > 0, actions: 'count' } } } } })],
  ['guards with params', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: { guard: { type: 'small', params: { max: 2 } }, actions: 'count' } } } } })],
  ['higher-order guards', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: { guard: 'both', actions: 'count' } } } } })],
  ['inline actions', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: { actions: assign({ n: 1 }) } } } } })],
  ['actions other than assign', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: { actions: 'say' } } } } })],
  ['wildcard event descriptors', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { '*': { actions: 'count' } } } } })],
  ['forbidden transitions (no target, no action)', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: {} } } } })],
  ['initial actions', 'a', base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { initial: { target: 'x', actions: 'count' }, states: { x: {} } } } })],
  ['output', '#(machine)', base.createMachine({ id: '(machine)', context: { n: 0 }, output: { n: 1 }, initial: 'a', states: { a: {} } })],
  ['a context factory', '#(machine)', base.createMachine({ id: '(machine)', context: () => ({ n: 0 }), initial: 'a', states: { a: {} } })],
];

describe('the lifecycle compiler', () => {
  it.each(unsupported)('refuses %s, naming the feature and the state', (feature, state, machine) => {
    let thrown: unknown;
    try {
      compile(machine);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedMachineFeatureError);
    expect(thrown).toMatchObject({ feature, state });
    expect(String(thrown)).toContain(`${feature} (state '${state}')`);
  });

  it('refuses an action name the machine does not implement', () => {
    // XState itself only notices a missing implementation when the transition runs.
    const machine = base.createMachine({ context: { n: 0 }, initial: 'a', states: { a: { on: { TICK: { actions: 'count' } } } } });
    const withoutCount: ShapeMachine = { ...machine, root: machine.root, config: machine.config, implementations: { ...machine.implementations, actions: {} } };
    expect(() => compile(withoutCount)).toThrow("an unknown action (state 'a'): count");
  });

  it('compiles what the lifecycle uses: compound states, relative and #id targets, guarded candidates in order, tags', () => {
    const machine = base.createMachine({
      id: 'm',
      context: { n: 0 },
      initial: 'a',
      on: { STOP: { target: '#m.b', actions: 'count' } },
      states: {
        a: {
          tags: ['open'],
          initial: 'x',
          on: { TICK: { actions: 'count' } },
          states: { x: { tags: ['first'], on: { TICK: [{ guard: 'big', target: 'y' }, { guard: 'small', target: '#m.b', actions: ['count', 'count'] }] } }, y: {} },
        },
        b: { on: { TICK: 'a' } },
      },
    });
    const compiled = compile(machine);
    expect(compiled.initial).toEqual({ path: 'a.x', value: { a: 'x' }, tags: new Set(['open', 'first']), context: { n: 0 } });
    expect(compiled.table().get('a.x')?.get('TICK')).toEqual([
      { guard: 'big', target: 'a.y', actions: [] },
      { guard: 'small', target: 'b', actions: ['count', 'count'] },
      { guard: undefined, target: undefined, actions: ['count'] },
    ]);
    const moved = compiled.step(compiled.initial, { type: 'TICK' });
    expect(moved).toEqual({ path: 'b', value: 'b', tags: new Set(), context: { n: 2 } });
    // A transition to a compound state enters its initial child.
    expect(moved && compiled.step(moved, { type: 'TICK' })?.path).toBe('a.x');
    expect(compiled.step({ ...compiled.initial, context: { n: 3 } }, { type: 'TICK' })?.path).toBe('a.y');
    expect(compiled.resolve('a', { n: 0 })?.path).toBe('a.x');
    expect(compiled.resolve({ a: 'nowhere' }, { n: 0 })).toBeUndefined();
  });

  it('compiles the case machine: every state, and the same guards XState lists', () => {
    expect(caseLifecycle.states.map((s) => s.path)).toEqual([
      'none', 'triage', 'review', 'contact.awaiting', 'contact.reached', 'contact.consentRefused',
      'planning', 'accompaniment', 'closed', 'redirected', 'declined',
    ]);
    expect(caseLifecycle.table().get('closed')?.get('CaseReopened')).toEqual([
      { guard: 'plan-was-agreed', target: 'accompaniment', actions: ['record'] },
      { guard: undefined, target: 'contact.awaiting', actions: ['record'] },
    ]);
  });
});
