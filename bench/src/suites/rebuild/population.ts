/**
 * The log the rebuild suite replays: a simulated year of referrals, played through the real
 * command handler, scheduler and projections on in-memory storage — the mix of event types and the
 * interleaving of cases a fund's log really has.
 */
import { simulateYear } from '@misas/cli';
import { createInMemoryStorage, type MisasStorage, type StoredEvent } from '@misas/core';

/** A simulated log, in memory. */
export interface Population {
  /** The in-memory storage the simulation wrote (its read models are up to date). */
  readonly storage: MisasStorage;
  /** Every event of the log, in position order (frozen records of the in-memory store). */
  readonly records: readonly StoredEvent[];
  readonly referrals: number;
}

/** Simulates `referrals` cases referred over 2026 (seeded: the same log every run). */
export async function simulatedPopulation(referrals: number): Promise<Population> {
  const storage = createInMemoryStorage();
  await simulateYear({ storage, cases: referrals, from: '2026-01-01', to: '2026-12-31', seed: 7 });
  const records = await storage.events.readAll();
  return { storage, records, referrals };
}
