/**
 * Everything a deployment stores, behind one object: what an adapter (in memory, SQLite,
 * PostgreSQL) hands to the application.
 */
import type { AuditTrail } from './audit-trail.ts';
import type { EventStore } from './event-store.ts';
import type { LeaseManager } from './lease.ts';
import type { Outbox } from './outbox.ts';
import type { PersonalDataVault } from './personal-data-vault.ts';
import type { ProjectionStore } from './projection-store.ts';

export interface MisasStorage {
  readonly events: EventStore;
  readonly vault: PersonalDataVault;
  readonly projections: ProjectionStore;
  readonly outbox: Outbox;
  readonly leases: LeaseManager;
  /**
   * Who read or changed which case. Kept apart from the event log: the log is the case's history and
   * is replayed, the trail records accesses, holds no personal data and has its own retention.
   */
  readonly audit: AuditTrail;
  /** Releases connections and files. */
  close(): Promise<void>;
}
