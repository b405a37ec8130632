/**
 * `misas migrate [--store URL]`: brings a store's schema up to date. Opening a store applies its
 * pending migrations, so this opens it and says which schema version it is at.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { postgresMigrations, sqliteSchemaVersion } from '@misas/adapters';
import type { CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { announceStore, redactUrl, teamStoreOption, withStorage } from '../storage.ts';

const MigrateOptions = z.object({ store: z.string().min(1) });

/** The schema version a store is at once opened, as `openStorage` reads its URL. */
export function schemaVersionAfterOpening(url: string): { readonly kind: 'sqlite' | 'postgres' | 'memory'; readonly version: number | null } {
  if (url === 'memory:') return { kind: 'memory', version: null };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', version: postgresMigrations.length };
  return { kind: 'sqlite', version: sqliteSchemaVersion };
}

/** Migrates the store and returns the line to print. */
export async function migrateStore(url: string): Promise<string> {
  await withStorage(url, async () => undefined);
  const { kind, version } = schemaVersionAfterOpening(url);
  return version === null
    ? `${redactUrl(url)}: an in-memory store has no schema to migrate`
    : `${redactUrl(url)}: ${kind} schema up to date, at version ${version}`;
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('migrate')
    .description("bring a store's schema up to date (opening a store applies its pending migrations) and print its version")
    .addOption(teamStoreOption())
    .action(async (options: unknown, command: Command) => {
      const { store } = readOptions(MigrateOptions, options);
      announceStore(output, command, store);
      output.out(await migrateStore(store));
    });
}
