import { describe, it } from 'vitest';
import {
  eventStoreConformance,
  inlineAppendConformance,
  leaseConformance,
  outboxConformance,
  projectionStoreConformance,
  vaultConformance,
} from '../testing/conformance/index.ts';
import { createInMemoryStorage } from './in-memory-storage.ts';
import { InMemoryEventStore } from './memory-event-store.ts';
import { InMemoryLeaseManager } from './memory-lease.ts';
import { InMemoryOutbox } from './memory-outbox.ts';
import { InMemoryProjectionStore } from './memory-projection-store.ts';
import { InMemoryVault } from './memory-vault.ts';

describe('in-memory storage conformance', () => {
  describe('event store', () => {
    for (const check of eventStoreConformance) it(check.name, () => check.run(() => new InMemoryEventStore()));
  });
  describe('vault', () => {
    for (const check of vaultConformance) it(check.name, () => check.run(() => new InMemoryVault()));
  });
  describe('projection store', () => {
    for (const check of projectionStoreConformance) it(check.name, () => check.run(() => new InMemoryProjectionStore()));
  });
  describe('outbox', () => {
    for (const check of outboxConformance) it(check.name, () => check.run(() => new InMemoryOutbox()));
  });
  describe('inline appends', () => {
    for (const check of inlineAppendConformance) it(check.name, () => check.run(() => createInMemoryStorage()));
  });
  describe('leases', () => {
    for (const check of leaseConformance) it(check.name, () => check.run(() => new InMemoryLeaseManager()));
  });
});
