/**
 * One page of the log as the engine applies it to several projections: each event is decoded
 * once, on first need, and each projection gets the events after its own checkpoint that it handles.
 */
import { decodeEvent, type CaseEvent, type EventCheck, type ProjectionTransaction, type StoredEvent, type UpcasterRegistry } from '@misas/core';
import { cachedTransaction } from './document-cache.ts';
import type { ReadModelReader } from './generations.ts';
import { applyOnce } from './inline.ts';
import type { Projection, ProjectionBatch } from './projection.ts';

/** A page of stored events, decoded lazily. */
export class Page {
  readonly records: readonly StoredEvent[];
  readonly #upcasters: UpcasterRegistry | undefined;
  readonly #check: EventCheck;
  readonly #decoded: (CaseEvent | undefined)[];

  /** `check`: `eventCheckOf(store)` for the store the records come from (full unless it validated them on write). */
  constructor(records: readonly StoredEvent[], upcasters: UpcasterRegistry | undefined, check: EventCheck = 'full') {
    this.records = records;
    this.#upcasters = upcasters;
    this.#check = check;
    this.#decoded = new Array<CaseEvent | undefined>(records.length);
  }

  /** The position of the last event, or `fallback` for an empty page. */
  last(fallback: number): number {
    return this.records.at(-1)?.position ?? fallback;
  }

  /** The event at `index`, decoded the first time it is asked for. */
  event(index: number, record: StoredEvent): CaseEvent {
    let event = this.#decoded[index];
    if (event === undefined) {
      event = decodeEvent(record, this.#upcasters, this.#check);
      this.#decoded[index] = event;
    }
    return event;
  }

  /**
   * What `projection` must apply of this page: the events after `checkpoint` that it handles, or
   * every event after it for an inline projection (which records each case's version). `processed`
   * counts the events after the checkpoint, `applied` those it handles.
   */
  select(projection: Projection, handled: ReadonlySet<string>, checkpoint: number): Selection {
    const events: CaseEvent[] = [];
    const positions: number[] = [];
    let processed = 0;
    let applied = 0;
    const { records } = this;
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      if (record === undefined || record.position <= checkpoint) continue;
      processed++;
      const handles = handled.has(record.type);
      if (handles) applied++;
      if (!handles && !projection.inline) continue;
      events.push(this.event(index, record));
      positions.push(record.position);
    }
    return { events, positions, processed, applied };
  }
}

/** The events of a page one projection applies, with their positions. */
export interface Selection {
  readonly events: readonly CaseEvent[];
  readonly positions: readonly number[];
  readonly processed: number;
  readonly applied: number;
}

/** Counts of what a projection went through. */
export interface Tally {
  processed: number;
  applied: number;
}

/** A projection with a batch form, as a page is applied to it. */
export interface BatchLane {
  readonly batch: ProjectionBatch;
  readonly handled: ReadonlySet<string>;
  readonly inline: boolean;
  /** Where the batch reads what it does not hold. */
  readonly source: ReadModelReader;
  /** The events up to this position were applied already. */
  readonly after: number;
  readonly tally: Tally;
}

/** A lane that takes events of one type, from the page index `first` on. */
interface Taker {
  readonly lane: BatchLane;
  readonly first: number;
  readonly handles: boolean;
}

/** The index of the first record after `position` (records are in position order). */
function firstAfter(records: readonly StoredEvent[], position: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((records[middle]?.position ?? Infinity) <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Applies a page to projections with a batch form, in one pass over its events: each is decoded
 * once and handed, while it is at hand, to the projections that take its type (worked out once
 * per type, not per event). Nothing is awaited but the reads of cases a batch does not hold.
 */
export async function applyToBatches(page: Page, lanes: readonly BatchLane[]): Promise<void> {
  const { records } = page;
  const firsts = lanes.map((lane) => firstAfter(records, lane.after));
  lanes.forEach((lane, index) => {
    lane.tally.processed += records.length - (firsts[index] ?? records.length);
  });
  const takersOf = new Map<string, readonly Taker[]>();
  const takersFor = (type: string): readonly Taker[] => {
    const takers: Taker[] = [];
    lanes.forEach((lane, index) => {
      const handles = lane.handled.has(type);
      if (handles || lane.inline) takers.push({ lane, first: firsts[index] ?? records.length, handles });
    });
    takersOf.set(type, takers);
    return takers;
  };
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    if (record === undefined) continue;
    const takers = takersOf.get(record.type) ?? takersFor(record.type);
    let event: CaseEvent | undefined;
    for (let taker = 0; taker < takers.length; taker++) {
      const take = takers[taker];
      if (take === undefined || index < take.first) continue;
      const { lane } = take;
      if (take.handles) lane.tally.applied++;
      event ??= page.event(index, record);
      if (lane.batch.apply(event, take.handles)) continue;
      await lane.batch.load(lane.source, [event]);
      if (!lane.batch.apply(event, take.handles)) throw new Error(`a projection batch could not apply ${event.type} at position ${record.position} after loading it`);
    }
  }
}

/**
 * Applies a selection event by event through `tx` — for projections without a batch form — with a
 * write-back document cache flushed at the end, before the caller saves the checkpoint.
 */
export async function applyEventByEvent(projection: Projection, tx: ProjectionTransaction, selection: Selection): Promise<void> {
  const cached = cachedTransaction(tx);
  const { events, positions } = selection;
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (event === undefined) continue;
    if (projection.inline) await applyOnce(projection, cached.tx, event, positions[index]);
    else await projection.apply(event, cached.tx, positions[index]);
  }
  await cached.flush();
}
