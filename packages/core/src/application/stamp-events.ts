/**
 * Stamping: the metadata a decided event gets before it is appended (ids, versions, times, the
 * command it came from and that command's fingerprint).
 */
import { eventDefinition, type DomainEvent } from '../domain/events/catalogue.ts';
import type { NewEvent } from './ports/event-store.ts';

/** The command facts every event of it carries. */
export interface StampedCommand {
  readonly caseId: string;
  readonly commandId: string;
  readonly fingerprint: string;
  readonly actor: NewEvent['meta']['actor'];
  readonly correlationId?: string | undefined;
  readonly causationId?: string | undefined;
}

/** The events of one command, numbered after `fromVersion`, each with a fresh id from `newId`. */
export function stampEvents(
  events: readonly DomainEvent[],
  at: { readonly fromVersion: number; readonly occurredAt: string; readonly recordedAt: string; readonly newId: () => string },
  command: StampedCommand,
): NewEvent[] {
  return events.map((event, index) => ({
    type: event.type,
    data: event.data,
    meta: {
      eventId: at.newId(),
      caseId: command.caseId,
      version: at.fromVersion + index + 1,
      occurredAt: at.occurredAt,
      recordedAt: at.recordedAt,
      actor: command.actor,
      correlationId: command.correlationId ?? command.commandId,
      causationId: command.causationId ?? command.commandId,
      commandId: command.commandId,
      schemaVersion: eventDefinition(event.type)?.schemaVersion ?? 1,
      commandFingerprint: command.fingerprint,
    },
  }));
}
