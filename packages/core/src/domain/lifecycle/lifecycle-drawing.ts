/**
 * The case lifecycle read from the XState machine itself, so that every picture of it (the
 * generated `docs/lifecycle.md`, the `misas report` page) cannot disagree with the rules `decide`
 * enforces: a Mermaid `stateDiagram-v2` of the transitions that move a case, the facts each state
 * records without moving, and the list of states.
 *
 * Only what XState 5 exposes on its state nodes is read (`root`, `states`, `transitions`,
 * `initial`, `description`, `tags`, `order`); a machine using a feature this drawing does not
 * know (parallel or history states, `always`, `after`, `invoke`) is refused rather than drawn
 * wrong.
 */
import { caseMachine } from './machine.ts';

/** A transition as XState 5 resolves it (`TransitionDefinition`), reduced to what is drawn. */
export interface MachineTransition {
  readonly eventType: string;
  /** Resolved state nodes (`#case.closed` already looked up); undefined when targetless. */
  readonly target: readonly MachineStateNode[] | undefined;
  /** As declared: a guard name, a `{ type }` object or an inline function. */
  readonly guard?: unknown;
}

/** A state node as XState 5 exposes it, reduced to what is drawn. */
export interface MachineStateNode {
  readonly key: string;
  readonly path: readonly string[];
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly description?: string | undefined;
  readonly tags: readonly string[];
  /** Document order of the node in the machine's config. */
  readonly order: number;
  readonly states: Readonly<Record<string, MachineStateNode>>;
  /** Candidates per event type, in the order XState tries them. */
  readonly transitions: ReadonlyMap<string, readonly MachineTransition[]>;
  readonly initial: { readonly target: readonly MachineStateNode[] };
  readonly always?: readonly unknown[] | undefined;
  readonly after: readonly unknown[];
  readonly invoke: readonly unknown[];
}

/** Anything shaped like an XState 5 machine: typed structurally so tests can pass their own. */
export interface DrawableMachine {
  readonly root: MachineStateNode;
}

/** An event a state records while staying where it is. */
export interface StayingEvent {
  readonly eventType: string;
  /** The guard of the targetless transition itself, if any. */
  readonly guard?: string;
  /** Guards of transitions tried first (the event moves the case when one of them holds). */
  readonly unless: readonly string[];
}

/** One state the case can rest in, with what it records without moving. */
export interface StateEventRow {
  /** Dotted path, e.g. `contact.reached`. */
  readonly state: string;
  readonly events: readonly StayingEvent[];
}

/** The events accepted without moving, per state. */
export interface LifecycleEventTable {
  /** Recorded the same way in every state (declared on the machine's root). */
  readonly everywhere: readonly StayingEvent[];
  /** One row per state a case can rest in (atomic or final), in the machine's document order. */
  readonly states: readonly StateEventRow[];
}

/** One state node for the states table. */
export interface StateSummary {
  /** Dotted path, e.g. `contact.reached`. */
  readonly state: string;
  readonly type: MachineStateNode['type'];
  readonly tags: readonly string[];
  readonly description: string | undefined;
  /** Dotted path of the initial substate of a compound state. */
  readonly initial: string | undefined;
}

// Words the stateDiagram grammar reads as keywords when they start a statement.
const mermaidKeywords = new Set(['state', 'note', 'class', 'classdef', 'style', 'direction', 'click', 'hide', 'scale', 'end']);

function dotted(node: MachineStateNode): string {
  return node.path.join('.');
}

/** Mermaid ids cannot hold dots or hyphens, so a path becomes `contact_reached`. */
function mermaidId(node: MachineStateNode): string {
  const id = node.path.join('_');
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(id) || mermaidKeywords.has(id.toLowerCase())) {
    throw new Error(`state ${dotted(node)} cannot be named ${JSON.stringify(id)} in a Mermaid diagram`);
  }
  return id;
}

/** A label lasts until `:`, `;` or the end of the line in stateDiagram, so those cannot appear. */
function mermaidLabel(text: string): string {
  if (/[:;\n\r]/.test(text)) throw new Error(`${JSON.stringify(text)} cannot be a Mermaid transition label`);
  return text;
}

/** The name a guard is known by, whichever way it was declared. */
export function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name !== '' ? guard.name : 'inline guard';
  if (typeof guard === 'object' && guard !== null) {
    const type: unknown = Reflect.get(guard, 'type');
    if (typeof type === 'string') return type;
  }
  return 'guard';
}

function children(node: MachineStateNode): MachineStateNode[] {
  return Object.values(node.states).sort((a, b) => a.order - b.order);
}

/** Every node below `node`, parents before their children, in document order. */
function descendants(node: MachineStateNode): MachineStateNode[] {
  return children(node).flatMap((child) => [child, ...descendants(child)]);
}

/** Refuses what this drawing would silently leave out or draw wrong. */
function assertDrawable(node: MachineStateNode): void {
  const where = node.path.length === 0 ? 'the root' : `state ${dotted(node)}`;
  if (node.type === 'parallel' || node.type === 'history') throw new Error(`${where} is ${node.type}: not drawn`);
  if ((node.always?.length ?? 0) > 0) throw new Error(`${where} has eventless (always) transitions: not drawn`);
  if (node.after.length > 0) throw new Error(`${where} has delayed (after) transitions: not drawn`);
  if (node.invoke.length > 0) throw new Error(`${where} invokes actors: not drawn`);
  for (const [eventType, candidates] of node.transitions) {
    for (const candidate of candidates) {
      if ((candidate.target?.length ?? 0) > 1) throw new Error(`${where} on ${eventType} has several targets: not drawn`);
      // A diagram has no node for "any state" to draw such an arrow from.
      if (node.path.length === 0 && candidate.target !== undefined) throw new Error(`the root moves the case on ${eventType}: not drawn`);
    }
  }
  for (const child of children(node)) assertDrawable(child);
}

function isAncestorOrSelf(ancestor: MachineStateNode, node: MachineStateNode): boolean {
  return ancestor.path.length <= node.path.length && ancestor.path.every((key, i) => node.path[i] === key);
}

/** The nodes from the root down to `node`, both included. */
function lineage(root: MachineStateNode, node: MachineStateNode): MachineStateNode[] {
  const chain = [root];
  let current = root;
  for (const key of node.path) {
    const next = current.states[key];
    if (next === undefined) throw new Error(`no state ${node.path.join('.')} under the root`);
    chain.push(next);
    current = next;
  }
  return chain;
}

/**
 * The block an arrow is written in: the deepest composite holding both ends strictly inside it.
 * An arrow written inside `state contact { … }` would pull an outside state into the composite.
 */
function enclosingBlock(root: MachineStateNode, source: MachineStateNode, target: MachineStateNode): MachineStateNode {
  const shared = lineage(root, source).filter((n) => isAncestorOrSelf(n, target));
  const candidates = shared.filter((n) => n.path.length < source.path.length && n.path.length < target.path.length);
  const block = candidates.at(-1);
  if (block === undefined) throw new Error('no enclosing block');
  return block;
}

interface Arrow {
  readonly from: MachineStateNode;
  readonly to: MachineStateNode;
  readonly label: string;
}

/** Transitions that move the case, in the order XState tries them, from where they are declared. */
function arrows(root: MachineStateNode): Arrow[] {
  const result: Arrow[] = [];
  for (const source of [root, ...descendants(root)]) {
    for (const [eventType, candidates] of source.transitions) {
      for (const candidate of candidates) {
        const to = candidate.target?.[0];
        if (to === undefined) continue;
        const guard = guardName(candidate.guard);
        result.push({ from: source, to, label: mermaidLabel(guard === undefined ? eventType : `${eventType} [${guard}]`) });
      }
    }
  }
  return result;
}

/**
 * The lifecycle as a Mermaid `stateDiagram-v2`.
 *
 * Arrows are the transitions that change state, labelled `Event [guard]`, drawn from the node
 * that declares them (a transition declared on a composite leaves from the composite). Targetless
 * transitions only record data and are left to {@link lifecycleEventTable}.
 */
export function lifecycleMermaid(machine: DrawableMachine = caseMachine): string {
  const root = machine.root;
  assertDrawable(root);
  const all = arrows(root);
  const lines = ['stateDiagram-v2'];

  const writeBlock = (block: MachineStateNode, depth: number): void => {
    const indent = '    '.repeat(depth);
    for (const child of children(block)) {
      const id = mermaidId(child);
      // Nested ids carry their parent's name; the declaration shows the state's own key.
      if (block !== root && child.type !== 'compound') lines.push(`${indent}state "${child.key}" as ${id}`);
      if (child.type === 'compound') {
        lines.push(`${indent}state ${id} {`);
        writeBlock(child, depth + 1);
        lines.push(`${indent}}`);
      }
    }
    const initial = block.initial.target[0];
    if (initial !== undefined) lines.push(`${indent}[*] --> ${mermaidId(initial)}`);
    for (const arrow of all) {
      if (enclosingBlock(root, arrow.from, arrow.to) !== block) continue;
      lines.push(`${indent}${mermaidId(arrow.from)} --> ${mermaidId(arrow.to)} : ${arrow.label}`);
    }
    for (const child of children(block)) {
      if (child.type === 'final') lines.push(`${indent}${mermaidId(child)} --> [*]`);
    }
  };

  writeBlock(root, 1);
  return `${lines.join('\n')}\n`;
}

/**
 * What each resting state records without moving, following XState's own order: a leaf's
 * candidates are tried first, then its ancestors', and the first whose guard holds wins. A
 * targetless candidate behind an unguarded one can never be taken, so it is left out.
 */
export function lifecycleEventTable(machine: DrawableMachine = caseMachine): LifecycleEventTable {
  const root = machine.root;
  assertDrawable(root);
  const leaves = descendants(root).filter((n) => n.type === 'atomic' || n.type === 'final');

  const staying = (leaf: MachineStateNode): Array<StayingEvent & { readonly fromRoot: boolean }> => {
    const chain = lineage(root, leaf).reverse();
    const eventTypes = new Set(chain.flatMap((n) => [...n.transitions.keys()]));
    const result: Array<StayingEvent & { readonly fromRoot: boolean }> = [];
    for (const eventType of [...eventTypes].sort()) {
      const candidates = chain.flatMap((node) => (node.transitions.get(eventType) ?? []).map((candidate) => ({ node, candidate })));
      const unless: string[] = [];
      for (const { node, candidate } of candidates) {
        const guard = guardName(candidate.guard);
        if (candidate.target === undefined) {
          result.push({ eventType, ...(guard === undefined ? {} : { guard }), unless: [...unless], fromRoot: node === root });
        } else if (guard !== undefined) {
          unless.push(guard);
        }
        if (guard === undefined) break;
      }
    }
    return result;
  };

  const perLeaf = leaves.map((leaf) => ({ leaf, events: staying(leaf) }));
  const key = (e: StayingEvent): string => JSON.stringify([e.eventType, e.guard ?? null, e.unless]);
  // Root-level facts are listed once when every state records them the same way.
  const everywhereKeys = new Set(
    (perLeaf[0]?.events ?? [])
      .filter((e) => e.fromRoot && perLeaf.every(({ events }) => events.some((o) => o.fromRoot && key(o) === key(e))))
      .map(key),
  );
  const strip = ({ fromRoot: _fromRoot, ...event }: StayingEvent & { readonly fromRoot: boolean }): StayingEvent => event;
  return {
    everywhere: (perLeaf[0]?.events ?? []).filter((e) => everywhereKeys.has(key(e))).map(strip),
    states: perLeaf.map(({ leaf, events }) => ({
      state: dotted(leaf),
      events: events.filter((e) => !(e.fromRoot && everywhereKeys.has(key(e)))).map(strip),
    })),
  };
}

/** Every state node but the root, parents before their children, in document order. */
export function lifecycleStates(machine: DrawableMachine = caseMachine): StateSummary[] {
  return descendants(machine.root).map((node) => {
    const initial = node.type === 'compound' ? node.initial.target[0] : undefined;
    return {
      state: dotted(node),
      type: node.type,
      tags: [...node.tags].sort(),
      description: node.description,
      initial: initial === undefined ? undefined : dotted(initial),
    };
  });
}

