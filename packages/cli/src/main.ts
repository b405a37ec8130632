#!/usr/bin/env node
/**
 * The `misas` binary. From the workspace: `pnpm misas --help` (runs this file from source).
 * The runtime is checked before the program (and the stores under it) is loaded; `--version`
 * alone is answered without loading it at all (the program's commands load the library's schemas).
 */
import { unsupportedNodeReason } from './node-version.ts';
import { asksForVersionOnly, cliVersion } from './version.ts';

const args = process.argv.slice(2);
const refusal = unsupportedNodeReason(process.versions.node);
if (refusal !== undefined) {
  process.stderr.write(`misas: ${refusal}\n`);
  process.exitCode = 1;
} else if (asksForVersionOnly(args)) {
  process.stdout.write(`${cliVersion()}\n`);
} else {
  const { runCli } = await import('./program.ts');
  process.exitCode = await runCli(args);
}
