/**
 * How a failure ends a run of `misas`: always one `misas: …` line on stderr (several for a list of
 * bad fields) and a documented exit code; the stack trace only with `--debug`. The exit codes are
 * those of `ExitCode`, listed in `misas --help` and the README.
 */
import { CommanderError } from 'commander';
import { isStorageFailure, MisasError, StorageFullError, ValidationError } from '@misas/core';
import { CliError, ExitCode, type CliOutput } from './cli-output.ts';

/** The exit codes, as `misas --help` lists them. */
export const exitCodesHelp = `
Exit codes:
  0  done
  1  refused or failed: a scenario expectation did not hold, the library refused the command
  2  bad input or usage: an unknown option, an invalid file or date, an output path that cannot be written
  3  the store is unavailable or damaged (read-only, corrupted, unreachable, locked, or events that misas verify finds bad): the message says what to check
  4  no space left on the disk: the last write was rolled back
  5  unexpected error (a bug): rerun with --debug for the stack trace
Add --debug to any command to print the stack trace of a failure.`;

/** Node's code for a full disk, on an error from `node:fs`. */
function isDiskFull(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOSPC';
}

/** The exit code and the message (without the `misas: ` prefix) of a failure. */
export function classifyFailure(error: unknown): { readonly exitCode: ExitCode; readonly message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof StorageFullError || isDiskFull(error)) return { exitCode: ExitCode.diskFull, message: messageOf(error) };
  // StorageUnavailableError, and the SQLite adapter's `storage-busy` (a lock held too long) and `storage-closed`.
  if (isStorageFailure(error)) return { exitCode: ExitCode.storeUnavailable, message: messageOf(error) };
  if (error instanceof ValidationError) return { exitCode: ExitCode.badInput, message: error.message };
  if (error instanceof MisasError) return { exitCode: ExitCode.failed, message: error.message };
  return { exitCode: ExitCode.unexpected, message: `unexpected error: ${messageOf(error)} (run with --debug for the stack trace)` };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stack trace of an error and of its causes, for `--debug`. */
function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) lines.push('caused by:');
  }
  return lines.join('\n');
}

/** Prints a failure and returns the exit code. Commander has printed its own messages already. */
export function reportFailure(error: unknown, output: CliOutput, debug: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // `--help` and `--version` end with code 0; any other is a usage error.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  const { exitCode, message } = classifyFailure(error);
  output.err(`misas: ${message}`);
  if (debug) output.err(stackOf(error));
  return exitCode;
}
