import { describe, it } from 'vitest';
import { eventStoreConformance } from '../testing/event-store-conformance.ts';
import { InMemoryEventStore } from './memory-event-store.ts';

describe('InMemoryEventStore conformance', () => {
  for (const check of eventStoreConformance) {
    it(check.name, () => check.run(() => new InMemoryEventStore()));
  }
});
