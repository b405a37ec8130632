/**
 * @misas/cli — the `misas` command line, and the scenario files it plays.
 * @packageDocumentation
 * @module @misas/cli
 */
export * from './scenario/index.ts';
export * from './simulation/index.ts';
export * from './cli-output.ts';
export { createProgram, runCli, type RegisterCommand } from './program.ts';
