/**
 * The `misas` program: commander, with one module per command under `commands/`. Each module
 * exports `register(program, output)`; adding a command is one import and one entry in
 * `commands` below.
 */
import { Command } from 'commander';
import { ExitCode, processOutput, type CliOutput } from './cli-output.ts';
import { exitCodesHelp, reportFailure } from './failure.ts';
import { cliVersion } from './version.ts';
import { register as exportCommand } from './commands/export.ts';
import { register as keys } from './commands/keys.ts';
import { register as migrate } from './commands/migrate.ts';
import { register as purge } from './commands/purge.ts';
import { register as report } from './commands/report.ts';
import { register as rebuild } from './commands/rebuild.ts';
import { register as run } from './commands/run.ts';
import { register as simulate } from './commands/simulate.ts';
import { register as verify } from './commands/verify.ts';

/** Adds one command to the program. `output` is where it writes; a command may ignore it and use the console. */
export type RegisterCommand = (program: Command, output: CliOutput) => void;

/** Every command, in the order `--help` lists them. */
const commands: readonly RegisterCommand[] = [run, simulate, report, migrate, rebuild, verify, exportCommand, purge, keys];

/**
 * Builds the program. Commander's exits are turned into errors (`exitOverride`) so that a test
 * can run it in-process; `runCli` turns them back into exit codes.
 */
export function createProgram(output: CliOutput = processOutput): Command {
  const program = new Command('misas')
    .description('Case work of a Mission accompagnement santé from the command line: play scenario files, look after a store.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    // Read by runCli from the arguments (a failure can come before commander parsed them).
    .option('--debug', 'print the stack trace of a failure')
    // Read by each command through optsWithGlobals (see storage.ts, announceStore).
    .option('-q, --quiet', "print no 'misas: store …' line on stderr")
    .addHelpText('after', exitCodesHelp)
    .configureOutput({ writeOut: (text) => output.out(text.replace(/\n$/, '')), writeErr: (text) => output.err(text.replace(/\n$/, '')) })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of commands) register(program, output);
  return program;
}

/**
 * Runs `misas` with the arguments after the program name and returns the exit code. Never throws:
 * every failure is printed as one `misas: …` line (see failure.ts), its stack only with `--debug`.
 */
export async function runCli(args: readonly string[], output: CliOutput = processOutput): Promise<number> {
  const program = createProgram(output);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error, output, args.includes('--debug'));
  }
}
