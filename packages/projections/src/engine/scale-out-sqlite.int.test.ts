import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectionWorkersShareOneProjection } from '../testing/scale-out.ts';

describe('scale-out on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'misas-scale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given writer processes and two projection worker processes on one file, then every position is processed exactly once', async () => {
    const result = await projectionWorkersShareOneProjection(`sqlite:${join(dir, 'scale.db')}`);
    expect(result.positions).toBeGreaterThan(160);
    expect(Object.values(result.byWorker).reduce((a, b) => a + b, 0)).toBe(result.positions);
  }, 120_000);
});
