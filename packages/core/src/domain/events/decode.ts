/**
 * Turns an event read from a store (unknown JSON) into a validated `CaseEvent` of the current
 * schema version: metadata checked, payload upcast then parsed. Nothing read is trusted unchecked.
 */
import { ReplayError } from '../../errors.ts';
import { eventDefinition } from './catalogue.ts';
import { EventMetadata } from './metadata.ts';
import type { CaseEvent } from './recorded.ts';
import { UpcasterRegistry } from './upcasters.ts';

/** An event as stores hold it: type, JSON payload, metadata. */
export interface EventRecord {
  readonly type: string;
  readonly data: unknown;
  readonly meta: unknown;
}

const defaultRegistry = new UpcasterRegistry();

/** Decoded events of frozen records, per upcaster registry (a registry decides what a record becomes). */
const decodedOfFrozen = new WeakMap<UpcasterRegistry, WeakMap<EventRecord, CaseEvent>>();

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
 * A frozen record cannot change, so it is decoded once: the in-memory store keeps its log frozen,
 * and a rebuild or a replay from memory then pays for validation only the first time. The decoded
 * event given back for it is frozen too. Records from durable stores are fresh objects each read
 * and are decoded every time.
 */
export function decodeEvent(record: EventRecord, upcasters: UpcasterRegistry = defaultRegistry): CaseEvent {
  if (!Object.isFrozen(record)) return decodeRecord(record, upcasters);
  let cache = decodedOfFrozen.get(upcasters);
  if (cache === undefined) {
    cache = new WeakMap();
    decodedOfFrozen.set(upcasters, cache);
  }
  const known = cache.get(record);
  if (known !== undefined) return known;
  const decoded = deepFreeze(decodeRecord(record, upcasters));
  cache.set(record, decoded);
  return decoded;
}

function decodeRecord(record: EventRecord, upcasters: UpcasterRegistry): CaseEvent {
  const meta = EventMetadata.safeParse(record.meta);
  if (!meta.success) {
    throw new ReplayError('(unknown)', 0, `invalid metadata on a ${record.type} event: ${meta.error.issues[0]?.message ?? ''}`);
  }
  const where = { streamId: meta.data.caseId, version: meta.data.version };
  const definition = eventDefinition(record.type);
  if (!definition) throw new ReplayError(where.streamId, where.version, `unknown event type '${record.type}'`);
  const current = upcasters.upcast(record.type, meta.data.schemaVersion, record.data, where);
  const data = definition.data.safeParse(current);
  if (!data.success) {
    const issue = data.error.issues[0];
    throw new ReplayError(
      where.streamId,
      where.version,
      `${record.type} payload does not match schema v${definition.schemaVersion}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  return {
    type: definition.type,
    data: data.data,
    meta: { ...meta.data, schemaVersion: definition.schemaVersion },
  } as CaseEvent;
}
