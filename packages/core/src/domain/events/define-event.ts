/**
 * How an event type is declared: its name, the version its payload is written in today, what it
 * means, and its payload schema. Shared by the catalogue and the modules that add events to it.
 */
import type { z } from 'zod';

/** One event type: its name, the version its payload is written in today, and what it means. */
export interface EventDefinition<TType extends string, TData extends z.ZodType> {
  readonly type: TType;
  readonly schemaVersion: number;
  readonly description: string;
  readonly data: TData;
}

/** Declares an event type (see {@link EventDefinition}). */
export function defineEvent<const TType extends string, TData extends z.ZodType>(
  type: TType,
  schemaVersion: number,
  description: string,
  data: TData,
): EventDefinition<TType, TData> {
  return { type, schemaVersion, description, data };
}
