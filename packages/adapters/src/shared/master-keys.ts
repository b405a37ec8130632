/**
 * Where a storage gets the master keys that wrap the vault's per-person keys: given by the
 * application, from the environment (`MISAS_MASTER_KEY`, `MISAS_MASTER_KEY_FILE`), or — for a
 * SQLite file and nothing configured — a key file generated beside the database (see
 * docs/privacy.md, "The master key", for why each store defaults as it does).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { generateMasterKey, MasterKeyError, MasterKeyRing, type KeyWrapper } from '@misas/core';
import { modeOpenToOthers } from './secret-file.ts';

/** The environment variable holding master keys as base64, the current one first (comma or space separated). */
export const masterKeyVariable = 'MISAS_MASTER_KEY';
/** The environment variable naming a key file: one base64 key a line, the current one first, `#` comments. */
export const masterKeyFileVariable = 'MISAS_MASTER_KEY_FILE';

/** The variables a storage reads; tests pass their own. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How a storage is given its master keys; every field optional. */
export interface MasterKeySettings {
  /** The master keys to use: wins over the environment. A key-management service plugs in here. */
  readonly masterKeys?: KeyWrapper;
  /** Where `MISAS_MASTER_KEY` / `MISAS_MASTER_KEY_FILE` are read (default: `process.env`). */
  readonly environment?: Environment;
  /** Told, in one line, when a key file is generated (default: `console.warn`). */
  readonly onWarning?: (message: string) => void;
}

/** The master keys the environment configures, or undefined when it configures none. */
export function masterKeysFromEnvironment(environment: Environment = process.env): KeyWrapper | undefined {
  const inline = environment[masterKeyVariable]?.trim();
  const file = environment[masterKeyFileVariable]?.trim();
  if (inline && file) {
    throw new MasterKeyError({ rule: 'master-key-ambiguous', message: `both ${masterKeyVariable} and ${masterKeyFileVariable} are set: keep one` });
  }
  if (inline) return MasterKeyRing.fromBase64(inline.split(/[\s,]+/).filter(Boolean), masterKeyVariable);
  if (file) return readMasterKeyFile(file, `${masterKeyFileVariable} (${file})`);
  return undefined;
}

/**
 * Reads a key file. Refuses one that other users may read (as ssh does): the master key is the
 * one secret that keeps a copied database closed.
 */
export function readMasterKeyFile(path: string, source = `key file ${path}`): KeyWrapper {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    throw new MasterKeyError({ rule: 'master-key-file-unreadable', message: `cannot read the master key file of ${source}: check the path and its permissions` });
  }
  const mode = modeOpenToOthers(path);
  if (mode !== undefined) {
    throw new MasterKeyError({
      rule: 'master-key-file-permissions',
      message: `the master key file of ${source} is open to other users (mode 0${mode.toString(8)}): run chmod 600 on it`,
    });
  }
  const keys = content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return MasterKeyRing.fromBase64(keys, source);
}

/** The key file generated beside a SQLite database when nothing is configured. */
export function defaultKeyFileOf(databasePath: string): string {
  return `${databasePath}.key`;
}

/**
 * Creates a key file with a new key, readable by its owner only, or reads the one another process
 * created first: the file is written under a temporary name and linked into place, so no process
 * ever reads half a key. Returns the keys and whether this call created the file.
 */
export function createKeyFile(path: string): { readonly keys: KeyWrapper; readonly created: boolean } {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const lines = [
    '# misas master key: it wraps the per-person keys of the vault. Keep it apart from the database and its backups.',
    '# One base64 key a line, the current one first. To rotate: add a new key (misas keys generate) as the first line,',
    '# run misas keys rotate, then delete the old line.',
    generateMasterKey(),
  ];
  try {
    writeFileSync(temporary, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    throw new MasterKeyError({
      rule: 'master-key-file-unwritable',
      message: `cannot create the master key file ${path} (is its folder writable?): set ${masterKeyVariable} or ${masterKeyFileVariable} instead`,
    });
  }
  let created = true;
  try {
    linkSync(temporary, path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    created = false;
  } finally {
    unlinkSync(temporary);
  }
  return { keys: readMasterKeyFile(path), created };
}

/** The one-line error of a store that needs a master key and was given none. */
export function masterKeyRequired(store: string, hint = ''): MasterKeyError {
  return new MasterKeyError({
    rule: 'master-key-required',
    message: `${store} needs a master key and none is configured: set ${masterKeyVariable} (base64 of 32 bytes, \`misas keys generate\`) or ${masterKeyFileVariable}${hint}`,
  });
}

/**
 * The master keys of a SQLite store: given, else from the environment, else — for a file — the key
 * file beside it, created (with a warning) unless the store already holds wrapped keys, whose key
 * a new file could not open. An in-memory database gets a key that lives as long as it does.
 */
export function sqliteMasterKeys(settings: MasterKeySettings, path: string, holdsWrappedKeys: () => boolean): KeyWrapper {
  const configured = settings.masterKeys ?? masterKeysFromEnvironment(settings.environment);
  if (configured) return configured;
  if (path === ':memory:') return MasterKeyRing.ephemeral();
  const keyFile = defaultKeyFileOf(path);
  if (existsSync(keyFile)) return readMasterKeyFile(keyFile);
  if (holdsWrappedKeys()) throw masterKeyRequired(`SQLite store ${path}`, ` (no ${keyFile} beside it)`);
  const { keys, created } = createKeyFile(keyFile);
  if (created) {
    (settings.onWarning ?? console.warn)(
      `misas: no master key configured: created ${keyFile} (owner-only) to wrap the vault's keys of ${path}; ` +
        `in production keep the key away from the database and its backups (${masterKeyFileVariable}, docs/privacy.md)`,
    );
  }
  return keys;
}
