/**
 * Compiles an XState 5 machine, once, into a transition table: for each state a case can rest in
 * (an atomic state) and each event type, the ordered candidates XState would try — guard, target,
 * actions — gathered from the state and then its ancestors, as XState selects them.
 *
 * The machine stays the one definition of what is allowed; the table is read from its own state
 * nodes, never written by hand. Stepping through the table costs a map lookup, the guards and the
 * `assign` reducers, where XState's `transition()` builds snapshots, microsteps and action lists.
 *
 * Only what the lifecycle uses is compiled: compound states with `initial`, absolute (`#id.x`) and
 * relative targets, ordered candidates with named guards, named `assign` actions, tags and
 * targetless transitions. Anything else (entry/exit actions, `always`, `after`, `invoke`, history,
 * parallel or final states, inline guards or actions…) throws `UnsupportedMachineFeatureError`,
 * naming the feature and the state, so the table can never silently disagree with the machine.
 */
export { CompiledMachine, type CompiledSnapshot, type CompiledState, type MachineStateValue, type SelectedTransition, type TableCandidate } from './compiled-machine.ts';
import { CompiledMachine, type Candidate, type CompiledSnapshot, type CompiledState, type Guard, type GuardArgs, type MachineStateValue, type Reducer, type Row } from './compiled-machine.ts';
import { configValue, nodeName, UnsupportedMachineFeatureError, type ShapeMachine, type ShapeNode, type ShapeTransition } from './machine-shape.ts';

function valueOf(path: readonly string[]): MachineStateValue {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error('the root has no state value');
  return rest.length === 0 ? head : { [head]: valueOf(rest) };
}

function isFunction<T>(value: unknown): value is T {
  return typeof value === 'function';
}

function isAncestorOrSelf(ancestor: ShapeNode, node: ShapeNode): boolean {
  return ancestor.path.length <= node.path.length && ancestor.path.every((key, depth) => node.path[depth] === key);
}

/** The nodes of the machine, parents before children, in document order. */
function walk(node: ShapeNode): ShapeNode[] {
  const children = Object.values(node.states).sort((a, b) => a.order - b.order);
  return [node, ...children.flatMap(walk)];
}

/** Refuses, by name, every feature of a node the table cannot reproduce. */
function checkNode(node: ShapeNode): void {
  const name = nodeName(node);
  const refuse = (feature: string, detail?: string): never => {
    throw new UnsupportedMachineFeatureError(feature, name, detail);
  };
  if (node.type === 'parallel') refuse('parallel states');
  if (node.type === 'history') refuse('history states');
  if (node.type === 'final') refuse('final states', 'reaching one stops the machine (and may produce output)');
  // `after` is checked before entry/exit: XState turns each delay into entry and exit actions.
  if (configValue(node.config, 'after') !== undefined) refuse('delayed transitions (after)');
  if (node.always !== undefined && node.always.length > 0) refuse('eventless transitions (always)');
  if (node.invoke.length > 0) refuse('invoked actors (invoke)');
  if (configValue(node.config, 'onDone') !== undefined) refuse('onDone transitions');
  if (configValue(node.config, 'route') !== undefined) refuse('route transitions');
  if (node.entry.length > 0) refuse('entry actions');
  if (node.exit.length > 0) refuse('exit actions');
  if (node.output !== undefined) refuse('output');
  for (const key of Object.keys(node.states)) if (key.includes('.')) refuse('a state key with a dot', key);
  if (node.type === 'compound') {
    const initial = node.initial;
    if (initial === undefined || initial.target.length !== 1) refuse('a compound state without one initial child');
    if (initial !== undefined && initial.actions.length > 0) refuse('initial actions');
  }
}

/** The atomic state a transition to `node` ends in: compound states enter their initial child. */
function restingOf(node: ShapeNode): ShapeNode {
  const [child] = node.type === 'compound' ? (node.initial?.target ?? []) : [];
  return child === undefined ? node : restingOf(child);
}

/** A declared guard or action reduced to its name; anything inline, unnamed or parameterised is refused. */
function declaredName(declared: unknown, what: 'guards' | 'actions', state: string): string {
  if (typeof declared === 'string') return declared;
  if (typeof declared === 'function') throw new UnsupportedMachineFeatureError(`inline ${what}`, state);
  if (typeof declared === 'object' && declared !== null) {
    const type: unknown = Reflect.get(declared, 'type');
    if (Reflect.get(declared, 'params') !== undefined) throw new UnsupportedMachineFeatureError(`${what} with params`, state, String(type));
    if (typeof type === 'string') return type;
  }
  throw new UnsupportedMachineFeatureError(`unnamed ${what}`, state);
}

function compileGuard<C, E>(machine: ShapeMachine, declared: unknown, state: string): { name: string; guard: Guard<C, E> } {
  const name = declaredName(declared, 'guards', state);
  const guard = machine.implementations.guards[name];
  if (guard === undefined) throw new UnsupportedMachineFeatureError('an unknown guard', state, name);
  // Higher-order guards (`and`, `or`, `not`, `stateIn`) carry a `check` and read the snapshot.
  if (!isFunction<Guard<C, E>>(guard) || 'check' in guard) throw new UnsupportedMachineFeatureError('higher-order guards', state, name);
  return { name, guard };
}

type Assignment<C, E> = (args: GuardArgs<C, E>, params: undefined) => Partial<C>;

function compileAction<C extends object, E>(machine: ShapeMachine, declared: unknown, state: string): { name: string; reduce: Reducer<C, E> } {
  const name = declaredName(declared, 'actions', state);
  const action = machine.implementations.actions[name];
  if (action === undefined) throw new UnsupportedMachineFeatureError('an unknown action', state, name);
  const assignment: unknown = typeof action === 'function' && Reflect.get(action, 'type') === 'xstate.assign' ? Reflect.get(action, 'assignment') : undefined;
  // As XState's `assign`: the assigner's result is merged over the context.
  if (isFunction<Assignment<C, E>>(assignment)) {
    return { name, reduce: (context, event) => ({ ...context, ...assignment({ context, event }, undefined) }) };
  }
  if (typeof assignment === 'object' && assignment !== null) {
    const entries = Object.entries(assignment);
    return {
      name,
      reduce: (context, event) => {
        const update: Record<string, unknown> = {};
        for (const [key, value] of entries) update[key] = isFunction<Assignment<C, E>>(value) ? value({ context, event }, undefined) : value;
        return { ...context, ...update };
      },
    };
  }
  throw new UnsupportedMachineFeatureError('actions other than assign', state, name);
}

function compileTransition<C extends object, E>(machine: ShapeMachine, transition: ShapeTransition, source: ShapeNode, resting: ReadonlyMap<ShapeNode, CompiledState>): Candidate<C, E> {
  const state = nodeName(source);
  const { eventType } = transition;
  if (eventType.includes('*')) throw new UnsupportedMachineFeatureError('wildcard event descriptors', state, eventType);
  if (eventType.startsWith('xstate.')) throw new UnsupportedMachineFeatureError('built-in events', state, eventType);
  const guard = transition.guard === undefined ? undefined : compileGuard<C, E>(machine, transition.guard, state);
  const actions = transition.actions.map((declared) => compileAction<C, E>(machine, declared, state));
  const targets = transition.target ?? [];
  if (targets.length > 1) throw new UnsupportedMachineFeatureError('multiple targets', state, eventType);
  const [targetNode] = targets;
  // XState lets such a transition block its ancestors' without doing anything: not a case the lifecycle needs.
  if (targetNode === undefined && actions.length === 0) throw new UnsupportedMachineFeatureError('forbidden transitions (no target, no action)', state, eventType);
  const target = targetNode === undefined ? undefined : resting.get(restingOf(targetNode));
  if (targetNode !== undefined && target === undefined) throw new UnsupportedMachineFeatureError('a target that is not a state', state, eventType);
  const names = actions.map((a) => a.name);
  return {
    data: { guard: guard?.name, target: target?.path, actions: names },
    guard: guard?.guard,
    target,
    reducers: actions.map((a) => a.reduce),
    selected: { target, actions: names },
  };
}

/**
 * Compiles `machine`. `parseContext` validates the machine's initial context (its `context`
 * config), which is how the compiled machine gets a typed context without trusting a cast.
 * Throws `UnsupportedMachineFeatureError` on any feature the table cannot reproduce.
 */
export function compileMachine<C extends object, E extends { readonly type: string }>(machine: ShapeMachine, parseContext: (context: unknown) => C): CompiledMachine<C, E> {
  const nodes = walk(machine.root);
  nodes.forEach(checkNode);
  if (nodes.length === 1) throw new UnsupportedMachineFeatureError('a machine without states', nodeName(machine.root));
  const rawContext = configValue(machine.config, 'context');
  if (typeof rawContext === 'function') throw new UnsupportedMachineFeatureError('a context factory', nodeName(machine.root));

  const atomic = nodes.filter((node) => node.type === 'atomic');
  const resting = new Map<ShapeNode, CompiledState>();
  for (const node of atomic) {
    // As XState's `snapshot.tags`: the tags of every active node, the state and its ancestors.
    const tags = new Set(nodes.filter((n) => isAncestorOrSelf(n, node)).flatMap((n) => n.tags));
    resting.set(node, { path: node.path.join('.'), value: valueOf(node.path), tags });
  }
  const ownCandidates = new Map(nodes.map((node) => [node, new Map([...node.transitions].map(([eventType, list]) => [eventType, list.map((t) => compileTransition<C, E>(machine, t, node, resting))]))]));

  const rows = new Map<string, Map<string, Row<C, E>>>();
  for (const node of atomic) {
    // The node first, then its ancestors: the order in which XState looks for an enabled transition.
    const chain = nodes.filter((n) => isAncestorOrSelf(n, node)).sort((a, b) => b.path.length - a.path.length);
    const row = new Map<string, Candidate<C, E>[]>();
    for (const owner of chain) {
      for (const [eventType, candidates] of ownCandidates.get(owner) ?? []) {
        row.set(eventType, [...(row.get(eventType) ?? []), ...candidates]);
      }
    }
    const compiled = resting.get(node);
    if (compiled === undefined) throw new Error(`state ${nodeName(node)} was not compiled`);
    rows.set(compiled.path, new Map([...row].map(([eventType, candidates]) => [eventType, { candidates, guards: candidates.flatMap((c) => c.data.guard ?? []) }])));
  }

  // Every path of the machine resolves to where a snapshot rests: compound ones to their initial descendant.
  const restingByPath = new Map<string, CompiledState>();
  for (const node of nodes) {
    const state = resting.get(restingOf(node));
    if (node.path.length > 0 && state !== undefined) restingByPath.set(node.path.join('.'), state);
  }
  const start = resting.get(restingOf(machine.root));
  if (start === undefined) throw new UnsupportedMachineFeatureError('a machine without an initial state', nodeName(machine.root));
  const initial: CompiledSnapshot<C> = { path: start.path, value: start.value, tags: start.tags, context: parseContext(rawContext) };
  return new CompiledMachine<C, E>(initial, [...resting.values()], rows, restingByPath);
}
