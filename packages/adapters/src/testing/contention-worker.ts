/**
 * A writer process for the contention test: opens the storage named on the command line and sends
 * commands to ONE shared case as fast as it can, through a command handler with its DEFAULT
 * settings (attempts and backoff), and never retries by itself: whatever the handler lets through
 * (`ConcurrencyError`, `SqliteBusyError`…) is counted as a failure.
 *
 *   node --conditions=@misas/source contention-worker.ts URL WORKER_ID COMMANDS CASE_ID
 *
 * Prints one JSON line at the end: { worker, accepted: [command ids], failures: { code: count } }.
 */
import { CaseCommandHandler, MisasError } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { openStorage } from '../open-storage.ts';

const [url, worker = 'w', commandsArg = '200', caseId = 'contended'] = process.argv.slice(2);
if (!url) throw new Error('usage: contention-worker.ts URL WORKER_ID COMMANDS CASE_ID');
const commands = Number(commandsArg);

const storage = await openStorage(url);
const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault });
const actor = { role: 'counsellor', id: `counsellor-${worker}` } as const;
const accepted: string[] = [];
const failures: Record<string, number> = {};

async function send(run: () => Promise<unknown>, commandId: string): Promise<void> {
  try {
    await run();
    accepted.push(commandId);
  } catch (error) {
    if (!(error instanceof MisasError)) throw error;
    failures[error.code] = (failures[error.code] ?? 0) + 1;
  }
}

// Every worker opens the case with the same command (the same id, another sender): one creates it.
await send(() => handler.execute({ type: 'ReceiveReferral', caseId, commandId: 'open', actor, data: { fundId: 'cpam-test', form: sampleExternalForm() } }), 'open');
for (let i = 0; i < commands; i++) {
  const commandId = `${worker}-${i}`;
  await send(() => handler.execute({ type: 'LogTime', caseId, commandId, actor, data: { minutes: 1 + (i % 30), activity: 'follow-up' } }), commandId);
}
await storage.close();
console.log(JSON.stringify({ worker, accepted, failures }));
