/**
 * A national year, end to end, with every projection.
 */
import type { BenchSuite } from '../harness/suite.ts';

export const nationalYearSuite: BenchSuite = {
  id: 'national-year',
  title: 'A national year, end to end, with every projection',
  run: async () => {
    throw new Error('national-year: not written yet');
  },
};
