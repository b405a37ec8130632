/**
 * Issue 12, attack class 9: contention. Eight processes write 200 commands each to ONE case,
 * through command handlers with their default settings. Before, the handler retried five times
 * without a pause and writers surfaced `ConcurrencyError` (13 of 360 commands with 6 processes);
 * with jittered exponential backoff none may surface — nor a `SqliteBusyError` — and every accepted
 * command's events must be in the stream exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contendWithProcesses, type ContentionReport } from './testing/contention-checks.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, urlWithSchema } from './postgres/test-kit.ts';

const workers = 8;
const commands = 200;

function expectNothingSurfacedOrLost(report: ContentionReport, store: string): void {
  console.info(
    `[contention ${store}] ${workers} processes × ${commands} commands on one case: ${report.events} events, ` +
      `failures ${JSON.stringify(report.failures)}, ${(report.elapsedMs / 1000).toFixed(1)} s`,
  );
  expect(report.failures).toEqual({});
  expect(report.lost).toEqual([]);
  expect(report.unacknowledged).toEqual([]);
  expect(report.accepted).toBe(workers * (commands + 1));
  // The opening command records its events once; every LogTime one event.
  expect(report.events - workers * commands).toBeGreaterThanOrEqual(1);
}

describe.runIf(pgMissingInCi)('attack class 9 in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

describe('attack class 9: contention on one case', { timeout: 180_000 }, () => {
  it(`on sqlite: given ${workers} processes × ${commands} commands on one case with default settings, then no ConcurrencyError or SqliteBusyError surfaces and nothing is lost`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-contention-'));
    try {
      expectNothingSurfacedOrLost(await contendWithProcesses(`sqlite:${join(dir, 'contention.db')}`, { workers, commands }), 'sqlite');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!pgUrl)(`on postgres: given ${workers} processes × ${commands} commands on one case with default settings, then no ConcurrencyError surfaces and nothing is lost`, async () => {
    const schema = freshSchemaName('contention');
    try {
      expectNothingSurfacedOrLost(await contendWithProcesses(urlWithSchema(requirePgUrl(), schema), { workers, commands }), 'postgres');
    } finally {
      await dropSchema(schema);
    }
  });
});
