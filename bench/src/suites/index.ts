/**
 * Every suite, in the order of the issue that asked for them.
 */
import type { BenchSuite } from '../harness/suite.ts';

export const suites: readonly BenchSuite[] = [];
