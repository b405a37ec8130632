/**
 * Events as they live in a stream: the domain fact plus its metadata.
 */
import type { DomainEvent } from './catalogue.ts';
import type { EventMetadata } from './metadata.ts';

/** A validated event of a case, in the current schema version of its type. */
export type CaseEvent = DomainEvent & { readonly meta: EventMetadata };
