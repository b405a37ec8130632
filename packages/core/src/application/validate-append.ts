/**
 * Validation on write: every event an append would store is checked against its full schema
 * first, so that a store holds only events its readers may decode with the envelope check
 * (`EventStore.validatedOnWrite`). The stores of misas run it in `append` and `appendWith`,
 * through `assertWellFormedAppend`, before touching anything.
 */
import { eventDefinition } from '../domain/events/catalogue.ts';
import { EventMetadata } from '../domain/events/metadata.ts';
import { UpcasterRegistry } from '../domain/events/upcasters.ts';
import { ReplayError, ValidationError, type ValidationIssue } from '../errors.ts';
import type { AppendRequest, NewEvent } from './ports/event-store.ts';

const builtInUpcasters = new UpcasterRegistry();

/** Requests already validated (and given back by {@link validatedAppend}): checking one again is free. */
const validated = new WeakSet<AppendRequest>();

function refusal(index: number, type: string | undefined, issues: readonly ValidationIssue[]): ValidationError {
  return new ValidationError(`event ${index} of the append${type === undefined ? '' : ` (${type})`}`, issues);
}

function prefixed(prefix: string, error: ValidationError): ValidationIssue[] {
  return error.issues.map((issue) => ({ ...issue, path: issue.path === '' ? prefix : `${prefix}.${issue.path}` }));
}

/**
 * One event as it will be stored: at its type's current schema version, the payload and metadata
 * as the schemas read them (text trimmed and normalised, defaults filled in: a later read, full or
 * envelope, sees the same values); at an older version, as given, once the built-in upcasters and
 * the current schema accept it (readers always decode those in full).
 * @throws ValidationError naming the event's index in the append, the field and the rule
 */
export function validatedEvent(event: NewEvent, index: number): NewEvent {
  const definition = eventDefinition(event.type);
  // An unknown type is not echoed: it may be anything.
  if (definition === undefined) throw refusal(index, undefined, [{ path: 'type', rule: 'unknown-event-type', message: 'Not an event type of this library' }]);
  const meta = EventMetadata.safeParse(event.meta);
  if (!meta.success) throw refusal(index, definition.type, prefixed('meta', ValidationError.fromZod('meta', meta.error)));
  const { schemaVersion } = meta.data;
  if (schemaVersion > definition.schemaVersion) {
    throw refusal(index, definition.type, [
      { path: 'meta.schemaVersion', rule: 'schema-version-too-new', message: `Written with schema v${schemaVersion}, newer than this library's v${definition.schemaVersion}` },
    ]);
  }
  let current: unknown = event.data;
  if (schemaVersion < definition.schemaVersion) {
    try {
      current = builtInUpcasters.upcast(definition.type, schemaVersion, event.data, { streamId: meta.data.caseId, version: meta.data.version });
    } catch (error) {
      if (!(error instanceof ReplayError)) throw error;
      throw refusal(index, definition.type, [{ path: 'meta.schemaVersion', rule: 'no-upcaster', message: error.reason }]);
    }
  }
  const data = definition.data.safeParse(current);
  if (!data.success) throw refusal(index, definition.type, prefixed('data', ValidationError.fromZod('data', data.error)));
  return schemaVersion === definition.schemaVersion ? { type: definition.type, data: data.data, meta: meta.data } : { type: definition.type, data: event.data, meta: meta.data };
}

/**
 * The request with each event as it will be stored ({@link validatedEvent}). The same request
 * given back again is not checked twice.
 * @throws ValidationError for the first event that does not match its schema; nothing was written
 */
export function validatedAppend(request: AppendRequest): AppendRequest {
  if (validated.has(request)) return request;
  const checked: AppendRequest = { ...request, events: request.events.map(validatedEvent) };
  validated.add(checked);
  return checked;
}
