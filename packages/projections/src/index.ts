/**
 * @misas/projections — read models built from the event log.
 * @packageDocumentation
 * @module @misas/projections
 */
export * from './engine/projection.ts';
export * from './engine/case-projection.ts';
export type { CaseDocument } from './engine/case-documents.ts';
export * from './engine/catch-up.ts';
export * from './engine/generations.ts';
export * from './engine/rebuild.ts';
export * from './engine/inline.ts';
export * from './engine/projection-worker.ts';
export * from './read-models/index.ts';
export * from './engine/reactor.ts';
export * from './outbox/detector-notices.ts';
export * from './scheduler/deadlines.ts';
export * from './scheduler/scheduler.ts';
export * from './scheduler/erasure-relay.ts';
export * from './store-read-models.ts';
