/**
 * SQLite storage (placeholder signature; the implementation lands with the SQLite adapter).
 */
import type { MisasStorage } from '@misas/core';

export interface SqliteStorageOptions {
  /** A file path, or `:memory:`. */
  readonly path: string;
}

export async function openSqliteStorage(options: SqliteStorageOptions): Promise<MisasStorage> {
  throw new Error(`SQLite storage is not built yet (${options.path})`);
}
