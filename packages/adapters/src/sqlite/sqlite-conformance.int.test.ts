import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import type { MisasStorage } from '@misas/core';
import {
  eventStoreConformance,
  inlineAppendConformance,
  leaseConformance,
  outboxConformance,
  projectionStoreConformance,
  vaultConformance,
} from '@misas/core/testing';
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

  describe('then the event store passes the conformance suite', () => {
    for (const check of eventStoreConformance) it(check.name, () => check.run(async () => (await fresh()).events));
  });
  describe('then the vault passes the conformance suite', () => {
    for (const check of vaultConformance) it(check.name, () => check.run(async () => (await fresh()).vault));
  });
  describe('then the projection store passes the conformance suite', () => {
    for (const check of projectionStoreConformance) it(check.name, () => check.run(async () => (await fresh()).projections));
  });
  describe('then the outbox passes the conformance suite', () => {
    for (const check of outboxConformance) it(check.name, () => check.run(async () => (await fresh()).outbox));
  });
  describe('then the leases pass the conformance suite', () => {
    for (const check of leaseConformance) it(check.name, () => check.run(async () => (await fresh()).leases));
  });
  describe('then inline appends pass the conformance suite', () => {
    // Each case closes the storage itself; closing it again in afterEach is harmless.
    for (const check of inlineAppendConformance) it(check.name, () => check.run(fresh));
  });
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

  describe('then the event store passes the conformance suite', () => {
    for (const check of eventStoreConformance) it(check.name, () => check.run(async () => (await fresh()).events));
  });
  describe('then the vault passes the conformance suite', () => {
    for (const check of vaultConformance) it(check.name, () => check.run(async () => (await fresh()).vault));
  });
  describe('then the projection store passes the conformance suite', () => {
    for (const check of projectionStoreConformance) it(check.name, () => check.run(async () => (await fresh()).projections));
  });
  describe('then the outbox passes the conformance suite', () => {
    for (const check of outboxConformance) it(check.name, () => check.run(async () => (await fresh()).outbox));
  });
  describe('then the leases pass the conformance suite', () => {
    for (const check of leaseConformance) it(check.name, () => check.run(async () => (await fresh()).leases));
  });
  describe('then inline appends pass the conformance suite', () => {
    // Each case closes the storage itself; closing it again in afterEach is harmless.
    for (const check of inlineAppendConformance) it(check.name, () => check.run(fresh));
  });
});
