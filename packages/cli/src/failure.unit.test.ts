import { describe, expect, it } from 'vitest';
import { CommandRejectedError, MisasError, StorageFullError, StorageUnavailableError, ValidationError } from '@misas/core';
import { CliError, ExitCode, type CliOutput } from './cli-output.ts';
import { classifyFailure, reportFailure } from './failure.ts';
import { captureCli } from './testing/capture.ts';

function captured(): CliOutput & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (text) => lines.push(text), err: (text) => lines.push(text) };
}

describe('how a failure ends a run', () => {
  it.each([
    ['a refused command', new CommandRejectedError({ caseId: 'c', state: 'closed', command: 'AgreePlan', rule: 'allowed-in-state', reason: 'closed' }), ExitCode.failed],
    ['a library refusal', new MisasError('case-not-found', 'no case c'), ExitCode.failed],
    ['bad input to the library', new ValidationError('command', [{ path: 'data', rule: 'invalid_type', message: 'required' }]), ExitCode.badInput],
    ['a read-only store', new StorageUnavailableError({ reason: 'read-only', store: 'a.db', detail: 'is read-only', action: 'fix it' }), ExitCode.storeUnavailable],
    ['a lock held too long', new MisasError('storage-busy', 'locked'), ExitCode.storeUnavailable],
    ['a full disk', new StorageFullError('a.db', 'SQLITE_FULL'), ExitCode.diskFull],
    ['a full disk under an output file', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }), ExitCode.diskFull],
    ['a usage error', new CliError('bad', ExitCode.badInput), ExitCode.badInput],
  ])('given %s, then its exit code is documented', (_, error, code) => {
    expect(classifyFailure(error).exitCode).toBe(code);
  });

  it('given an error nobody foresaw, then it is one line saying so and pointing to --debug, exit 5; --debug adds the stack and its cause', () => {
    const bug = new TypeError('Cannot read properties of undefined', { cause: new Error('the root') });
    const plain = captured();
    expect(reportFailure(bug, plain, false)).toBe(ExitCode.unexpected);
    expect(plain.lines).toEqual(['misas: unexpected error: Cannot read properties of undefined (run with --debug for the stack trace)']);
    const debug = captured();
    reportFailure(bug, debug, true);
    expect(debug.lines[1]).toContain('    at ');
    expect(debug.lines[1]).toContain('caused by:\nError: the root');
  });

  it('when --help is asked, then it lists every exit code and --debug', async () => {
    const help = await captureCli(['--help']);
    expect(help.code).toBe(0);
    for (const line of ['--debug', '2  bad input or usage', '3  the store is unavailable or damaged', '4  no space left', '5  unexpected error']) expect(help.out).toContain(line);
  });
});
