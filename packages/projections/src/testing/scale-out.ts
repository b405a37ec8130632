/**
 * The scale-out check, shared by every durable store: writer processes fill the log while two
 * projection worker processes race for the same projection. Afterwards every position was
 * processed exactly once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStorage } from '@misas/adapters';
import { checkpointOfProjection } from '../engine/catch-up.ts';
import { readModel } from '../engine/generations.ts';

const run = (script: string, args: readonly string[]) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@misas/source', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}: ${err}`))));
  });

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export async function projectionWorkersShareOneProjection(url: string): Promise<{ positions: number; byWorker: Record<string, number> }> {
  // The writers are the adapters' own multi-process hammer (a sibling package in this workspace).
  const hammer = here('../../../adapters/src/testing/hammer-worker.ts');
  const writers = [0, 1].map((w) => run(hammer, [url, `writer-${w}`, '3', '80']));
  const workers = ['projector-a', 'projector-b'].map((w) => run(here('./projection-worker-process.ts'), [url, w]));
  await Promise.all([...writers, ...workers]);

  const storage = await openStorage(url);
  try {
    const head = await storage.events.headPosition();
    const reader = readModel(storage.projections, 'position-recorder');
    const seen = await reader.list('seen');
    const twice = await reader.list('twice');
    assert.deepEqual(twice, [], 'no position was processed twice');
    assert.equal(seen.length, head, 'every position was processed');
    assert.equal(await checkpointOfProjection(storage.projections, 'position-recorder'), head);
    const byWorker: Record<string, number> = {};
    for (const { value } of seen) byWorker[String(value)] = (byWorker[String(value)] ?? 0) + 1;
    return { positions: head, byWorker };
  } finally {
    await storage.close();
  }
}
