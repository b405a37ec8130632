/**
 * Loads `node:sqlite` when a SQLite store is opened, never at import: a PostgreSQL user on a runtime
 * without it (Node 20) can still import `@misas/adapters`. The runtime is checked first, so an old
 * Node fails with one line naming the version needed, not with a transaction error deep inside.
 */
import type * as NodeSqlite from 'node:sqlite';
import { MisasError } from '@misas/core';

/**
 * The oldest Node.js the SQLite store runs on, and the floor every package's `engines` states:
 * `DatabaseSync.isTransaction`, which the stores' transactions rely on, appears in 22.16.0.
 */
export const minimumNodeVersion = '22.16.0';

/** True when `version` (as `process.versions.node` gives it: `22.16.0`) is at least `minimum`. */
export function nodeVersionAtLeast(version: string, minimum: string = minimumNodeVersion): boolean {
  const parse = (text: string) => text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const have = parse(version);
  const need = parse(minimum);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The runtime cannot run a SQLite store: it names the Node.js version needed and the one running. */
export class UnsupportedRuntimeError extends MisasError {
  constructor(running: string) {
    super('unsupported-runtime', `the SQLite store needs Node.js >= ${minimumNodeVersion} (node:sqlite with DatabaseSync.isTransaction); this is Node.js ${running}: upgrade Node.js, or use a postgres:// store`);
  }
}

/**
 * `node:sqlite`, loaded on first call (Node caches it).
 * @throws UnsupportedRuntimeError on a Node.js older than {@link minimumNodeVersion}
 */
export function loadNodeSqlite(running: string = process.versions.node): typeof NodeSqlite {
  if (!nodeVersionAtLeast(running)) throw new UnsupportedRuntimeError(running);
  return process.getBuiltinModule('node:sqlite');
}
