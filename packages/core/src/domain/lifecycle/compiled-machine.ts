/**
 * A machine compiled into its transition table (`compile-machine.ts` builds it): stepping through
 * it costs a map lookup, the guards and the actions, where XState's `transition()` builds
 * snapshots, microsteps and action lists.
 */
/** A state value shaped as XState shapes it: `'triage'`, `{ contact: 'reached' }`. */
export type MachineStateValue = string | { readonly [key: string]: MachineStateValue };

/** A state a machine can rest in, shared by every snapshot in that state. */
export interface CompiledState {
  /** Dotted path, e.g. `contact.reached`. */
  readonly path: string;
  readonly value: MachineStateValue;
  /** Tags of the state and of its ancestors. */
  readonly tags: ReadonlySet<string>;
}

/** What a compiled machine holds between two events: the state it rests in and its context. */
export interface CompiledSnapshot<TContext> extends CompiledState {
  readonly context: TContext;
}

/** One candidate of the table, as data (for tests and documentation). */
export interface TableCandidate {
  readonly guard: string | undefined;
  /** Dotted path of the state entered (after `initial` descents); undefined when targetless. */
  readonly target: string | undefined;
  readonly actions: readonly string[];
}

/** What a guard or an assigner is given, as XState gives it. */
export type GuardArgs<C, E> = { readonly context: C; readonly event: E };
/** A guard as XState declares it. */
export type Guard<C, E> = (args: GuardArgs<C, E>, params: undefined) => unknown;
/** A compiled action: the context after it. */
export type Reducer<C, E> = (context: C, event: E) => C;

/** The transition an event takes: the state it rests in after (undefined: stays where it is) and the actions it runs, by name. */
export interface SelectedTransition {
  readonly target: CompiledState | undefined;
  readonly actions: readonly string[];
}

/** One candidate of a row, compiled. */
export interface Candidate<C, E> {
  readonly data: TableCandidate;
  readonly guard: Guard<C, E> | undefined;
  readonly target: CompiledState | undefined;
  readonly reducers: readonly Reducer<C, E>[];
  /** Made once at compile time: `select` hands it out without allocating. */
  readonly selected: SelectedTransition;
}

/** The candidates of one state for one event type, in the order they are tried. */
export interface Row<C, E> {
  readonly candidates: readonly Candidate<C, E>[];
  /** Names of the candidates' guards, in order: why the event is refused when none passes. */
  readonly guards: readonly string[];
}

/** A machine compiled into its transition table. */
export class CompiledMachine<C extends object, E extends { readonly type: string }> {
  readonly #rows: ReadonlyMap<string, ReadonlyMap<string, Row<C, E>>>;
  readonly #resting: ReadonlyMap<string, CompiledState>;

  /** The snapshot of the machine before any event. */
  readonly initial: CompiledSnapshot<C>;
  /** States a snapshot can rest in, in document order. */
  readonly states: readonly CompiledState[];

  constructor(initial: CompiledSnapshot<C>, states: readonly CompiledState[], rows: ReadonlyMap<string, ReadonlyMap<string, Row<C, E>>>, resting: ReadonlyMap<string, CompiledState>) {
    this.initial = initial;
    this.states = states;
    this.#rows = rows;
    this.#resting = resting;
  }

  /**
   * The snapshot after `event`, or undefined when the machine refuses it (no candidate for the
   * event in this state, or no guard passed): XState's `transition` and `can` in one lookup.
   */
  step(snapshot: CompiledSnapshot<C>, event: E): CompiledSnapshot<C> | undefined {
    const row = this.#rows.get(snapshot.path)?.get(event.type);
    if (row === undefined) return undefined;
    for (const candidate of row.candidates) {
      if (candidate.guard !== undefined && !candidate.guard({ context: snapshot.context, event }, undefined)) continue;
      let context = snapshot.context;
      for (const reduce of candidate.reducers) context = reduce(context, event);
      const to = candidate.target ?? snapshot;
      return { path: to.path, value: to.value, tags: to.tags, context };
    }
    return undefined;
  }

  /**
   * The transition `event` takes from `state` with `context` — the candidate `step` would take —
   * without running its actions; undefined when the machine refuses the event. For a caller that
   * runs the actions itself (replay records them into a working copy of the context, in place).
   */
  select(state: CompiledState, context: C, event: E): SelectedTransition | undefined {
    const row = this.#rows.get(state.path)?.get(event.type);
    if (row === undefined) return undefined;
    for (const candidate of row.candidates) {
      if (candidate.guard === undefined || candidate.guard({ context, event }, undefined)) return candidate.selected;
    }
    return undefined;
  }

  /** The guards an event of this type needs in this state; empty when the state has no candidate or none is guarded. */
  guardsFor(snapshot: CompiledState, eventType: string): readonly string[] {
    return this.#rows.get(snapshot.path)?.get(eventType)?.guards ?? [];
  }

  /**
   * A snapshot from a persisted state value, or undefined when the value names no state of this
   * machine. A compound state resolves to its initial descendant, as XState's `resolveState` does.
   */
  resolve(value: unknown, context: C): CompiledSnapshot<C> | undefined {
    const path = pathOf(value);
    const state = path === undefined ? undefined : this.#resting.get(path);
    return state === undefined ? undefined : { path: state.path, value: state.value, tags: state.tags, context };
  }

  /** The whole table as data: state → event type → candidates in the order they are tried. */
  table(): ReadonlyMap<string, ReadonlyMap<string, readonly TableCandidate[]>> {
    const table = new Map<string, Map<string, readonly TableCandidate[]>>();
    for (const [path, row] of this.#rows) {
      table.set(path, new Map([...row].map(([eventType, { candidates }]) => [eventType, candidates.map((c) => c.data)])));
    }
    return table;
  }
}

function pathOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [key, child] = entries[0] ?? [];
  const rest = pathOf(child);
  return key === undefined || rest === undefined ? undefined : `${key}.${rest}`;
}
