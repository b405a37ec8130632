/**
 * @misas/service — the secured entry point of misas: one session per authenticated principal,
 * every command and query authorised by the one access policy of `@misas/core` and recorded in
 * the audit trail; the person's rights (access export, finding a person); the partner view.
 * @packageDocumentation
 * @module @misas/service
 */
export * from './context.ts';
export * from './misas.ts';
export * from './session.ts';
export * from './queries/case-detail.ts';
export * from './queries/partner-referrals.ts';
export * from './rights/find-person.ts';
export * from './rights/person-export.ts';
export * from './rights/render-person-export.ts';
