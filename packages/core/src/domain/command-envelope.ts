/**
 * What every command carries besides its type and payload, and how a command is declared. Shared
 * by `commands.ts` and the modules that add commands to it.
 */
import { z } from 'zod';
import { BusinessInstant } from './business-dates.ts';
import { Actor } from './events/metadata.ts';
import { Id } from './id.ts';

/** Fields every command carries besides its type and payload. */
export const commandEnvelope = {
  /** The case (stream) the command is for. For `ReceiveReferral`, the id of the new case. */
  caseId: Id,
  /** Unique per request: a retried command with the same id is applied once. */
  commandId: Id,
  actor: Actor,
  /** When it happened in the world, if earlier than now (e.g. a call made this morning). */
  occurredAt: BusinessInstant.optional(),
  correlationId: Id.optional(),
  causationId: Id.optional(),
};

/** Declares a command: its type, what it asks, and its payload schema. */
export function defineCommand<const TType extends string, TData extends z.ZodType>(type: TType, description: string, data: TData) {
  return z.strictObject({ type: z.literal(type), ...commandEnvelope, data }).meta({ description });
}
