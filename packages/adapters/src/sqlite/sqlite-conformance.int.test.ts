import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import type { MisasStorage } from '@misas/core';
import { storageConformance } from '@misas/core/testing';
import { openSqliteStorage } from './index.ts';

describe('given a fresh SQLite file per case', () => {
  let dir = '';
  let files = 0;
  const opened: MisasStorage[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-conformance-'));
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A new file each call, so a case that asks twice still gets empty stores. */
  async function fresh(): Promise<MisasStorage> {
    const storage = await openSqliteStorage({ path: join(dir, `store-${++files}.db`) });
    opened.push(storage);
    return storage;
  }

  for (const check of storageConformance()) it(`then ${check.suite}: ${check.name}`, () => check.run(fresh));
});

describe('given an in-memory SQLite database per case', () => {
  const opened: MisasStorage[] = [];
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
  });

  async function fresh(): Promise<MisasStorage> {
    const storage = await openSqliteStorage({ path: ':memory:' });
    opened.push(storage);
    return storage;
  }

  for (const check of storageConformance()) it(`then ${check.suite}: ${check.name}`, () => check.run(fresh));
});
