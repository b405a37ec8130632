/**
 * @misas/core/testing — a given/when/then kit and fixtures for testing a fund's rules.
 * @packageDocumentation
 * @module @misas/core/testing
 */
export * from './case-specification.ts';
export * from './fixtures.ts';
export * from './conformance/index.ts';
