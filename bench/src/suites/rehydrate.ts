/**
 * Rehydrating a case, against reading and parsing its rows raw.
 */
import type { BenchSuite } from '../harness/suite.ts';

export const rehydrateSuite: BenchSuite = {
  id: 'rehydrate',
  title: 'Rehydrating a case, against reading and parsing its rows raw',
  run: async () => {
    throw new Error('rehydrate: not written yet');
  },
};
