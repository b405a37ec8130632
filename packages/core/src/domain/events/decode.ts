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

/** Validates and upcasts one stored event. Throws `ReplayError` naming the stream and version. */
export function decodeEvent(record: EventRecord, upcasters: UpcasterRegistry = defaultRegistry): CaseEvent {
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
