import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey, MasterKeyRing } from '@misas/core';
import { configure, connect } from './sqlite/connection.ts';
import { openStorage } from './open-storage.ts';

const masterKeys = MasterKeyRing.fromBase64([generateMasterKey()], 'the test');

describe('openStorage on SQLite URLs', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-open-storage-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given ?synchronous=normal, when the storage opens, then its commits are NORMAL and the file is named without the query', async () => {
    const path = join(dir, 'x.db');
    const storage = await openStorage(`sqlite:${path}?synchronous=normal`, { masterKeys });
    try {
      expect(storage).toMatchObject({ synchronous: 'normal' });
    } finally {
      await storage.close();
    }
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}?synchronous=normal`)).toBe(false);
  });

  it('given no query, when the storage opens, then its commits are FULL', async () => {
    const storage = await openStorage(`sqlite:${join(dir, 'full.db')}`, { masterKeys });
    try {
      expect(storage).toMatchObject({ synchronous: 'full' });
    } finally {
      await storage.close();
    }
  });

  it('given each durability, when a connection is configured, then SQLite runs with it (FULL = 2, NORMAL = 1)', () => {
    for (const [synchronous, level] of [['full', 2], ['normal', 1]] as const) {
      const settings = { path: join(dir, `${synchronous}.db`), busyTimeoutMs: 1000, synchronous };
      const db = connect(settings);
      try {
        configure(db, settings);
        expect(db.prepare('PRAGMA synchronous').get()?.['synchronous']).toBe(level);
      } finally {
        db.close();
      }
    }
  });

  it('given synchronous=off or an unknown parameter, when the storage opens, then it is refused and no file is made', async () => {
    await expect(openStorage(`sqlite:${join(dir, 'off.db')}?synchronous=off`, { masterKeys })).rejects.toMatchObject({ code: 'invalid-storage-url' });
    await expect(openStorage(`${join(dir, 'bare.db')}?cache=shared`, { masterKeys })).rejects.toThrow(/'cache' is not a SQLite storage URL parameter/);
    expect(existsSync(join(dir, 'off.db'))).toBe(false);
    expect(existsSync(join(dir, 'bare.db'))).toBe(false);
  });

  it('given sqlite://, when the storage opens, then it is refused instead of creating a file at the filesystem root', async () => {
    const name = `misas-open-storage-${process.pid}.db`;
    await expect(openStorage(`sqlite://./${name}`, { masterKeys })).rejects.toThrow(`Write sqlite:./${name}`);
    expect(existsSync(`/${name}`)).toBe(false);
  });

  it('given an option outside the URL, when openSqliteStorage is called from JavaScript with synchronous off, then it is refused', async () => {
    const { openSqliteStorage } = await import('./sqlite/index.ts');
    // The type forbids it; a caller without types must be refused too, not silently given FULL.
    const options: Record<string, unknown> = { path: join(dir, 'js.db'), synchronous: 'off', masterKeys };
    await expect(openSqliteStorage(options as never)).rejects.toMatchObject({ code: 'invalid-option', message: expect.stringContaining('full, normal') });
  });
});
