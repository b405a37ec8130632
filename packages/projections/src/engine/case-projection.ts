/**
 * Projections whose documents each belong to one case — every read model of misas. Such a
 * projection is a state per case, evolved by a pure function, and stored as a few documents. The
 * engine can then apply a batch without a read or a write per event: it loads the state of the
 * cases a batch touches, evolves them synchronously in memory, and writes, once per batch, the
 * documents whose content changed.
 */
import type { CaseEvent, CaseEventType, ProjectionTransaction } from '@misas/core';
import { collectChanges, writeChanges, writeSorted, type CaseDocument, type DocumentChange } from './case-documents.ts';
import type { ReadModelReader } from './generations.ts';
import { appliedVersion, caseVersionsCollection } from './inline.ts';
import type { BatchOptions, Projection, ProjectionBatch } from './projection.ts';

/** A read model kept per case. `S` is a case's state; `undefined` means nothing stored for it. */
export interface CaseProjectionDefinition<S> {
  readonly name: string;
  readonly handles: readonly CaseEventType[];
  readonly collections: readonly string[];
  /** Reads a case's state back from its documents, validating them; `undefined` when there are none. */
  load(source: ReadModelReader, caseId: string): Promise<S | undefined>;
  /**
   * The state after one event the projection handles: pure and synchronous. Returns its input
   * when nothing changes; never changes its input (states are values, shared with the documents).
   */
  evolve(state: S | undefined, event: CaseEvent): S | undefined;
  /** The documents a state is stored as: `load` must read the same state back from them. */
  documents(caseId: string, state: S): readonly CaseDocument[];
  /**
   * Optional: `evolve` done in place, which batches use — a batch evolves a case many times before
   * writing it once, and copying a large state for every event was most of a rebuild's time.
   */
  readonly inPlace?: InPlaceEvolution<S>;
}

/**
 * Evolution in place (see {@link CaseProjectionDefinition.inPlace}). A batch calls `evolve` only
 * on a working copy it made with `own` and has not written yet: no document, no reader and no other
 * state holds it. Once the batch writes a state, that state is a value again (a store may freeze
 * it), and the next event works on a new copy. So documents stay values to everyone but the batch.
 */
export interface InPlaceEvolution<S> {
  /**
   * A working copy of `state`, deep enough for what `evolve` changes in place: the parts it does
   * not copy stay shared with `state`, so `evolve` must give them a new value rather than change
   * them (a shallow copy is enough when `evolve` sets only the state's own fields).
   */
  own(state: S): S;
  /**
   * The state after one event the projection handles, as `CaseProjectionDefinition.evolve`
   * computes it, given a working copy (or `undefined`): changes `working` and returns it, or
   * returns a state of its own making (never one anything else holds), or `undefined`.
   */
  evolve(working: S | undefined, event: CaseEvent): S | undefined;
}

/** How many cases a batch that lives across flushes keeps in memory before it forgets them. */
export const defaultCachedCases = 50_000;

/** The state of one case in a batch: as last written, and as it stands now. */
interface Entry<S> {
  readonly caseId: string;
  written: S | undefined;
  current: S | undefined;
  /** `current` is a working copy of the batch's (see {@link InPlaceEvolution}), not written yet. */
  owned: boolean;
  writtenVersion: number;
  version: number;
  dirty: boolean;
}

/** The {@link ProjectionBatch} of a case projection. */
class CaseStates<S> implements ProjectionBatch {
  readonly #definition: CaseProjectionDefinition<S>;
  readonly #handled: ReadonlySet<string>;
  readonly #inPlace: InPlaceEvolution<S> | undefined;
  readonly #inline: boolean;
  readonly #cachedCases: number;
  readonly #entries = new Map<string, Entry<S>>();
  #dirty: Entry<S>[] = [];
  #fresh: boolean;

  constructor(definition: CaseProjectionDefinition<S>, options: BatchOptions & { readonly cachedCases?: number }) {
    this.#definition = definition;
    this.#handled = new Set(definition.handles);
    this.#inPlace = definition.inPlace;
    this.#inline = options.inline;
    this.#fresh = options.fresh;
    this.#cachedCases = options.cachedCases ?? defaultCachedCases;
  }

  get pending(): number {
    return this.#dirty.length;
  }

  async load(source: ReadModelReader, events: readonly CaseEvent[]): Promise<void> {
    // Fresh, nothing is stored that is not held: `apply` starts the cases it meets.
    if (this.#fresh) return;
    for (const event of events) {
      const { caseId } = event.meta;
      if (this.#entries.has(caseId) || (!this.#inline && !this.#handled.has(event.type))) continue;
      const state = await this.#definition.load(source, caseId);
      const version = this.#inline ? await appliedVersion(source, caseId) : 0;
      this.#entries.set(caseId, { caseId, written: state, current: state, owned: false, writtenVersion: version, version, dirty: false });
    }
  }

  apply(event: CaseEvent, handles = this.#handled.has(event.type)): boolean {
    const { caseId } = event.meta;
    let entry = this.#entries.get(caseId);
    if (entry === undefined) {
      if (!this.#fresh) return false;
      entry = { caseId, written: undefined, current: undefined, owned: false, writtenVersion: 0, version: 0, dirty: false };
      this.#entries.set(caseId, entry);
    }
    if (this.#inline) {
      // As `applyOnce`: the inline path may have applied this event already.
      if (event.meta.version <= entry.version) return true;
      entry.version = event.meta.version;
    }
    if (handles) {
      const inPlace = this.#inPlace;
      if (inPlace === undefined) entry.current = this.#definition.evolve(entry.current, event);
      else {
        const { current } = entry;
        entry.current = inPlace.evolve(entry.owned || current === undefined ? current : inPlace.own(current), event);
        entry.owned = true;
      }
    }
    if (!entry.dirty) {
      entry.dirty = true;
      this.#dirty.push(entry);
    }
    return true;
  }

  async flush(tx: ProjectionTransaction): Promise<void> {
    const { documents } = this.#definition;
    const changes: DocumentChange[] = [];
    for (const entry of this.#dirty) {
      const { caseId, written, current } = entry;
      if (current !== written) collectChanges(changes, written === undefined ? [] : documents(caseId, written), current === undefined ? [] : documents(caseId, current));
      if (entry.version !== entry.writtenVersion) changes.push({ collection: caseVersionsCollection, key: caseId, value: entry.version });
    }
    await writeSorted(tx, changes);
    for (const entry of this.#dirty) {
      entry.written = entry.current;
      entry.owned = false;
      entry.writtenVersion = entry.version;
      entry.dirty = false;
    }
    this.#dirty = [];
    // Past the bound, forget: what is forgotten is in the store now, and is read back when needed.
    if (this.#entries.size > this.#cachedCases) {
      this.#entries.clear();
      this.#fresh = false;
    }
  }
}

/** Applies one event through a transaction, as the inline path and the event-by-event engine do. */
async function applyThrough<S>(definition: CaseProjectionDefinition<S>, event: CaseEvent, tx: ProjectionTransaction): Promise<void> {
  const { caseId } = event.meta;
  const before = await definition.load(tx, caseId);
  const after = definition.evolve(before, event);
  if (after === before) return;
  const documentsOf = (state: S | undefined) => (state === undefined ? [] : definition.documents(caseId, state));
  await writeChanges(tx, documentsOf(before), documentsOf(after));
}

/**
 * A {@link Projection} from a per-case definition: `apply` loads, evolves and writes one event;
 * `openBatch` does the same for a whole batch with one load and one write per case.
 */
export function caseProjection<S>(definition: CaseProjectionDefinition<S>, options: { readonly cachedCases?: number } = {}): Projection {
  return {
    name: definition.name,
    handles: definition.handles,
    collections: definition.collections,
    apply: (event, tx) => applyThrough(definition, event, tx),
    openBatch: (batch) => new CaseStates(definition, { ...batch, ...options }),
  };
}
