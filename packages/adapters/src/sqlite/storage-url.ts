/**
 * What a SQLite storage URL names: `sqlite:PATH[?synchronous=full|normal]` (or a bare path). The
 * query is read strictly — an unknown parameter, a repeated one or an unknown value is refused in
 * one line that names it and what is allowed — since a durability setting misread as the default
 * (or the default misread as a weaker one) would be a silent change of what a commit promises.
 */
import { MisasError } from '@misas/core';
import { sqliteSynchronousValues, type SqliteSynchronous } from './connection.ts';

/** The options a SQLite URL sets. */
export interface SqliteUrlOptions {
  readonly path: string;
  readonly synchronous?: SqliteSynchronous;
}

const parameters = ['synchronous'] as const;

function refuse(message: string): never {
  throw new MisasError('invalid-storage-url', message);
}

function synchronousOf(value: string): SqliteSynchronous {
  const known = sqliteSynchronousValues.find((allowed) => allowed === value);
  if (known !== undefined) return known;
  if (value === 'off') {
    refuse(
      "synchronous=off is refused: a power loss could corrupt the file, not merely lose its last commits, and in WAL mode it saves little over synchronous=normal (allowed: full, normal)",
    );
  }
  return refuse(`synchronous=${value} is not a value misas knows (allowed: ${sqliteSynchronousValues.join(', ')})`);
}

/**
 * Reads `url`: with the `sqlite:` prefix or without (a bare path), and an optional query. The path
 * is taken as written (no percent-decoding); a file whose name holds `?` is opened with
 * `openSqliteStorage({ path })` instead.
 * @throws MisasError `invalid-storage-url` for `sqlite://…` (whose path would start at the
 *   filesystem root), an empty path, or a query it does not know
 */
export function parseSqliteUrl(url: string): SqliteUrlOptions {
  if (url.startsWith('sqlite://')) {
    const written = url.slice('sqlite://'.length);
    const meant = written.startsWith('/') || written.startsWith('.') ? written : `./${written}`;
    refuse(
      `'${url}' is refused: after sqlite:// the path would start at the filesystem root. ` +
        `Write sqlite:${meant} (sqlite:./file.db for a path relative to the working directory, sqlite:/abs/path.db for an absolute one)`,
    );
  }
  const rest = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const mark = rest.indexOf('?');
  const path = mark === -1 ? rest : rest.slice(0, mark);
  if (path === '') refuse(`'${url}' names no file: give a path (sqlite:./cases.db) or sqlite::memory:`);
  if (mark === -1) return { path };
  let synchronous: SqliteSynchronous | undefined;
  for (const pair of rest.slice(mark + 1).split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? undefined : pair.slice(equals + 1);
    if (!parameters.some((known) => known === name)) {
      refuse(`'${name}' is not a SQLite storage URL parameter misas knows (allowed: ${parameters.join(', ')}, and verify)`);
    }
    if (value === undefined || value === '') refuse(`${name} needs a value (allowed: ${sqliteSynchronousValues.join(', ')})`);
    if (synchronous !== undefined) refuse(`${name} is given twice in '${url}': give it once (allowed: ${sqliteSynchronousValues.join(', ')})`);
    synchronous = synchronousOf(value);
  }
  return synchronous === undefined ? { path } : { path, synchronous };
}
