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
import { openPostgresStorage } from './postgres/index.ts';
import { openSqliteStorage } from './sqlite/index.ts';

/** Where the library keeps its data when nothing is configured. */
export const defaultStorageUrl = 'sqlite:./misas.db';

export async function openStorage(url: string = defaultStorageUrl): Promise<MisasStorage> {
  if (url === 'memory:') return createInMemoryStorage();
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStorage({ connectionString: url });
  if (url.startsWith('sqlite:')) return openSqliteStorage({ path: url.slice('sqlite:'.length) });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new MisasError('unknown-storage-url', `Unknown storage URL scheme in '${url.replace(/\/\/[^@/]*@/, '//***@')}': use sqlite:, postgres:// or memory:`);
  }
  return openSqliteStorage({ path: url });
}
