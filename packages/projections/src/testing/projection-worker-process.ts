/**
 * A projection worker process for the scale-out tests: opens the storage named on the command
 * line and keeps `position-recorder` up to date until the log has been idle for a while.
 *
 *   node --conditions=@misas/source projection-worker-process.ts URL WORKER_ID
 */
import { systemClock } from '@misas/core';
import { openStorage } from '@misas/adapters';
import { lagOf } from '../engine/catch-up.ts';
import { ProjectionWorker } from '../engine/projection-worker.ts';
import { positionRecorder } from './position-recorder.ts';

const [url, worker = 'w'] = process.argv.slice(2);
if (!url) throw new Error('usage: projection-worker-process.ts URL WORKER_ID');
const storage = await openStorage(url);
const runner = new ProjectionWorker(storage, [positionRecorder(worker)], { owner: worker, clock: systemClock, leaseMs: 2_000, batchSize: 25 });

let batches = 0;
let idleRounds = 0;
while (idleRounds < 20) {
  const results = await runner.runOnce();
  const processed = results.reduce((sum, r) => sum + r.processed, 0);
  if (processed > 0) batches++;
  const lag = await lagOf(storage.events, storage.projections, 'position-recorder');
  idleRounds = lag === 0 && processed === 0 ? idleRounds + 1 : 0;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await runner.stop();
await storage.close();
console.log(JSON.stringify({ worker, batches }));
