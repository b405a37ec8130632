/**
 * Leases in memory: enough for one process (tests, examples, simulations).
 */
import type { LeaseManager } from '../application/ports/lease.ts';

export class InMemoryLeaseManager implements LeaseManager {
  readonly #leases = new Map<string, { owner: string; expiresAt: number }>();

  async acquire(name: string, owner: string, options: { now: Date; ttlMs: number }): Promise<boolean> {
    const now = options.now.getTime();
    const current = this.#leases.get(name);
    if (current && current.owner !== owner && current.expiresAt > now) return false;
    this.#leases.set(name, { owner, expiresAt: now + options.ttlMs });
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    if (this.#leases.get(name)?.owner === owner) this.#leases.delete(name);
  }

  async holder(name: string, now: Date): Promise<string | undefined> {
    const current = this.#leases.get(name);
    return current && current.expiresAt > now.getTime() ? current.owner : undefined;
  }
}
