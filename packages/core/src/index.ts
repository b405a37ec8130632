/**
 * @misas/core — the case lifecycle of a Mission accompagnement santé.
 *
 * Domain: vocabulary, referral form, fund policy, screening aids, commands, events, the XState
 * lifecycle with `decide` / `evolve`. Application: the command handler and the ports it needs
 * (event store, personal-data vault, clock, ids). In-memory implementations of the ports.
 * @packageDocumentation
 * @module @misas/core
 */
export * from './errors.ts';
export * from './domain/vocabulary.ts';
export * from './domain/id.ts';
export * from './domain/text.ts';
export * from './domain/business-dates.ts';
export * from './domain/calendar.ts';
export * from './domain/nir.ts';
export * from './domain/referral.ts';
export * from './domain/referral-json-schema.ts';
export * from './domain/policy.ts';
export * from './domain/screening.ts';
export * from './domain/commands.ts';
export * from './domain/appointment-commands.ts';
export * from './domain/review-commands.ts';
export * from './domain/events/metadata.ts';
export * from './domain/events/catalogue.ts';
export * from './domain/events/appointment-events.ts';
export * from './domain/events/review-events.ts';
export * from './domain/events/recorded.ts';
export * from './domain/events/upcasters.ts';
export * from './domain/events/decode.ts';
export * from './domain/events/describe.ts';
export * from './domain/lifecycle/case-file.ts';
// Named: the draft `recordEvent` writes into stays inside the library (replay owns it).
export { applyEvent, reminderKey } from './domain/lifecycle/case-file-events.ts';
export * from './domain/lifecycle/machine.ts';
export * from './domain/lifecycle/lifecycle-drawing.ts';
export * from './domain/lifecycle/case-state.ts';
export * from './domain/lifecycle/case-snapshot.ts';
export * from './domain/lifecycle/sealed-command.ts';
export * from './domain/lifecycle/rules.ts';
export * from './domain/lifecycle/decide.ts';
export * from './domain/lifecycle/evolve.ts';
export * from './application/ports/clock.ts';
export * from './application/ports/id-generator.ts';
export * from './application/ports/event-store.ts';
export * from './application/ports/personal-data-vault.ts';
export * from './application/ports/key-wrapper.ts';
export * from './application/ports/projection-store.ts';
export * from './application/ports/outbox.ts';
export * from './application/ports/lease.ts';
export * from './application/ports/audit-trail.ts';
export * from './application/ports/storage.ts';
export * from './application/ports/case-snapshot-store.ts';
export * from './application/audit-trail-rules.ts';
export * from './application/crypto/subject-cipher.ts';
export * from './application/crypto/master-key-ring.ts';
export * from './application/case-repository.ts';
export * from './application/case-snapshots.ts';
export * from './application/read-check.ts';
export * from './application/validate-append.ts';
export * from './application/verify-events.ts';
export * from './application/case-state-cache.ts';
export * from './application/seal-personal-data.ts';
export * from './application/personal-data-record.ts';
export * from './application/policy-provider.ts';
export * from './application/command-fingerprint.ts';
export * from './application/retry-backoff.ts';
export * from './application/personal-data-retry.ts';
export * from './application/command-handler.ts';
export * from './application/sweep-orphaned-personal-data.ts';
export * from './in-memory/memory-event-store.ts';
export * from './in-memory/memory-vault.ts';
export * from './in-memory/memory-projection-store.ts';
export * from './in-memory/memory-outbox.ts';
export * from './in-memory/memory-lease.ts';
export * from './in-memory/memory-audit-trail.ts';
export * from './in-memory/memory-case-snapshot-store.ts';
export * from './in-memory/in-memory-storage.ts';
export * from './application/access/principal.ts';
export * from './application/access/permissions.ts';
export * from './application/access/authorize.ts';
export * from './application/access/refiling.ts';
export * from './application/available-commands/commands-available.ts';
export { caseCommandTypes, type CaseCommandOffered } from './application/available-commands/probes.ts';
