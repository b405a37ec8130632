/**
 * Opens the storage a URL names — what an application or the CLI calls with its configuration.
 *
 * | URL                                | storage                                  |
 * | ---------------------------------- | ---------------------------------------- |
 * | (nothing)                          | SQLite file `./misas.db`                 |
 * | `sqlite:./cases.db`, `./cases.db`  | SQLite file                              |
 * | `sqlite::memory:`                  | SQLite in memory                         |
 * | `memory:`                          | plain in-memory ports (no SQL at all)    |
 * | `postgres://user@host:5432/db`     | PostgreSQL (`postgresql://` too)         |
 */
import { createInMemoryStorage, MisasError, type MisasStorage } from '@misas/core';
import { masterKeysFromEnvironment, type MasterKeySettings } from './shared/master-keys.ts';
import { openPostgresStorage } from './postgres/index.ts';
import { openSqliteStorage } from './sqlite/index.ts';

/** Where the library keeps its data when nothing is configured. */
export const defaultStorageUrl = 'sqlite:./misas.db';

/**
 * Opens the storage `url` names. The vault's master keys come from `options.masterKeys`, else the
 * environment (`MISAS_MASTER_KEY`, `MISAS_MASTER_KEY_FILE`), else a SQLite file's key file beside it
 * (created on first use, with a warning); PostgreSQL refuses to open without one.
 */
export async function openStorage(url: string = defaultStorageUrl, options: MasterKeySettings = {}): Promise<MisasStorage> {
  if (url === 'memory:') return createInMemoryStorage({ masterKeys: options.masterKeys ?? masterKeysFromEnvironment(options.environment) });
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStorage({ ...options, connectionString: url });
  if (url.startsWith('sqlite:')) return openSqliteStorage({ ...options, path: url.slice('sqlite:'.length) });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new MisasError('unknown-storage-url', `Unknown storage URL scheme in '${url.replace(/\/\/[^@/]*@/, '//***@')}': use sqlite:, postgres:// or memory:`);
  }
  return openSqliteStorage({ ...options, path: url });
}
