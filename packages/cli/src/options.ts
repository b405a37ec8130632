/**
 * Commander hands options and arguments over untyped: each command reads them through a zod
 * schema, so that what it uses is what it checked.
 */
import type { z } from 'zod';
import { CliError, ExitCode } from './cli-output.ts';

/** Parses what commander parsed; a mismatch is bad input, named by option. */
export function readOptions<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const named = parsed.error.issues.map((issue) => `--${issue.path.map(String).join('.') || '(options)'}: ${issue.message}`);
  // One bad option is one line; several are listed under a heading.
  if (named.length === 1) throw new CliError(`invalid option ${named[0]}`, ExitCode.badInput);
  throw new CliError(`invalid options:\n${named.map((line) => `  ${line}`).join('\n')}`, ExitCode.badInput);
}
