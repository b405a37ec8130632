import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '@misas/adapters';
import { generateMasterKey } from '@misas/core';
import { ExitCode } from '../cli-output.ts';
import { startSimulationStoreAfresh } from './simulate.ts';

describe('simulate --replace on a SQLite URL with a query', () => {
  let dir = '';
  const key = process.env['MISAS_MASTER_KEY'];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'misas-simulate-replace-'));
    process.env['MISAS_MASTER_KEY'] = generateMasterKey();
  });
  afterEach(async () => {
    if (key === undefined) delete process.env['MISAS_MASTER_KEY'];
    else process.env['MISAS_MASTER_KEY'] = key;
    await rm(dir, { recursive: true, force: true });
  });

  it('given sqlite:FILE?synchronous=normal, when the store is started afresh, then FILE itself is deleted', async () => {
    const path = join(dir, 'sim.db');
    await (await openStorage(`sqlite:${path}`)).close();
    expect(existsSync(path)).toBe(true);

    await startSimulationStoreAfresh(`sqlite:${path}?synchronous=normal`);

    expect(existsSync(path)).toBe(false);
  });

  it('given an unknown query parameter, when the store is started afresh, then it is bad input and the file stays', async () => {
    const path = join(dir, 'kept.db');
    await (await openStorage(`sqlite:${path}`)).close();

    await expect(startSimulationStoreAfresh(`sqlite:${path}?sync=normal`)).rejects.toMatchObject({ exitCode: ExitCode.badInput, message: expect.stringContaining("'sync'") });
    expect(existsSync(path)).toBe(true);
  });
});
