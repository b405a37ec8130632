/**
 * `misas keys generate` and `misas keys rotate [--store URL]`: the master keys that wrap the
 * vault's per-person keys. Rotating: put a new key first (in `MISAS_MASTER_KEY`, comma separated,
 * or as the first line of the key file), keep the old one after it, run `rotate`; once it says no
 * key is left under an older master key, remove the old one.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { generateMasterKey, type MisasStorage, type RewrapReport } from '@misas/core';
import type { CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { announceStore, redactUrl, teamStoreOption, withStorage } from '../storage.ts';

const Count = z.coerce.number().int().positive();
const RotateOptions = z.object({ store: z.string().min(1), batch: Count.default(500), limit: Count.optional() });

/** Rewraps every stored key to the current master key, telling `progress` after each batch; returns the closing line. */
export async function rotateKeys(storage: MisasStorage, options: { batch: number; limit?: number | undefined }, progress: (line: string) => void): Promise<string> {
  const report: RewrapReport = await storage.vault.rewrapKeys({
    batchSize: options.batch,
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    onBatch: (done) => progress(`rewrapped ${done.rewrapped} key(s) so far, ${done.remaining} left under older master keys`),
  });
  const head = `${report.rewrapped} key(s) rewrapped to master key ${report.currentKeyId}`;
  return report.remaining === 0
    ? `${head}; every key is under it now: older master keys can be removed`
    : `${head}; ${report.remaining} still under older master keys: run misas keys rotate again to go on`;
}

export function register(program: Command, output: CliOutput): void {
  const keys = program.command('keys').description("the master keys that wrap the vault's per-person keys (MISAS_MASTER_KEY or MISAS_MASTER_KEY_FILE)");
  keys
    .command('generate')
    .description('print a new random master key (base64 of 32 bytes), for MISAS_MASTER_KEY or a key file')
    .action(() => output.out(generateMasterKey()));
  keys
    .command('rotate')
    .description('rewrap every stored key to the current master key (the first one configured), in batches; resumable')
    .addOption(teamStoreOption())
    .option('--batch <n>', 'keys rewrapped per transaction', '500')
    .option('--limit <n>', 'stop after this many keys (a later run resumes)')
    .action(async (options: unknown, command: Command) => {
      const { store, batch, limit } = readOptions(RotateOptions, options);
      announceStore(output, command, store);
      const line = await withStorage(store, (storage) => rotateKeys(storage, { batch, limit }, (progress) => output.err(progress)));
      output.out(`${redactUrl(store)}: ${line}`);
    });
}
