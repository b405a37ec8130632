/**
 * Append on PostgreSQL with 1 and 4 writer processes, against raw INSERTs.
 */
import type { BenchSuite } from '../harness/suite.ts';

export const appendPostgresSuite: BenchSuite = {
  id: 'append-postgres',
  title: 'Append on PostgreSQL with 1 and 4 writer processes, against raw INSERTs',
  run: async () => {
    throw new Error('append-postgres: not written yet');
  },
};
