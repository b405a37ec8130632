/**
 * Versioned schema migrations, shared by the durable stores: each store keeps the version of its
 * schema, applies the migrations it lacks on open, and refuses a schema newer than it knows.
 */
import { MisasError } from '@misas/core';

/** One step of a store's schema. Versions start at 1 and have no gaps. */
export interface Migration<TRunner> {
  readonly version: number;
  readonly description: string;
  up(runner: TRunner): Promise<void> | void;
}

/** The database was written by a newer library: opening it could corrupt it. */
export class StoreTooNewError extends MisasError {
  readonly storeVersion: number;
  readonly libraryVersion: number;
  constructor(store: string, storeVersion: number, libraryVersion: number) {
    super(
      'store-too-new',
      `${store} has schema version ${storeVersion}, but this library knows up to ${libraryVersion}: ` +
        'upgrade @misas/adapters before opening it (it was not modified)',
    );
    this.storeVersion = storeVersion;
    this.libraryVersion = libraryVersion;
  }
}

/** The migrations still to apply, after checking the list is well-formed and the store not too new. */
export function pendingMigrations<T>(store: string, migrations: readonly Migration<T>[], current: number): readonly Migration<T>[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`${store}: migration ${index} has version ${migration.version}, expected ${index + 1}`);
  });
  const latest = migrations.length;
  if (current > latest) throw new StoreTooNewError(store, current, latest);
  return migrations.slice(current);
}
