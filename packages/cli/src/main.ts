#!/usr/bin/env node
/**
 * The `misas` binary. From the workspace: `pnpm misas --help` (runs this file from source).
 */
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2));
