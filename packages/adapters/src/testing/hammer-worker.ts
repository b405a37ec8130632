/**
 * A writer process for the multi-process tests: opens the storage named on the command line and
 * sends commands to a few shared cases as fast as it can, through the real command handler.
 *
 *   node --conditions=@misas/source hammer-worker.ts URL WORKER_ID CASES COMMANDS
 *
 * Prints one JSON line at the end: { worker, applied, conflicts }.
 */
import { CaseCommandHandler, ConcurrencyError, type CaseCommandInput } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import { openStorage } from '../open-storage.ts';

const [url, worker = 'w', casesArg = '4', commandsArg = '50'] = process.argv.slice(2);
if (!url) throw new Error('usage: hammer-worker.ts URL WORKER_ID CASES COMMANDS');
const cases = Number(casesArg);
const commands = Number(commandsArg);

const storage = await openStorage(url);
const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, maxAttempts: 50 });
const actor = { role: 'counsellor', id: `counsellor-${worker}` } as const;
let applied = 0;
let conflicts = 0;

async function send(command: CaseCommandInput): Promise<void> {
  for (;;) {
    try {
      const result = await handler.execute(command);
      if (result.outcome === 'applied') applied++;
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      conflicts++;
    }
  }
}

// Every worker opens every case with the same command id: exactly one creates it.
for (let c = 0; c < cases; c++) {
  await send({ type: 'ReceiveReferral', caseId: `hammer-${c}`, commandId: `open-${c}`, actor, data: { fundId: 'cpam-test', form: sampleExternalForm() } });
}
for (let i = 0; i < commands; i++) {
  await send({
    type: 'LogTime',
    caseId: `hammer-${i % cases}`,
    commandId: `${worker}-${i}`,
    actor,
    data: { minutes: 1 + (i % 30), activity: 'follow-up' },
  });
}
await storage.close();
console.log(JSON.stringify({ worker, applied, conflicts }));
