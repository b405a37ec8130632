/**
 * PostgreSQL storage (placeholder signature; the implementation lands with the PostgreSQL adapter).
 */
import type { MisasStorage } from '@misas/core';

export interface PostgresStorageOptions {
  readonly connectionString: string;
}

export async function openPostgresStorage(options: PostgresStorageOptions): Promise<MisasStorage> {
  throw new Error(`PostgreSQL storage is not built yet (${options.connectionString.length})`);
}
