/**
 * Every suite, in the order of the issue that asked for them.
 */
import type { BenchSuite } from '../harness/suite.ts';
import { appendPostgresSuite } from './append-postgres.ts';
import { appendSqliteSuite } from './append-sqlite.ts';
import { nationalYearSuite } from './national-year.ts';
import { peerWorkloadSuite } from './peer-workload.ts';
import { rebuildSuite } from './rebuild.ts';
import { rehydrateSuite } from './rehydrate.ts';

export const suites: readonly BenchSuite[] = [appendSqliteSuite, rehydrateSuite, rebuildSuite, nationalYearSuite, appendPostgresSuite, peerWorkloadSuite];
