import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hammerWithProcesses, killMidBatch } from '../testing/process-checks.ts';

const minute = 60_000;

describe('given several OS processes sharing one SQLite file', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-sqlite-processes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'when four workers hammer the same cases, then nothing is lost or duplicated and versions stay contiguous',
    async () => {
      // The file does not exist yet: the four workers also race to create and migrate it.
      const report = await hammerWithProcesses(`sqlite:${join(dir, 'hammer.db')}`, { workers: 4, cases: 4, commands: 60 });
      console.info(`[sqlite hammer] ${report.events} events stored, ${report.conflicts} concurrency conflicts retried`);
      expect(report.events).toBe(4 * 60 + 4);
    },
    minute,
  );

  it(
    'when six workers hammer longer, then the same holds under heavier contention',
    async () => {
      const report = await hammerWithProcesses(`sqlite:${join(dir, 'hammer-long.db')}`, { workers: 6, cases: 3, commands: 150 });
      console.info(`[sqlite hammer, long] ${report.events} events stored, ${report.conflicts} concurrency conflicts retried`);
      expect(report.events).toBe(6 * 150 + 3);
    },
    minute,
  );

  for (const acks of [15, 40, 90]) {
    it(
      `when a writer is killed with SIGKILL after ${acks} acknowledged appends, then every acknowledged append survives and no batch is partial`,
      async () => {
        const report = await killMidBatch(`sqlite:${join(dir, `crash-${acks}.db`)}`, { acks, batch: 5 });
        console.info(`[sqlite crash] ${acks} acks: ${report.acknowledged} events acknowledged, ${report.stored} stored`);
        expect(report.stored).toBeGreaterThanOrEqual(report.acknowledged);
      },
      minute,
    );
  }
});
