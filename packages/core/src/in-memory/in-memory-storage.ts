/**
 * Every port in memory, as one `MisasStorage`: the default for tests and quick experiments.
 */
import type { MisasStorage } from '../application/ports/storage.ts';
import { InMemoryAuditTrail } from './memory-audit-trail.ts';
import { InMemoryEventStore } from './memory-event-store.ts';
import { InMemoryLeaseManager } from './memory-lease.ts';
import { InMemoryOutbox } from './memory-outbox.ts';
import { InMemoryProjectionStore } from './memory-projection-store.ts';
import { InMemoryVault } from './memory-vault.ts';

/** A fresh, empty storage held in memory. */
export function createInMemoryStorage(): MisasStorage {
  const projections = new InMemoryProjectionStore();
  // One vault for the store and the application: an append writes the personal data it carries into it.
  const vault = new InMemoryVault();
  return {
    events: new InMemoryEventStore({ projections, vault }),
    vault,
    projections,
    outbox: new InMemoryOutbox(),
    leases: new InMemoryLeaseManager(),
    audit: new InMemoryAuditTrail(),
    close: async () => undefined,
  };
}
