/**
 * Every port in memory, as one `MisasStorage`: the default for tests and quick experiments.
 */
import type { KeyWrapper } from '../application/ports/key-wrapper.ts';
import type { MisasStorage } from '../application/ports/storage.ts';
import { InMemoryAuditTrail } from './memory-audit-trail.ts';
import { InMemoryCaseSnapshotStore } from './memory-case-snapshot-store.ts';
import { InMemoryEventStore } from './memory-event-store.ts';
import { InMemoryLeaseManager } from './memory-lease.ts';
import { InMemoryOutbox } from './memory-outbox.ts';
import { InMemoryProjectionStore } from './memory-projection-store.ts';
import { InMemoryVault } from './memory-vault.ts';

/** Options of the in-memory storage. */
export interface InMemoryStorageOptions {
  /** The master keys wrapping the vault's per-person keys (default: a random key for this process). */
  readonly masterKeys?: KeyWrapper;
}

/** A fresh, empty storage held in memory. */
export function createInMemoryStorage(options: InMemoryStorageOptions = {}): MisasStorage {
  const projections = new InMemoryProjectionStore();
  // One vault for the store and the application: an append writes the personal data it carries into it.
  const vault = new InMemoryVault(options.masterKeys);
  return {
    events: new InMemoryEventStore({ projections, vault }),
    vault,
    projections,
    outbox: new InMemoryOutbox(),
    leases: new InMemoryLeaseManager(),
    audit: new InMemoryAuditTrail(),
    snapshots: new InMemoryCaseSnapshotStore(),
    close: async () => undefined,
  };
}
