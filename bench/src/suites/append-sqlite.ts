/**
 * Append through the command handler on SQLite, against raw node:sqlite inserts.
 */
import type { BenchSuite } from '../harness/suite.ts';

export const appendSqliteSuite: BenchSuite = {
  id: 'append-sqlite',
  title: 'Append through the command handler on SQLite, against raw node:sqlite inserts',
  run: async () => {
    throw new Error('append-sqlite: not written yet');
  },
};
