/**
 * A projection worker: a process (or a loop in one) that keeps projections up to date, holding
 * each projection's lease while it works so that two workers never process the same events of
 * the same projection at once. A worker that dies loses its leases when they expire and another
 * takes over from the committed checkpoint.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, type MisasStorage, type UpcasterRegistry } from '@misas/core';
import { catchUp, type CatchUpResult } from './catch-up.ts';
import type { Projection } from './projection.ts';

/** How a projection worker runs: who it is, and how long it holds a lease. */
export interface ProjectionWorkerOptions {
  /** Unique id of this worker (host + pid, say). */
  readonly owner: string;
  readonly clock: Clock;
  /** How long a lease lasts without renewal (default 30 s). It is renewed before every batch. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly upcasters?: UpcasterRegistry;
}

/** The lease a worker holds while it processes `projection`. */
export const leaseName = (projection: string) => `projection:${projection}`;

/**
 * Keeps projections up to date, holding each one's lease while it works, so that two workers never
 * process the same events of a projection at once.
 */
export class ProjectionWorker {
  readonly #storage: MisasStorage;
  readonly #projections: readonly Projection[];
  readonly #options: ProjectionWorkerOptions;

  constructor(storage: MisasStorage, projections: readonly Projection[], options: ProjectionWorkerOptions) {
    this.#storage = storage;
    this.#projections = projections;
    this.#options = options;
  }

  /**
   * One pass: for each projection whose lease this worker gets, catch up with the log.
   * Returns what was done; a projection held by another worker is skipped.
   */
  async runOnce(): Promise<readonly CatchUpResult[]> {
    const results: CatchUpResult[] = [];
    const { owner, clock } = this.#options;
    const leaseMs = this.#options.leaseMs ?? 30_000;
    for (const projection of this.#projections) {
      const name = leaseName(projection.name);
      if (!(await this.#storage.leases.acquire(name, owner, { now: clock.now(), ttlMs: leaseMs }))) continue;
      results.push(
        await catchUp(this.#storage.events, this.#storage.projections, projection, {
          ...(this.#options.batchSize === undefined ? {} : { batchSize: this.#options.batchSize }),
          ...(this.#options.upcasters === undefined ? {} : { upcasters: this.#options.upcasters }),
          beforeBatch: () => this.#storage.leases.acquire(name, owner, { now: clock.now(), ttlMs: leaseMs }),
        }),
      );
    }
    return results;
  }

  /**
   * Catches up, then follows new events until `signal` aborts: when a pass finds nothing to do it
   * waits `idleMs` (default 200 ms) before looking again. Gives the leases up on the way out.
   */
  async follow(options: { readonly signal: AbortSignal; readonly idleMs?: number; readonly onPass?: (results: readonly CatchUpResult[]) => void }): Promise<void> {
    try {
      while (!options.signal.aborted) {
        const results = await this.runOnce();
        options.onPass?.(results);
        if (results.every((result) => result.processed === 0)) {
          await sleep(options.idleMs ?? 200, undefined, { signal: options.signal }).catch(() => undefined);
        }
      }
    } finally {
      await this.stop();
    }
  }

  /** Gives up every lease (on shutdown), so a standby can take over at once. */
  async stop(): Promise<void> {
    for (const projection of this.#projections) {
      await this.#storage.leases.release(leaseName(projection.name), this.#options.owner);
    }
  }
}
