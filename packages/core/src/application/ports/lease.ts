/**
 * Leases: at most one holder at a time for a named piece of work (a projection, a scheduler),
 * across processes and machines. A holder that dies loses the lease when it expires.
 * Time is passed in, so tests and simulations control it.
 */
export interface LeaseManager {
  /** Takes the lease if it is free, expired, or already held by `owner` (which renews it). */
  acquire(name: string, owner: string, options: { now: Date; ttlMs: number }): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it. */
  release(name: string, owner: string): Promise<void>;
  /** Who holds the lease at `now`, if anyone. */
  holder(name: string, now: Date): Promise<string | undefined>;
}
