/**
 * Every conformance suite at once, against a whole `MisasStorage`: what an adapter's test file
 * runs. Each case asks the factory for a fresh, empty storage.
 */
import type { MisasStorage } from '../../application/ports/storage.ts';
import { auditTrailConformance } from './audit-trail.ts';
import { caseSnapshotConformance } from './case-snapshots.ts';
import { eventStoreConformance } from './event-store.ts';
import { inlineAppendConformance } from './inline-append.ts';
import { leaseConformance } from './lease.ts';
import { outboxConformance } from './outbox.ts';
import { projectionStoreConformance } from './projection-store.ts';
import { vaultConformance } from './vault.ts';
import { vaultAppendConformance } from './vault-append.ts';
import { writeBatchConformance } from './write-batch.ts';

/** One case of the conformance suite of a whole storage, tagged with the port it checks. */
export interface StorageConformanceCase {
  /**
   * Which port: `event store`, `vault`, `projection store`, `outbox`, `leases`, `audit trail`,
   * `inline appends`, `personal data with appends`, `case snapshots`, `write batches`.
   */
  readonly suite: string;
  /** What the case checks, as the test's title. */
  readonly name: string;
  /** Runs the case on a fresh, empty storage; it throws when the storage breaks the guarantee. */
  run(fresh: () => Promise<MisasStorage>): Promise<void>;
}

/**
 * The cases of every suite. Pass `{ inline: false }` for a storage without `appendWith`, and
 * `{ atomicVault: false }` for one whose event store does not write the vault in its appends
 * (`commitsWithVault`), `{ snapshots: false }` for one without `snapshots`, `{ writeBatch: false }` for one
 * without `writeBatch`.
 *
 * ```ts
 * for (const check of storageConformance()) it(`${check.suite}: ${check.name}`, () => check.run(openFreshStorage));
 * ```
 */
export function storageConformance(
  options: { readonly inline?: boolean; readonly atomicVault?: boolean; readonly snapshots?: boolean; readonly writeBatch?: boolean } = {},
): readonly StorageConformanceCase[] {
  const port = <T>(suite: string, cases: readonly { name: string; run(factory: () => Promise<T>): Promise<void> }[], pick: (storage: MisasStorage) => T) =>
    cases.map((check) => ({ suite, name: check.name, run: (fresh: () => Promise<MisasStorage>) => check.run(async () => pick(await fresh())) }));
  return [
    ...port('event store', eventStoreConformance, (storage) => storage.events),
    ...port('vault', vaultConformance, (storage) => storage.vault),
    ...port('projection store', projectionStoreConformance, (storage) => storage.projections),
    ...port('outbox', outboxConformance, (storage) => storage.outbox),
    ...port('leases', leaseConformance, (storage) => storage.leases),
    ...port('audit trail', auditTrailConformance, (storage) => storage.audit),
    ...(options.inline === false ? [] : port('inline appends', inlineAppendConformance, (storage) => storage)),
    ...(options.atomicVault === false ? [] : port('personal data with appends', vaultAppendConformance, (storage) => storage)),
    ...(options.snapshots === false ? [] : port('case snapshots', caseSnapshotConformance, (storage) => storage)),
    ...(options.writeBatch === false ? [] : port('write batches', writeBatchConformance, (storage) => storage)),
  ];
}
