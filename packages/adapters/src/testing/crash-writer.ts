/**
 * A writer process for the crash tests: appends batches of events to the storage named on the
 * command line, forever, printing `ACK stream version` after each acknowledged append. The test
 * kills it with SIGKILL at a random moment and checks what survived.
 *
 *   node --conditions=@misas/source crash-writer.ts URL BATCH_SIZE
 */
import { openStorage } from '../open-storage.ts';
import { conformanceEvents } from '@misas/core/testing';

const [url, batchArg = '5'] = process.argv.slice(2);
if (!url) throw new Error('usage: crash-writer.ts URL BATCH_SIZE');
const batch = Number(batchArg);
const storage = await openStorage(url);
const versions = new Map<string, number>();

for (let i = 0; ; i++) {
  const streamId = `crash-${i % 7}`;
  const version = versions.get(streamId) ?? 0;
  // A valid payload: every store validates each event on write.
  const payload = (n: number) => ({ minutes: n + 1, activity: 'paperwork' });
  await storage.events.append({ streamId, expectedVersion: version, commandId: `c-${i}`, events: conformanceEvents(streamId, `c-${i}`, version, batch, payload) });
  versions.set(streamId, version + batch);
  process.stdout.write(`ACK ${streamId} ${version + batch}\n`);
}
