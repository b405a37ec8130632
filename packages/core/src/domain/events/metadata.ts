/**
 * The envelope every stored event carries, whatever its type.
 */
import { z } from 'zod';
import { ActorRole } from '../vocabulary.ts';

/** Who acted: a role and a pseudonymous id (never a name). */
export const Actor = z.strictObject({
  role: ActorRole,
  id: z.string().min(1),
});
export type Actor = z.infer<typeof Actor>;

/** An instant as an ISO-8601 string in UTC, e.g. `2026-03-02T09:30:00.000Z`. */
export const Instant = z.iso.datetime({ offset: false });

/** A calendar day, `YYYY-MM-DD`. */
export const Day = z.iso.date();

/** Metadata on every event: identity, place in its stream, time, who, and why. */
export const EventMetadata = z.strictObject({
  /** Unique id of this event (a ULID). */
  eventId: z.string().min(1),
  /** The case, which is also the stream id: one stream per case. */
  caseId: z.string().min(1),
  /** Position in the case's stream, from 1, without gaps. */
  version: z.number().int().min(1),
  /** When the fact happened in the world (may be earlier than recording, e.g. a referral date). */
  occurredAt: Instant,
  /** When the library recorded it. */
  recordedAt: Instant,
  actor: Actor,
  /** Groups everything that follows from one initial request. */
  correlationId: z.string().min(1),
  /** What directly caused this event: the command, or the event that triggered the command. */
  causationId: z.string().min(1),
  /** The command that produced this event: a retried command with the same id is not applied twice. */
  commandId: z.string().min(1),
  /** Version of this event type's payload schema when it was written. */
  schemaVersion: z.number().int().min(1),
});
export type EventMetadata = z.infer<typeof EventMetadata>;
