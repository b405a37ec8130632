/**
 * The conformance suites every storage adapter runs — ours and any third party's. Runner-agnostic:
 * each case throws on failure. With vitest:
 *
 * ```ts
 * for (const check of eventStoreConformance) it(check.name, () => check.run(() => openMyStore()));
 * ```
 */
export * from './event-store.ts';
export * from './vault.ts';
export * from './projection-store.ts';
export * from './outbox.ts';
export * from './lease.ts';
export * from './audit-trail.ts';
export * from './inline-append.ts';
export * from './vault-append.ts';
export * from './case-snapshots.ts';
export * from './write-batch.ts';
export * from './storage.ts';
