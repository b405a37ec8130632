/**
 * Turns an event read from a store (unknown JSON) into a validated `CaseEvent` of the current
 * schema version. Two depths of check:
 * - `full`: metadata parsed, payload upcast then parsed with the event's zod schema;
 * - `envelope`, for a store that validated every event in full when writing it
 *   (`EventStore.validatedOnWrite`): an event at its type's current schema version gets the
 *   hand-written envelope check of envelope.ts; any other (older, or failing it) is decoded in full.
 * Nothing read is trusted unchecked: only the payload's fields, already checked on write, are not
 * checked again (docs/security.md says what that lets a tampered database do).
 */
import type { z } from 'zod';
import { ReplayError, ValidationError } from '../../errors.ts';
import { Id } from '../id.ts';
import { eventDefinition } from './catalogue.ts';
import { checkEnvelope } from './envelope.ts';
import { EventMetadata } from './metadata.ts';
import type { CaseEvent } from './recorded.ts';
import { UpcasterRegistry } from './upcasters.ts';

/** An event as stores hold it: type, JSON payload, metadata. */
export interface EventRecord {
  readonly type: string;
  readonly data: unknown;
  readonly meta: unknown;
  /** The event's place in the global log, when read from it: named in errors. */
  readonly position?: number;
}

/**
 * How deep a read checks a record: `full` runs the zod schemas; `envelope` trusts the payload's
 * fields to a store that validated them on write (see {@link decodeEvent}).
 */
export type EventCheck = 'full' | 'envelope';

const defaultRegistry = new UpcasterRegistry();

/** A frozen record's decoded event, and whether it went through the full schemas. */
interface Decoded {
  readonly event: CaseEvent;
  readonly full: boolean;
}

/** Decoded events of frozen records, per upcaster registry (a registry decides what a record becomes). */
const decodedOfFrozen = new WeakMap<UpcasterRegistry, WeakMap<EventRecord, Decoded>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates and upcasts one stored event. Throws `ReplayError` naming the stream and version.
 *
 * `check` is `full` unless the record comes from a store whose `validatedOnWrite` is true (ask
 * `eventCheckOf(store)`): only then may an event at its current schema version be decoded with the
 * envelope check. A record that fails the envelope check is decoded in full, so a bad one is named
 * by the same `ReplayError` either way.
 *
 * A frozen record cannot change, so it is decoded once: the in-memory store keeps its log frozen,
 * and a rebuild or a replay from memory then pays for validation only the first time (a full check
 * asked after an envelope one runs once more). The decoded event given back for it is frozen too.
 * Records from durable stores are fresh objects each read and are decoded every time.
 */
export function decodeEvent(record: EventRecord, upcasters: UpcasterRegistry = defaultRegistry, check: EventCheck = 'full'): CaseEvent {
  if (!Object.isFrozen(record)) return decodeChecked(record, upcasters, check);
  let cache = decodedOfFrozen.get(upcasters);
  if (cache === undefined) {
    cache = new WeakMap();
    decodedOfFrozen.set(upcasters, cache);
  }
  const known = cache.get(record);
  if (known !== undefined && (known.full || check === 'envelope')) return known.event;
  const event = deepFreeze(decodeChecked(record, upcasters, check));
  cache.set(record, { event, full: check === 'full' });
  return event;
}

function decodeChecked(record: EventRecord, upcasters: UpcasterRegistry, check: EventCheck): CaseEvent {
  if (check === 'envelope') {
    const definition = eventDefinition(record.type);
    const event = definition === undefined ? undefined : checkEnvelope(record, definition);
    if (event !== undefined) return event;
  }
  return decodeRecord(record, upcasters);
}

/** `path: message [rule]` of the first issue: where and why, never the value (it may be anything). */
function firstIssue(error: z.ZodError): string {
  const issue = ValidationError.fromZod('event', error).issues[0];
  return issue ? `${issue.path || '(root)'}: ${issue.message} [${issue.rule}]` : 'no detail';
}

/**
 * The stream and version to name in an error about a record whose metadata is invalid: each only
 * when it is itself valid, so that a bad case id (a lone surrogate, 5 MB) is never echoed.
 */
function whereOf(record: EventRecord): { streamId: string; version: number } {
  const meta = typeof record.meta === 'object' && record.meta !== null ? record.meta : {};
  const caseId = Id.safeParse(Reflect.get(meta, 'caseId'));
  const version = Reflect.get(meta, 'version');
  return { streamId: caseId.success ? caseId.data : '(invalid case id)', version: Number.isSafeInteger(version) ? Number(version) : 0 };
}

function decodeRecord(record: EventRecord, upcasters: UpcasterRegistry): CaseEvent {
  const at = record.position === undefined ? '' : ` at position ${record.position} of the log`;
  const meta = EventMetadata.safeParse(record.meta);
  if (!meta.success) {
    const where = whereOf(record);
    throw new ReplayError(where.streamId, where.version, `invalid metadata on the ${record.type} event${at}: ${firstIssue(meta.error)}`);
  }
  const where = { streamId: meta.data.caseId, version: meta.data.version };
  const definition = eventDefinition(record.type);
  if (!definition) throw new ReplayError(where.streamId, where.version, `unknown event type '${record.type}'${at}`);
  const current = upcasters.upcast(record.type, meta.data.schemaVersion, record.data, where);
  const data = definition.data.safeParse(current);
  if (!data.success) {
    throw new ReplayError(
      where.streamId,
      where.version,
      `${record.type} payload${at} does not match schema v${definition.schemaVersion}: ${firstIssue(data.error)}`,
    );
  }
  return {
    type: definition.type,
    data: data.data,
    meta: { ...meta.data, schemaVersion: definition.schemaVersion },
  } as CaseEvent;
}
