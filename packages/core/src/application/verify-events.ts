/**
 * Verification of a whole store: every event of the log decoded with the full schemas, whatever
 * the store claims (`validatedOnWrite`). What `misas verify` runs after a backup is restored, or
 * when the database may have been written by something other than misas.
 */
import { decodeEvent } from '../domain/events/decode.ts';
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import { MisasError, ReplayError } from '../errors.ts';
import type { EventStore, StoredEvent } from './ports/event-store.ts';
import { eventCheckOf } from './read-check.ts';

/** One event that does not match its schema (or cannot be upcast to it). */
export interface BadEvent {
  /** Its place in the global log. */
  readonly position: number;
  /** Its case (stream), or `(invalid case id)` when the stored one is not a valid id (never echoed). */
  readonly caseId: string;
  /** Its version in the case, 0 when the stored one is not a whole number. */
  readonly version: number;
  /** Its type as stored, cut to 64 characters, anything but printable ASCII shown as `?`. */
  readonly type: string;
  /** The first issue: where and which rule, never the value (`… does not match schema v2: minutes: Too big… [too_big]`), printable ASCII. */
  readonly issue: string;
}

/** How far a verification has gone. */
export interface VerifyProgress {
  /** Events read so far. */
  readonly verified: number;
  /** Bad events found so far. */
  readonly bad: number;
  /** The position reached, and the log's last position when the run started. */
  readonly position: number;
  readonly head: number;
}

/** Options of {@link verifyEvents}. */
export interface VerifyOptions {
  readonly upcasters?: UpcasterRegistry;
  /** Events read per page (default 2,000). */
  readonly batchSize?: number;
  /** Called with each bad event, as soon as it is found (so a long run names them as it goes). */
  readonly onBadEvent?: (bad: BadEvent) => void;
  /** Called after each page. */
  readonly onProgress?: (progress: VerifyProgress) => void;
}

/** What a verification found. */
export interface VerifyReport {
  readonly verified: number;
  readonly bad: readonly BadEvent[];
}

/**
 * `text` cut to `max` characters, with anything but printable ASCII shown as `?`: a tampered type,
 * or a key zod names in its message, must not write to the terminal what it likes.
 */
function printable(text: string, max: number): string {
  const shown = text.replace(/[^\x20-\x7e]/g, '?');
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

function badEventOf(record: StoredEvent, error: ReplayError): BadEvent {
  return {
    position: record.position,
    caseId: error.streamId,
    version: error.version,
    type: printable(String(record.type), 64),
    // The position is a field of its own: the reason need not repeat it.
    issue: printable(error.reason.replace(/ at position \d+ of the log/, ''), 300),
  };
}

/**
 * Reads the whole log in position order, page by page, and decodes every event with the full
 * schemas (and the upcasters, for older versions). Never throws for a bad event: it is reported
 * and the run goes on. A failure of the store itself (unreachable, damaged) is thrown.
 */
export async function verifyEvents(store: EventStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 2000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
  const head = await store.headPosition();
  const bad: BadEvent[] = [];
  let verified = 0;
  let position = 0;
  for (;;) {
    const page = await store.readAll({ after: position, limit: batchSize });
    for (const record of page) {
      try {
        decodeEvent(record, options.upcasters, 'full');
      } catch (error) {
        if (!(error instanceof ReplayError)) throw error;
        const found = badEventOf(record, error);
        bad.push(found);
        options.onBadEvent?.(found);
      }
      verified++;
      position = record.position;
    }
    options.onProgress?.({ verified, bad: bad.length, position, head });
    if (page.length < batchSize) break;
  }
  return { verified, bad };
}

/** Stops a verification at its first bad event. */
class FoundBadEvent extends Error {
  readonly bad: BadEvent;
  constructor(bad: BadEvent) {
    super('found a bad event');
    this.bad = bad;
  }
}

/** The first event of the log that does not match its schema, or `undefined` for a clean log. */
export async function firstBadEvent(store: EventStore, options: { readonly upcasters?: UpcasterRegistry } = {}): Promise<BadEvent | undefined> {
  try {
    await verifyEvents(store, {
      ...options,
      onBadEvent: (bad) => {
        throw new FoundBadEvent(bad);
      },
    });
    return undefined;
  } catch (error) {
    if (error instanceof FoundBadEvent) return error.bad;
    throw error;
  }
}

/**
 * Runs `work`, which reads `store` with the envelope check (a projection rebuild, a catch-up). Should
 * it fail with anything but a `MisasError` — a `TypeError` in a read model fed a payload that was
 * changed in the database since it was validated — the log is verified in full, and the first bad
 * event becomes a `ReplayError` naming it (the failure as its `cause`). A clean log, or a store read
 * with the full schemas anyway, gives the failure back as it was: it is a bug, not a bad event.
 */
export async function namingBadEvents<T>(store: EventStore, upcasters: UpcasterRegistry | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MisasError || eventCheckOf(store) !== 'envelope') throw error;
    const bad = await firstBadEvent(store, upcasters === undefined ? {} : { upcasters });
    if (bad === undefined) throw error;
    const kind = error instanceof Error ? error.name : 'error';
    const failure = new ReplayError(bad.caseId, bad.version, `${bad.type} at position ${bad.position} of the log could not be applied (${kind}): ${bad.issue}; run misas verify`);
    failure.cause = error;
    throw failure;
  }
}
