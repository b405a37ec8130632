/**
 * @misas/adapters — durable storage for misas: SQLite (embedded, the default) and PostgreSQL.
 * @packageDocumentation
 * @module @misas/adapters
 */
export * from './open-storage.ts';
export { redactStorageUrl } from './storage-url.ts';
export * from './shared/schema-version.ts';
export * from './shared/master-keys.ts';
export * from './sqlite/index.ts';
export * from './postgres/index.ts';
export * from './sqlite/runtime.ts';
