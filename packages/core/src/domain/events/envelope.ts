/**
 * The envelope check: what a read still checks of an event that a misas store validated in full
 * when it was written (see `EventStore.validatedOnWrite`). It costs a few property reads and two
 * short regular expressions, where the full zod schemas cost about as much as reading the row.
 *
 * It checks what the code indexes on and could be hurt by if it were of the wrong kind: the type
 * (a known one, at the current schema version), the metadata (ids by the rules of `Id`,
 * the version a positive whole number, the instants of ISO shape, the actor's role one of the
 * roles), and that the payload is a plain object. It accepts, or says nothing: whatever it does not
 * accept goes through the full schemas, which either accept it too or name the first issue.
 */
import { ActorRole } from '../vocabulary.ts';
import { isValidId as isId } from '../id.ts';
import type { EventRecord } from './decode.ts';
import type { eventDefinition } from './catalogue.ts';
import type { EventMetadata } from './metadata.ts';
import type { CaseEvent } from './recorded.ts';

type Definition = NonNullable<ReturnType<typeof eventDefinition>>;

const roles: ReadonlySet<string> = new Set(ActorRole.options);

/** `YYYY-MM-DDTHH:MM:SS(.fraction)Z` from 2000 to 2099: the shape `BusinessInstant` accepts (its range, coarsely). */
const instantShape = /^20\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;
const fingerprintShape = /^[0-9a-f]{64}$/;

/** An object as `JSON.parse` or a literal makes it: not an array, not a class instance, not `null`. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `record[key]` when it is the record's own property: never a value inherited from a prototype. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}


function isInstant(value: unknown): value is string {
  return typeof value === 'string' && instantShape.test(value);
}

/**
 * The metadata, rebuilt from the record's own keys in the schema's order (a key the schema does not
 * know is left behind, as the full schema would refuse it), or `undefined` when it does not pass.
 */
function metadataOf(meta: Record<string, unknown>, schemaVersion: number): EventMetadata | undefined {
  const eventId = own(meta, 'eventId');
  const caseId = own(meta, 'caseId');
  const version = own(meta, 'version');
  const occurredAt = own(meta, 'occurredAt');
  const recordedAt = own(meta, 'recordedAt');
  const actor = own(meta, 'actor');
  const correlationId = own(meta, 'correlationId');
  const causationId = own(meta, 'causationId');
  const commandId = own(meta, 'commandId');
  const fingerprint = own(meta, 'commandFingerprint');
  if (!isId(eventId) || !isId(caseId) || !isId(correlationId) || !isId(causationId) || !isId(commandId)) return undefined;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return undefined;
  if (!isInstant(occurredAt) || !isInstant(recordedAt)) return undefined;
  if (!isPlainObject(actor)) return undefined;
  const role = own(actor, 'role');
  const actorId = own(actor, 'id');
  if (typeof role !== 'string' || !roles.has(role) || !isId(actorId)) return undefined;
  if (fingerprint !== undefined && (typeof fingerprint !== 'string' || !fingerprintShape.test(fingerprint))) return undefined;
  const checked = {
    eventId,
    caseId,
    version,
    occurredAt,
    recordedAt,
    actor: { role: role as EventMetadata['actor']['role'], id: actorId },
    correlationId,
    causationId,
    commandId,
    schemaVersion,
  };
  return fingerprint === undefined ? checked : { ...checked, commandFingerprint: fingerprint };
}

/**
 * The event, when `record` passes the envelope check for `definition` at its current schema
 * version; `undefined` otherwise (the caller then runs the full schemas, which name the issue).
 * The payload is handed on as stored: its fields were checked on write.
 */
export function checkEnvelope(record: EventRecord, definition: Definition): CaseEvent | undefined {
  const { meta, data } = record;
  if (!isPlainObject(meta) || own(meta, 'schemaVersion') !== definition.schemaVersion) return undefined;
  // No schema has a `__proto__` field: a payload holding one as its own key was not written by misas.
  if (!isPlainObject(data) || Object.hasOwn(data, '__proto__')) return undefined;
  const checked = metadataOf(meta, definition.schemaVersion);
  if (checked === undefined) return undefined;
  // The payload's fields were checked against this very schema version when the store wrote it.
  return { type: definition.type, data, meta: checked } as CaseEvent;
}
