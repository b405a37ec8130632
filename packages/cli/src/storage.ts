/**
 * Opening the store a `--store URL` names, for the length of one command.
 */
import { Option, type Command } from 'commander';
import { defaultStorageUrl, openStorage, redactStorageUrl } from '@misas/adapters';
import type { MisasStorage } from '@misas/core';
import { CliError, ExitCode, type CliOutput } from './cli-output.ts';
import { classifyFailure } from './failure.ts';

export { defaultStorageUrl };

/**
 * Where `misas simulate` writes, and `misas report` reads, unless told otherwise: a file of its own,
 * never the team's store (a simulation's clock would fire real people's deadlines).
 */
export const simulationStorageUrl = 'sqlite:./misas-simulation.db';

/** A store URL fit for messages: a PostgreSQL password is masked (the adapters' own masking). */
export function redactUrl(url: string): string {
  return redactStorageUrl(url);
}

/** What a store URL opens, in words: the kind of store, for the line a command prints before opening it. */
export function storeKind(url: string): string {
  if (/^postgres(ql)?:\/\//.test(url)) return 'PostgreSQL';
  if (url === 'memory:' || url.startsWith('memory:?')) return 'in memory, nothing kept';
  if (url.startsWith('sqlite::memory:')) return 'SQLite in memory, nothing kept';
  return 'SQLite';
}

/** The line that says which store a command opens: `misas: store URL (KIND)`, the password masked. */
export function storeLine(url: string, note?: string): string {
  return `misas: store ${redactUrl(url)} (${storeKind(url)}${note ? `, ${note}` : ''})`;
}

/**
 * Says on stderr which store the command is about to open (stdout stays the command's result, so
 * `--json` output parses), unless `--quiet`. An operator whose store came from `MISAS_STORE` or
 * `DATABASE_URL` sees which one it was, never its password.
 */
export function announceStore(output: CliOutput, command: Command, url: string, note?: string): void {
  if (command.optsWithGlobals()['quiet'] === true) return;
  output.err(storeLine(url, note));
}

/** The help text of `--store`; commander adds the default. */
export function storeOptionHelp(note?: string): string {
  return `where the cases are kept: sqlite:FILE, sqlite::memory:, memory: or postgres://…${note ? ` (${note})` : ''}`;
}

/**
 * The team's store when `--store` is not given: `MISAS_STORE`, else `DATABASE_URL` when it names
 * PostgreSQL (the variable hosting platforms set), else `sqlite:./misas.db`. So an operator keeps
 * the URL, and its password, in the environment rather than on the command line.
 */
export function configuredStorageUrl(environment: Readonly<Record<string, string | undefined>> = process.env): string {
  const store = environment['MISAS_STORE']?.trim();
  if (store) return store;
  const database = environment['DATABASE_URL']?.trim();
  if (database && /^postgres(ql)?:\/\//.test(database)) return database;
  return defaultStorageUrl;
}

/**
 * `--store` of the commands that work on the team's store (migrate, rebuild, verify, export, purge, keys),
 * defaulting from the environment; `--help` shows that default with its password masked.
 */
export function teamStoreOption(environment: Readonly<Record<string, string | undefined>> = process.env): Option {
  const url = configuredStorageUrl(environment);
  return new Option('--store <url>', storeOptionHelp('default: MISAS_STORE, else a postgres:// DATABASE_URL, else sqlite:./misas.db')).default(url, redactUrl(url));
}

/**
 * Opens the store (which applies its pending migrations), runs `use`, and closes it whatever
 * happens. A store that cannot be opened is bad input (its URL is wrong, the file is not a misas
 * store), unless the store itself is unavailable, damaged or full: those keep their own exit code.
 * `settings.onWarning` hears what opening it has to say (a key file generated), instead of stderr.
 */
export async function withStorage<T>(url: string, use: (storage: MisasStorage) => Promise<T>, settings: { readonly onWarning?: (text: string) => void } = {}): Promise<T> {
  let storage: MisasStorage;
  try {
    storage = await openStorage(url, settings.onWarning ? { onWarning: settings.onWarning } : {});
  } catch (error) {
    const { exitCode } = classifyFailure(error);
    if (exitCode === ExitCode.storeUnavailable || exitCode === ExitCode.diskFull) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot open the store ${redactUrl(url)}: ${reason}`, ExitCode.badInput);
  }
  let result: T;
  try {
    result = await use(storage);
  } catch (error) {
    // The failure that stopped the work is the one to report: closing a store that just failed
    // (a full disk refusing the last checkpoint, say) must not hide it.
    await storage.close().catch(() => undefined);
    throw error;
  }
  await storage.close();
  return result;
}
