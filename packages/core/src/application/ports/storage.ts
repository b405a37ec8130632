/**
 * Everything a deployment stores, behind one object: what an adapter (in memory, SQLite,
 * PostgreSQL) hands to the application.
 */
import type { AuditTrail } from './audit-trail.ts';
import type { CaseSnapshotStore } from './case-snapshot-store.ts';
import type { EventStore } from './event-store.ts';
import type { LeaseManager } from './lease.ts';
import type { Outbox } from './outbox.ts';
import type { PersonalDataVault } from './personal-data-vault.ts';
import type { ProjectionStore } from './projection-store.ts';

/**
 * Everything a deployment stores, behind one object: what an adapter (in memory, SQLite,
 * PostgreSQL) hands to the application. Each port is tested by the conformance suite.
 */
export interface MisasStorage {
  /** The event log: the cases' history, append-only. */
  readonly events: EventStore;
  /** Personal data, encrypted per subject, erased by destroying the subject's key. */
  readonly vault: PersonalDataVault;
  /** The read models and their checkpoints. */
  readonly projections: ProjectionStore;
  /** Messages to deliver after a commit (notices to detectors), with retries. */
  readonly outbox: Outbox;
  /** Leases, so that one process at a time runs a projection worker or the scheduler. */
  readonly leases: LeaseManager;
  /**
   * Who read or changed which case. Kept apart from the event log: the log is the case's history and
   * is replayed, the trail records accesses, holds no personal data and has its own retention.
   */
  readonly audit: AuditTrail;
  /**
   * Snapshots of long cases, kept by the command handler (`snapshotEvery`) in the same database as
   * the events. Optional: without it every cold load replays the whole stream.
   */
  readonly snapshots?: CaseSnapshotStore;
  /**
   * Group commit, for one process that owns a burst of writes (an import, a simulation): every
   * write made through this storage object while `work` runs joins one transaction, committed —
   * and flushed to disk — once at the end instead of once per command. All or nothing: a throw
   * from `work`, or a crash before the end, leaves the store as it was before the batch; each
   * command inside stays atomic on its own too. Other processes' writers wait for the batch.
   * Optional: SQLite implements it; elsewhere, run the work without it.
   */
  writeBatch?<T>(work: () => Promise<T>): Promise<T>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
