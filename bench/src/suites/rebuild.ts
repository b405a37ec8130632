/**
 * Rebuilding every read model, against a raw read and parse of the log.
 */
import type { BenchSuite } from '../harness/suite.ts';

export const rebuildSuite: BenchSuite = {
  id: 'rebuild',
  title: 'Rebuilding every read model, against a raw read and parse of the log',
  run: async () => {
    throw new Error('rebuild: not written yet');
  },
};
