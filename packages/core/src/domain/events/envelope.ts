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

/** Whether `value` is 64 lowercase hex digits (a SHA-256): a loop, cheaper than the regular expression on every event. */
function isFingerprint(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 64) return false;
  for (let index = 0; index < 64; index++) {
    const code = value.charCodeAt(index);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}

/** The last case id found valid: every event of a stream carries the same, checked once per stream read. */
let lastCaseId = '';

/** How many own enumerable keys `record` has, without making the array `Object.keys` would. */
function keyCount(record: object): number {
  let count = 0;
  for (const key in record) if (Object.hasOwn(record, key)) count++;
  return count;
}

/** Whether `meta`'s fields pass; `actor`, already read from it, is checked here too. */
function fieldsPass(meta: Record<string, unknown>, actor: Record<string, unknown>, schemaVersion: number): boolean {
  const caseId = own(meta, 'caseId');
  const version = own(meta, 'version');
  const commandId = own(meta, 'commandId');
  const correlationId = own(meta, 'correlationId');
  const causationId = own(meta, 'causationId');
  const fingerprint = own(meta, 'commandFingerprint');
  const role = own(actor, 'role');
  // The three ids of a command are often the same string, and the case id that of the last event:
  // each distinct one is checked once.
  if (!isId(own(meta, 'eventId')) || !isId(commandId)) return false;
  if (correlationId !== commandId && !isId(correlationId)) return false;
  if (causationId !== commandId && causationId !== correlationId && !isId(causationId)) return false;
  if (caseId !== lastCaseId) {
    if (!isId(caseId)) return false;
    lastCaseId = caseId;
  }
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return false;
  if (!isInstant(own(meta, 'occurredAt')) || !isInstant(own(meta, 'recordedAt'))) return false;
  if (typeof role !== 'string' || !roles.has(role) || !isId(own(actor, 'id'))) return false;
  if (fingerprint !== undefined && !isFingerprint(fingerprint)) return false;
  return own(meta, 'schemaVersion') === schemaVersion;
}

/**
 * Whether `meta`, as read, is the metadata: every field passes and it has no key but the
 * schema's (the actor only its role and id). Metadata misas wrote always is.
 */
function isExactMetadata(meta: Record<string, unknown>, schemaVersion: number): meta is EventMetadata {
  const actor = own(meta, 'actor');
  if (!isPlainObject(actor) || !fieldsPass(meta, actor, schemaVersion)) return false;
  return keyCount(meta) === (Object.hasOwn(meta, 'commandFingerprint') ? 11 : 10) && keyCount(actor) === 2;
}

/**
 * The metadata, or `undefined` when it does not pass: handed on as read when it holds exactly the
 * schema's keys (no copy on every event), else rebuilt from the record's own keys in the schema's
 * order (a key the schema does not know is left behind, as the full schema would refuse it).
 */
function metadataOf(meta: Record<string, unknown>, schemaVersion: number): EventMetadata | undefined {
  if (isExactMetadata(meta, schemaVersion)) return meta;
  const actor = own(meta, 'actor');
  if (!isPlainObject(actor) || !fieldsPass(meta, actor, schemaVersion)) return undefined;
  const eventId = own(meta, 'eventId');
  const caseId = own(meta, 'caseId');
  const version = own(meta, 'version');
  const occurredAt = own(meta, 'occurredAt');
  const recordedAt = own(meta, 'recordedAt');
  const correlationId = own(meta, 'correlationId');
  const causationId = own(meta, 'causationId');
  const commandId = own(meta, 'commandId');
  const fingerprint = own(meta, 'commandFingerprint');
  const role = own(actor, 'role');
  const actorId = own(actor, 'id');
  // Checked by fieldsPass just above; these guards only tell the compiler so.
  if (!isId(eventId) || !isId(caseId) || !isId(correlationId) || !isId(causationId) || !isId(commandId) || !isId(actorId)) return undefined;
  if (typeof version !== 'number' || !isInstant(occurredAt) || !isInstant(recordedAt) || typeof role !== 'string') return undefined;
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
  return typeof fingerprint === 'string' ? { ...checked, commandFingerprint: fingerprint } : checked;
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
