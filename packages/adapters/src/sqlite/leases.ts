/**
 * Leases in SQLite, with the rules of the in-memory lease manager. The file is shared by every
 * process that opens it, so a lease taken here excludes holders in other processes too.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { MisasError, type LeaseManager } from '@misas/core';
import { immediate } from './connection.ts';
import type { ConnectionGate } from './gate.ts';
import { integer, text } from './rows.ts';

/** `LeaseManager` on a SQLite connection; see the port for the guarantees. */
export class SqliteLeaseManager implements LeaseManager {
  readonly #db: DatabaseSync;
  readonly #gate: ConnectionGate;
  readonly #current: StatementSync;
  readonly #take: StatementSync;
  readonly #release: StatementSync;

  constructor(db: DatabaseSync, gate: ConnectionGate) {
    this.#db = db;
    this.#gate = gate;
    this.#current = db.prepare('SELECT owner, expires_at FROM leases WHERE name = ?');
    this.#take = db.prepare(
      'INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at',
    );
    this.#release = db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?');
  }

  async acquire(name: string, owner: string, options: { now: Date; ttlMs: number }): Promise<boolean> {
    const now = options.now.getTime();
    const expiresAt = now + options.ttlMs;
    if (!Number.isSafeInteger(expiresAt)) throw new MisasError('invalid-lease', `now and ttlMs must give a whole number of milliseconds, got ${expiresAt}`);
    // Check and take under the write lock: of claimants in any number of processes, one wins.
    return this.#gate.write(() =>
      immediate(this.#db, () => {
        const current = this.#current.get(name);
        if (current !== undefined && text(current, 'owner') !== owner && integer(current, 'expires_at') > now) return false;
        this.#take.run(name, owner, expiresAt);
        return true;
      }),
    );
  }

  async release(name: string, owner: string): Promise<void> {
    await this.#gate.write(() => immediate(this.#db, () => this.#release.run(name, owner)));
  }

  async holder(name: string, now: Date): Promise<string | undefined> {
    return this.#gate.read(() => {
      const current = this.#current.get(name);
      if (current === undefined || integer(current, 'expires_at') <= now.getTime()) return undefined;
      return text(current, 'owner');
    });
  }
}
