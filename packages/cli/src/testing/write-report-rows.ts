/**
 * Writes the register rows `@misas/report`'s tests draw (`packages/report/src/testing/simulated-rows.json`):
 * a simulated half-year of 150 referrals, seed 7. The report package sits below the CLI and cannot
 * run its simulator, so the rows are kept as a file; its tests parse them with the register's schema,
 * so a change of the row's shape fails there and says to run this again:
 * `node --conditions=@misas/source packages/cli/src/testing/write-report-rows.ts`.
 */
import { writeFileSync } from 'node:fs';
import { openStorage } from '@misas/adapters';
import { readRegisterRows } from '@misas/report';
import { simulateYear } from '../simulation/index.ts';
import { repositoryPath } from './capture.ts';

const storage = await openStorage('memory:');
try {
  await simulateYear({ storage, cases: 150, from: '2026-01-01', to: '2026-06-30', seed: 7 });
  const { rows } = await readRegisterRows(storage, {});
  const file = repositoryPath('packages/report/src/testing/simulated-rows.json');
  // One row per line: a regenerated file diffs row by row.
  writeFileSync(file, `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`);
  console.log(`wrote ${rows.length} rows to ${file}`);
} finally {
  await storage.close();
}
