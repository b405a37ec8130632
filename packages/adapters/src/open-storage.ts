/**
 * Opens the storage a URL names — what an application or the CLI calls with its configuration.
 *
 * | URL                                | storage                                  |
 * | ---------------------------------- | ---------------------------------------- |
 * | (nothing)                          | SQLite file `./misas.db`                 |
 * | `sqlite:./cases.db`, `./cases.db`  | SQLite file (FULL durability)            |
 * | `sqlite:./cases.db?synchronous=normal` | SQLite file, NORMAL durability (see docs/adapters.md) |
 * | `sqlite:/srv/misas/cases.db`       | SQLite file, absolute path               |
 * | `sqlite::memory:`                  | SQLite in memory                         |
 * | `memory:`                          | plain in-memory ports (no SQL at all)    |
 * | `postgres://user@host:5432/db`     | PostgreSQL (`postgresql://` too)         |
 *

 * Any of them may end with `?verify=full`, verify mode (see {@link OpenStorageOptions.verify}).
 * `sqlite://…` is refused: there the path would start at the filesystem root.
 */
import { createInMemoryStorage, fullyCheckedStorage, MisasError, type MisasStorage } from '@misas/core';
import { masterKeysFromEnvironment, type MasterKeySettings } from './shared/master-keys.ts';
import { openPostgresStorage } from './postgres/index.ts';
import { openSqliteStorage } from './sqlite/index.ts';
import { readStorageUrl } from './storage-url.ts';

/** Options of {@link openStorage}: the master keys, and verify mode. */
export interface OpenStorageOptions extends MasterKeySettings {
  /**
   * Verify mode: every event read is checked against its full schema, not only its envelope, as if
   * the store had not validated it on write. For a store restored from a backup, or that may have
   * been written by something other than misas, until `misas verify` has checked it. Also
   * `?verify=full` in the URL.
   */
  readonly verify?: boolean;
}
import { parseSqliteUrl } from './sqlite/storage-url.ts';

/** Where the library keeps its data when nothing is configured. */
export const defaultStorageUrl = 'sqlite:./misas.db';

/**
 * Opens the storage `given` names. The vault's master keys come from `options.masterKeys`, else the
 * environment (`MISAS_MASTER_KEY`, `MISAS_MASTER_KEY_FILE`), else a SQLite file's key file beside it
 * (created on first use, with a warning); PostgreSQL refuses to open without one.
 */
export async function openStorage(given: string = defaultStorageUrl, options: OpenStorageOptions = {}): Promise<MisasStorage> {
  const { url, parameters } = readStorageUrl(given);
  const storage = await openStorageAt(url, options);
  return options.verify === true || parameters.verify ? fullyCheckedStorage(storage) : storage;
}

async function openStorageAt(url: string, options: MasterKeySettings): Promise<MisasStorage> {
  if (url === 'memory:') return createInMemoryStorage({ masterKeys: options.masterKeys ?? masterKeysFromEnvironment(options.environment) });
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStorage({ ...options, connectionString: url });
  if (url.startsWith('sqlite:')) return openSqliteStorage({ ...options, ...parseSqliteUrl(url) });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new MisasError('unknown-storage-url', `Unknown storage URL scheme in '${url.replace(/\/\/[^@/]*@/, '//***@')}': use sqlite:, postgres:// or memory:`);
  }
  return openSqliteStorage({ ...options, ...parseSqliteUrl(url) });
}
