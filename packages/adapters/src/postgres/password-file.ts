/**
 * The PostgreSQL password from a file (`MISAS_PG_PASSWORD_FILE`, or the `passwordFile` option), so
 * that an operator never has to put it on a command line or in a URL that ends up in a shell
 * history, a process list or a log. The file is read at each new connection, so a rotated secret
 * (a Docker or Kubernetes secret file) is picked up without a restart.
 *
 * pg's own sources stay as they are: a password in the URL, else `PGPASSWORD`, else `~/.pgpass`.
 */
import { readFileSync } from 'node:fs';
import { MisasError } from '@misas/core';
import type { Environment } from '../shared/master-keys.ts';
import { modeOpenToOthers } from '../shared/secret-file.ts';

/** The environment variable naming the file that holds the PostgreSQL password. */
export const passwordFileVariable = 'MISAS_PG_PASSWORD_FILE';

/** Where the password file is named: the option wins over the environment. */
export interface PasswordFileSettings {
  /** A file holding the password (one line; a final newline is dropped). */
  readonly passwordFile?: string | undefined;
  /** Where `MISAS_PG_PASSWORD_FILE` is read (default: `process.env`). */
  readonly environment?: Environment;
}

/**
 * The password as pg takes it (a function called at each connection), or undefined when no file
 * is named. Checked once here, so that a wrong path fails the open with one clear line rather than
 * each connection later.
 * @throws MisasError `invalid-option` when the URL carries a password too (give one);
 *   `password-file-unreadable` when the file cannot be read; `password-file-permissions` when
 *   other users may read it (as libpq refuses such a `.pgpass`); `password-file-empty`
 */
export function passwordFromFile(connectionString: string, settings: PasswordFileSettings): (() => string) | undefined {
  const fromOption = settings.passwordFile?.trim();
  const fromEnvironment = (settings.environment ?? process.env)[passwordFileVariable]?.trim();
  const path = fromOption === undefined || fromOption === '' ? fromEnvironment : fromOption;
  if (path === undefined || path === '') return undefined;
  const source = fromOption === undefined || fromOption === '' ? `${passwordFileVariable} (${path})` : `passwordFile ${path}`;
  if (urlHasPassword(connectionString)) {
    throw new MisasError('invalid-option', `the URL carries a password and ${source} names a password file: give one (the file keeps the password off the command line)`);
  }
  const read = (): string => readPassword(path, source);
  read();
  return read;
}

function readPassword(path: string, source: string): string {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    throw new MisasError('password-file-unreadable', `cannot read the PostgreSQL password file of ${source}: check the path and its permissions`);
  }
  const mode = modeOpenToOthers(path);
  if (mode !== undefined) {
    throw new MisasError('password-file-permissions', `the PostgreSQL password file of ${source} is open to other users (mode 0${mode.toString(8)}): run chmod 600 on it`);
  }
  const password = content.replace(/\r?\n$/, '');
  if (password === '' || password.includes('\n')) {
    throw new MisasError('password-file-empty', `the PostgreSQL password file of ${source} must hold the password on one line`);
  }
  return password;
}

/** Whether a `postgres://user:password@…` URL carries a password (a URL that does not parse is left to pg). */
function urlHasPassword(connectionString: string): boolean {
  try {
    return new URL(connectionString).password !== '';
  } catch {
    return false;
  }
}
