import { describe, it } from 'vitest';
import { storageConformance } from '../testing/conformance/index.ts';
import { createInMemoryStorage } from './in-memory-storage.ts';

describe('in-memory storage conformance', () => {
  for (const check of storageConformance({ writeBatch: false })) it(`${check.suite}: ${check.name}`, () => check.run(async () => createInMemoryStorage()));
});
