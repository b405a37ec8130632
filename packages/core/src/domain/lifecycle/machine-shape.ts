/**
 * The parts of an XState 5 machine the lifecycle compiler reads, typed structurally so that the
 * compiler depends on what XState exposes on its state nodes (`root`, `states`, `transitions`,
 * `initial`, `tags`…) and on nothing private. Every other feature a node may carry is listed here
 * only so that the compiler can refuse it by name.
 */

/** A transition as XState 5 resolves it (`TransitionDefinition`). */
export interface ShapeTransition {
  readonly eventType: string;
  /** Resolved state nodes (`#case.closed` and relative keys already looked up); undefined when targetless. */
  readonly target: readonly ShapeNode[] | undefined;
  /** As declared: a guard name, a `{ type, params }` object or an inline function. */
  readonly guard?: unknown;
  /** As declared: action names, `{ type, params }` objects or inline actions. */
  readonly actions: readonly unknown[];
  readonly reenter: boolean;
}

/** A state node as XState 5 exposes it. */
export interface ShapeNode {
  readonly id: string;
  readonly key: string;
  readonly path: readonly string[];
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly tags: readonly string[];
  readonly order: number;
  readonly states: Readonly<Record<string, ShapeNode>>;
  /** Candidates per event descriptor, in the order XState tries them. */
  readonly transitions: ReadonlyMap<string, readonly ShapeTransition[]>;
  readonly initial: { readonly target: readonly ShapeNode[]; readonly actions: readonly unknown[] } | undefined;
  readonly entry: readonly unknown[];
  readonly exit: readonly unknown[];
  readonly always?: readonly unknown[] | undefined;
  readonly invoke: readonly unknown[];
  readonly output?: unknown;
  /** The raw config, read only to find features that leave no other trace (`after`, `onDone`, `route`). */
  readonly config: object;
}

/** Anything shaped like an XState 5 machine (`setup(...).createMachine(...)`). */
export interface ShapeMachine {
  readonly root: ShapeNode;
  readonly config: object;
  readonly implementations: {
    readonly guards: Readonly<Record<string, unknown>>;
    readonly actions: Readonly<Record<string, unknown>>;
  };
}

/** Thrown when a machine uses an XState feature the lifecycle compiler does not reproduce. */
export class UnsupportedMachineFeatureError extends Error {
  /** The XState feature, e.g. `entry actions`. */
  readonly feature: string;
  /** The dotted path of the state that uses it (`#id` for the machine's root). */
  readonly state: string;

  constructor(feature: string, state: string, detail = '') {
    super(`the lifecycle compiler does not handle ${feature} (state '${state}')${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'UnsupportedMachineFeatureError';
    this.feature = feature;
    this.state = state;
  }
}

/** Reads a key of a raw config object without trusting its type. */
export function configValue(config: object, key: string): unknown {
  return Reflect.get(config, key);
}

/** The dotted path of a node, `#id` for the root: how errors and the table name it. */
export function nodeName(node: ShapeNode): string {
  return node.path.length === 0 ? `#${node.id}` : node.path.join('.');
}
