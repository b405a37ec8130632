#!/usr/bin/env node
/**
 * The `misas` binary. From the workspace: `pnpm misas --help` (runs this file from source).
 * The runtime is checked before the program (and the stores under it) is loaded.
 */
import { unsupportedNodeReason } from './node-version.ts';

const refusal = unsupportedNodeReason(process.versions.node);
if (refusal === undefined) {
  const { runCli } = await import('./program.ts');
  process.exitCode = await runCli(process.argv.slice(2));
} else {
  process.stderr.write(`misas: ${refusal}\n`);
  process.exitCode = 1;
}
