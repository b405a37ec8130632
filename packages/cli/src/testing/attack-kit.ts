/**
 * What the command-line attack tests share: scratch files, the stores to run on, ways to damage a
 * store (an immutable file, overwritten pages, a tiny file system), and `misas` as a real process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { referralEntry, type MisasStorage } from '@misas/core';
import { dropSchema, freshSchemaName, pgUrl, urlWithSchema } from '../../../adapters/src/postgres/test-kit.ts';
import { repositoryPath, splitStoreLines } from './capture.ts';

/** A fresh folder under the system's temporary folder. */
export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `misas-attack-${label}-`));
}

/** A durable store for one test: its URL, and how to get rid of it. */
export interface AttackStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file, and a fresh PostgreSQL schema when a server is configured. */
export function durableStores(label: string): { readonly kind: 'sqlite' | 'postgres'; create(): AttackStore }[] {
  const sqlite = {
    kind: 'sqlite' as const,
    create: (): AttackStore => ({ kind: 'sqlite', url: `sqlite:${join(scratchDir(label), 'cases.db')}`, drop: async () => undefined }),
  };
  if (pgUrl === undefined) return [sqlite];
  const server = pgUrl;
  const postgres = {
    kind: 'postgres' as const,
    create: (): AttackStore => {
      const schema = freshSchemaName(label);
      return { kind: 'postgres', url: urlWithSchema(server, schema), drop: () => dropSchema(schema) };
    },
  };
  return [sqlite, postgres];
}

/** Whether `err` is exactly one `misas: ` line, with no stack frame. */
export function isOneLine(err: string): boolean {
  return err.split('\n').length === 1 && err.startsWith('misas: ') && !err.includes('    at ');
}

/** A "billion laughs" YAML file: nine levels of nine aliases, a billion strings once expanded. */
export function aliasBombFile(dir: string): string {
  const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const lines = [`a: &a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels.length; i++) lines.push(`${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
  const file = join(dir, 'bomb.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Overwrites the middle third of a file with 0xff bytes: pages SQLite reads are damaged, its header is not. */
export function corruptMiddle(file: string): void {
  const size = statSync(file).size;
  const pageSize = 4096;
  const start = Math.floor(size / 3 / pageSize) * pageSize;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(Math.max(pageSize, Math.floor(size / 3)), 0xff), 0, undefined, start);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes a file immutable (`chattr +i`) or mutable again. The tests run as root, whom chmod does not
 * stop; the immutable attribute stops every user, root included (ext4 and most Linux file systems).
 */
export function setImmutable(path: string, immutable: boolean): void {
  execFileSync('chattr', [immutable ? '+i' : '-i', path]);
}

/** The path of a store URL's SQLite file. */
export function sqliteFile(url: string): string {
  return url.replace(/^sqlite:/, '');
}

const ReferralReceived = z.object({ type: z.literal('ReferralReceived'), data: z.object({ subjectRef: z.string() }).loose() });

/** Whether the vault still holds the person of a case (their referral entry is readable). */
export async function personReadable(storage: MisasStorage, caseId: string): Promise<boolean> {
  const referral = (await storage.events.readStream(caseId)).map((event) => ReferralReceived.safeParse(event)).find((parsed) => parsed.success);
  if (referral?.data === undefined) throw new Error(`case ${caseId} has no referral`);
  return (await storage.vault.get(referral.data.data.subjectRef, referralEntry)).status === 'found';
}

/** What a `misas` process printed and returned. */
export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  /** stderr without the `misas: store …` lines, which are in `store`. */
  readonly stderr: string;
  readonly store: readonly string[];
}

const mainScript = repositoryPath('packages/cli/src/main.ts');

/**
 * Runs `misas ARGS…` as a real process (the same Node, from source). `wrap` puts a shell command
 * around it, e.g. to mount a tiny file system first; `$MISAS` stands for the misas command in it.
 */
export function runMisasProcess(
  args: readonly string[],
  options: { cwd?: string; wrap?: (misas: string) => readonly string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<ProcessRun> {
  const command = [process.execPath, '--conditions=@misas/source', mainScript, ...args];
  const [file, ...rest] = options.wrap ? options.wrap(command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ')) : command;
  return new Promise((resolve, reject) => {
    const child = spawn(file ?? process.execPath, rest, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const { err, store } = splitStoreLines(stderr.replace(/\n$/, ''));
      resolve({ code, stdout, stderr: err, store });
    });
  });
}

/** Whether this machine lets us mount a tmpfs in a private mount namespace (root with CAP_SYS_ADMIN). */
export function canMountTmpfs(): boolean {
  try {
    const dir = scratchDir('mount-probe');
    execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${dir}'`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A shell wrapper running misas with `dir` mounted as a tmpfs of `kib` KiB: a disk that fills up. */
export function onTinyDisk(dir: string, kib: number): (misas: string) => readonly string[] {
  return (misas) => ['unshare', '-m', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=${kib}k tmpfs '${dir}' && exec ${misas}`];
}
