/**
 * The audit trail port: who read or changed which case, and when. It is kept apart from the event
 * log (the log says what happened to a case; the trail says who looked at it), holds pseudonymous
 * ids only — staff ids, case ids, subject references, never a name — and is append-only: the port
 * has no update, and the only deletion is the purge of entries older than the trail's retention.
 */
import { z } from 'zod';
import { Id } from '../../domain/id.ts';
import { ActorRole } from '../../domain/vocabulary.ts';
import { Instant } from '../../domain/events/metadata.ts';

/** Who acted, as the audit trail keeps it. */
export const AuditPrincipal = z.strictObject({
  role: ActorRole,
  id: Id,
  /** The principal's fund; `null` for a national role. */
  fundId: Id.nullable(),
});
export type AuditPrincipal = z.infer<typeof AuditPrincipal>;

/** One access: a command run (or refused), or a query answered (or refused). */
export const AuditEntry = z.strictObject({
  /** Unique id (a ULID from the injected generator): recording the same id twice keeps one entry. */
  id: Id,
  at: Instant,
  principal: AuditPrincipal,
  /** `change` for a command, `read` for a query. */
  action: z.enum(['change', 'read']),
  /** The command type or query name, e.g. `AcceptReferral`, `case-detail`. */
  name: z.string().min(1),
  outcome: z.enum(['allowed', 'denied']),
  /** The fund whose data was touched; `null` for a national aggregate. */
  fundId: Id.nullable(),
  /** The case touched, when there is one. */
  caseId: Id.nullable(),
  /** The person touched, as their vault reference (pseudonymous), when known. */
  subjectRef: Id.nullable(),
  /** Whether personal data (identity, contact, NIR, free text) was read or written. */
  personalData: z.boolean(),
  /** For a refusal, the rule that refused; for a grant that needed one, the privilege used. */
  rule: z.string().min(1).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Which entries to return. Every criterion given must hold; instants are inclusive bounds on `at`. */
export interface AuditFilter {
  /** The fund the entries are filed under; `null` for the entries filed under no fund (national roles'). */
  readonly fundId?: string | null;
  readonly caseId?: string;
  readonly subjectRef?: string;
  readonly principalId?: string;
  readonly from?: string;
  readonly to?: string;
  /** Only entries that read or wrote personal data. */
  readonly personalDataOnly?: boolean;
}

/** A page of entries in id order (ids are ULIDs: time order), and the cursor of the next page. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly next: string | null;
}

/** The audit trail: who read or changed which case, and when. Append-only, no personal data. */
export interface AuditTrail {
  /** Appends entries; an id already present is ignored. Entries are validated before anything is written. */
  record(entries: readonly AuditEntry[]): Promise<void>;
  /** Entries matching `filter`, in id order, at most `limit` (1 to 1000) after the id `after`. */
  query(filter: AuditFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage>;
  /** Deletes the entries recorded before `before` (the trail's own retention); returns how many. */
  purgeBefore(before: string): Promise<number>;
}
