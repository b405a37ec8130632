import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, MisasError, type EventMetadata, type MisasStorage, type ProjectionTransaction } from '@misas/core';
import { conformanceEvents } from '@misas/core/testing';
import { SqliteBusyError } from './errors.ts';
import { openSqliteStorage, type SqliteStorageOptions } from './index.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));

/** Lets pending callbacks run, so that whatever could have settled has settled. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/** Another OS process that takes the file's write lock, says `locked`, and commits after `holdMs`. */
function lockHolder(path: string, holdMs: number): { child: ChildProcess; locked: Promise<void>; exited: Promise<void> } {
  const script = `
    import { DatabaseSync } from 'node:sqlite';
    const db = new DatabaseSync(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, locked, exited };
}

describe('SQLite storage behaviour', () => {
  let dir = '';
  const opened: MisasStorage[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-storage-'));
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(options: Partial<SqliteStorageOptions> = {}): Promise<MisasStorage> {
    const storage = await openSqliteStorage({ path: join(dir, 'store.db'), ...options });
    opened.push(storage);
    return storage;
  }

  describe('locks held by other connections', () => {
    it(
      'given another process holding the write lock for a moment, when an append arrives, then it waits and succeeds',
      async () => {
        const storage = await open({ busyTimeoutMs: 10_000 });
        const holder = lockHolder(join(dir, 'store.db'), 800);
        await holder.locked;

        const started = performance.now();
        const result = await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 2) });
        const waited = performance.now() - started;
        await holder.exited;

        expect(result.status).toBe('appended');
        expect(waited).toBeGreaterThan(200);
        expect((await storage.events.readStream('s')).length).toBe(2);
      },
      30_000,
    );

    it('given a lock held longer than the busy timeout, when an append arrives, then it fails as busy and writes nothing', async () => {
      const storage = await open({ busyTimeoutMs: 150 });
      const other = new DatabaseSync(join(dir, 'store.db'));
      other.exec('BEGIN IMMEDIATE');
      try {
        const started = performance.now();
        const refusal = storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 3) });
        await expect(refusal).rejects.toBeInstanceOf(SqliteBusyError);
        await expect(refusal).rejects.toMatchObject({ code: 'storage-busy', busyTimeoutMs: 150 });
        expect(performance.now() - started).toBeGreaterThanOrEqual(100);
      } finally {
        other.exec('COMMIT');
        other.close();
      }
      expect(await storage.events.headPosition()).toBe(0);
      // Once the lock is gone, the same append goes through.
      const retried = await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 3) });
      expect(retried.status).toBe('appended');
    });
  });

  describe('appends', () => {
    it('given a batch where only some event ids are already stored, when appended, then it is refused and nothing is written', async () => {
      const storage = await open();
      const [stored] = conformanceEvents('s', 'c1', 0, 1);
      await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c1', events: [stored!] });
      const fresh = conformanceEvents('s', 'c2', 1, 2);
      const mixed = [fresh[0]!, { ...fresh[1]!, meta: { ...fresh[1]!.meta, eventId: stored!.meta.eventId } }];

      await expect(storage.events.append({ streamId: 's', expectedVersion: 1, commandId: 'c2', events: mixed })).rejects.toMatchObject({
        code: 'duplicate-event-id',
      });
      expect(await storage.events.headPosition()).toBe(1);
    });

    it('given a stale writer, when it appends, then the ConcurrencyError names both versions', async () => {
      const storage = await open();
      await storage.events.append({ streamId: 's', expectedVersion: 0, commandId: 'a', events: conformanceEvents('s', 'a', 0, 2) });
      const refusal = storage.events.append({ streamId: 's', expectedVersion: 1, commandId: 'b', events: conformanceEvents('s', 'b', 1, 1) });
      await expect(refusal).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(refusal).rejects.toMatchObject({ streamId: 's', expectedVersion: 1, actualVersion: 2 });
    });

    it('given a negative or fractional read window, when the log is read, then it is refused', async () => {
      const storage = await open();
      await expect(storage.events.readAll({ after: -1 })).rejects.toBeInstanceOf(MisasError);
      await expect(storage.events.readAll({ limit: 1.5 })).rejects.toBeInstanceOf(MisasError);
    });
  });

  describe('projection transactions and the other operations of the storage', () => {
    it('given an open transaction that later fails, when another flow reads meanwhile, then it sees the committed document only', async () => {
      const storage = await open();
      await storage.projections.transaction(async (tx) => tx.put('cases', 'c1', { status: 'triage' }));
      let crash: () => void = () => undefined;
      const crashed = new Promise<void>((resolve) => (crash = resolve));

      const failing = storage.projections.transaction(async (tx) => {
        await tx.put('cases', 'c1', { status: 'uncommitted' });
        await crashed;
        throw new Error('projection crashed');
      });
      await settle();
      let outsideSettled = false;
      const outside = storage.projections.get('cases', 'c1').finally(() => (outsideSettled = true));
      await settle();
      expect(outsideSettled).toBe(false);

      crash();
      await expect(failing).rejects.toThrow('projection crashed');
      expect(await outside).toEqual({ status: 'triage' });
    });

    it('given an open transaction that commits, when another flow reads meanwhile, then it gets the value once committed', async () => {
      const storage = await open();
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const committing = storage.projections.transaction(async (tx) => {
        await tx.put('cases', 'c1', { status: 'contact' });
        await tx.saveCheckpoint('register', 4);
        await finished;
      });
      await settle();
      const outside = Promise.all([storage.projections.get('cases', 'c1'), storage.projections.checkpoint('register')]);
      finish();
      await committing;
      expect(await outside).toEqual([{ status: 'contact' }, 4]);
    });

    it('given a transaction, when its callback reads the event log, then it reads; when it writes through another port, then it is refused', async () => {
      const storage = await open();
      await storage.events.append({ streamId: 'a', expectedVersion: 0, commandId: 'c', events: conformanceEvents('a', 'c', 0, 3) });

      await storage.projections.transaction(async (tx) => {
        const events = await storage.events.readAll({ after: await tx.checkpoint('counter') });
        await tx.put('counts', 'events', events.length);
        await tx.saveCheckpoint('counter', events.at(-1)?.position ?? 0);
        await expect(storage.outbox.enqueue([{ id: 'm', topic: 't', payload: 1, availableAt: at(0).toISOString() }])).rejects.toMatchObject({
          code: 'write-inside-transaction',
        });
        await expect(storage.projections.transaction(async () => undefined)).rejects.toMatchObject({ code: 'nested-transaction' });
      });

      expect(await storage.projections.get('counts', 'events')).toBe(3);
      expect(await storage.projections.checkpoint('counter')).toBe(3);
      expect(await storage.outbox.pendingCount()).toBe(0);
    });

    it('given a transaction object kept after its callback, when it is used, then it is refused', async () => {
      const storage = await open();
      let kept: ProjectionTransaction | undefined;
      await storage.projections.transaction(async (tx) => {
        kept = tx;
      });
      await expect(kept?.put('cases', 'late', 1)).rejects.toMatchObject({ code: 'transaction-ended' });
      expect(await storage.projections.get('cases', 'late')).toBeUndefined();
    });
  });

  describe('one file, two storage objects', () => {
    it('given two storages on one file, when both claim the outbox and a lease, then no message is handed out twice and one holder wins', async () => {
      const first = await open();
      const second = await open();
      await first.outbox.enqueue(Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, topic: 't', payload: i, availableAt: at(0).toISOString() })));

      const claims = await Promise.all([
        first.outbox.claim({ now: at(1), limit: 4, leaseMs: 60_000 }),
        second.outbox.claim({ now: at(1), limit: 4, leaseMs: 60_000 }),
      ]);
      const ids = claims.flat().map((message) => message.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);

      const wins = await Promise.all([
        first.leases.acquire('projection:register', 'process-1', { now: at(1), ttlMs: 10_000 }),
        second.leases.acquire('projection:register', 'process-2', { now: at(1), ttlMs: 10_000 }),
      ]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await second.leases.holder('projection:register', at(1))).toBe(wins[0] ? 'process-1' : 'process-2');
    });
  });

  describe('opening and closing', () => {
    it('given everything written, when the file is closed and reopened, then every port reads it back', async () => {
      const path = join(dir, 'durable.db');
      const first = await openSqliteStorage({ path });
      await first.events.append({ streamId: 's', expectedVersion: 0, commandId: 'c', events: conformanceEvents('s', 'c', 0, 2) });
      await first.vault.put('subj', 'referral', { person: { lastName: 'Le Gall' } });
      await first.projections.transaction(async (tx) => {
        await tx.put('cases', 's', { status: 'triage' });
        await tx.saveCheckpoint('register', 2);
      });
      await first.outbox.enqueue([{ id: 'm', topic: 'detector-notice', payload: { n: 1 }, availableAt: at(0).toISOString() }]);
      await first.leases.acquire('scheduler', 'w1', { now: at(0), ttlMs: 60_000 });
      await first.close();

      const second = await openSqliteStorage({ path });
      opened.push(second);
      expect((await second.events.readStream('s')).map((event) => (event.meta as EventMetadata).version)).toEqual([1, 2]);
      expect(await second.vault.get('subj', 'referral')).toEqual({ status: 'found', value: { person: { lastName: 'Le Gall' } } });
      expect(await second.projections.get('cases', 's')).toEqual({ status: 'triage' });
      expect(await second.projections.checkpoint('register')).toBe(2);
      expect((await second.outbox.claim({ now: at(1), limit: 5, leaseMs: 1000 })).map((message) => message.payload)).toEqual([{ n: 1 }]);
      expect(await second.leases.holder('scheduler', at(0))).toBe('w1');
    });

    it('given a closed storage, when it is closed again or used, then closing is a no-op and use is refused', async () => {
      const storage = await openSqliteStorage({ path: join(dir, 'closed.db') });
      await storage.close();
      await storage.close();
      await expect(storage.events.headPosition()).rejects.toMatchObject({ code: 'storage-closed' });
      await expect(storage.vault.put('s', 'e', 1)).rejects.toMatchObject({ code: 'storage-closed' });
    });

    it('given a busy timeout that is not a whole number or an empty path, when the storage opens, then it is refused', async () => {
      await expect(openSqliteStorage({ path: join(dir, 'x.db'), busyTimeoutMs: -1 })).rejects.toMatchObject({ code: 'invalid-option' });
      await expect(openSqliteStorage({ path: '' })).rejects.toMatchObject({ code: 'invalid-option' });
    });
  });
});
