/**
 * The envelope every stored event carries, whatever its type.
 */
import { z } from 'zod';
import { BusinessInstant } from '../business-dates.ts';
import { Id } from '../id.ts';
import { ActorRole } from '../vocabulary.ts';

/** Who acted: a role and a pseudonymous id (never a name). */
export const Actor = z.strictObject({
  role: ActorRole,
  id: Id,
});
export type Actor = z.infer<typeof Actor>;

/** An instant as an ISO-8601 string in UTC, e.g. `2026-03-02T09:30:00.000Z`. */
export const Instant = z.iso.datetime({ offset: false });

/** A calendar day, `YYYY-MM-DD`. */
export const Day = z.iso.date();

/** Metadata on every event: identity, place in its stream, time, who, and why. */
export const EventMetadata = z.strictObject({
  eventId: Id.describe('Unique id of this event (a ULID).'),
  caseId: Id.describe('The case, which is also the stream id: one stream per case.'),
  version: z.number().int().min(1).describe("Position in the case's stream, from 1, without gaps."),
  occurredAt: BusinessInstant.describe('When the fact happened in the world (may be earlier than recording, e.g. a call made this morning).'),
  recordedAt: BusinessInstant.describe('When the library recorded it.'),
  actor: Actor.describe('Who acted: a role and a pseudonymous id, never a name.'),
  correlationId: Id.describe('Groups everything that follows from one initial request.'),
  causationId: Id.describe('What directly caused this event: the command, or the event that triggered the command.'),
  commandId: Id.describe('The command that produced this event: a retried command with the same id is not applied twice.'),
  schemaVersion: z.number().int().min(1).describe("Version of this event type's payload schema when it was written."),
  commandFingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe(
      'SHA-256 of the command that produced this event (its type, case and data, personal data left out): the command id may not be reused for another command. Absent on events written before it existed.',
    ),
});
export type EventMetadata = z.infer<typeof EventMetadata>;
