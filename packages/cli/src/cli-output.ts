/**
 * Where the command line writes, and how it fails: commands write through a `CliOutput` (the
 * process's streams, or a buffer in tests) and refuse with a `CliError` carrying the exit code.
 */

/** The two streams a command writes to. Each call is one or more whole lines, without the final newline. */
export interface CliOutput {
  /** Writes to standard output: the result a script reads. */
  out(text: string): void;
  /** Writes to standard error: progress, warnings, failures. */
  err(text: string): void;
}

/** The process's stdout and stderr. */
export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** The exit codes of `misas`. */
export const ExitCode = {
  ok: 0,
  /** A scenario expectation did not hold, or the library refused what was asked. */
  failed: 1,
  /** The input was bad: unknown option, unreadable or invalid file, bad date, unknown store URL, an output path that cannot be written. */
  badInput: 2,
  /** The store is unavailable or damaged: read-only, corrupted, unreachable, locked too long. The message names the check to run. */
  storeUnavailable: 3,
  /** No space left on the disk (the store's or the output file's): the last write was rolled back. */
  diskFull: 4,
  /** A failure misas did not foresee (a bug): `--debug` prints its stack trace. */
  unexpected: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can act on: printed as its message alone, no stack trace. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
