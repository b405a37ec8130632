/**
 * A writer process for the vault crash tests: opens the storage named on the command line and
 * sends, through the real command handler, a referral then a note for one new case after another,
 * forever, printing `ACK caseId command` after each. The test kills it with SIGKILL at a random
 * moment and checks that every vault entry left is referred to by an event.
 *
 *   node --conditions=@misas/source vault-crash-writer.ts URL RUN [atomic|put-then-append]
 *
 * `put-then-append` hides from the handler that the store writes this vault in its appends, so it
 * writes the vault first and appends after, in two transactions: the path of a vault in another
 * database, and of every store before issue 12. It exists to show that the test catches it.
 */
import { CaseCommandHandler, type EventStore } from '@misas/core';
import { sampleInternalForm } from '@misas/core/testing';
import { openStorage } from '../open-storage.ts';

const [url, run = 'r', mode = 'atomic'] = process.argv.slice(2);
if (!url || (mode !== 'atomic' && mode !== 'put-then-append')) throw new Error('usage: vault-crash-writer.ts URL RUN [atomic|put-then-append]');

/** The same store, without `commitsWithVault` (nor `appendWith`). */
function apartFromVault(store: EventStore): EventStore {
  return {
    append: (request) => store.append(request),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    headPosition: () => store.headPosition(),
  };
}

const storage = await openStorage(url);
const handler = new CaseCommandHandler({ store: mode === 'atomic' ? storage.events : apartFromVault(storage.events), vault: storage.vault });
const ack = (caseId: string, command: string) => process.stdout.write(`ACK ${caseId} ${command}\n`);

for (let i = 0; ; i++) {
  const caseId = `kill-${run}-${i}`;
  await handler.execute({
    type: 'ReceiveReferral',
    caseId,
    commandId: `${caseId}-open`,
    actor: { role: 'detector', id: 'reception-1' },
    data: { fundId: 'cpam-test', form: sampleInternalForm() },
  });
  ack(caseId, 'ReceiveReferral');
  await handler.execute({ type: 'AddNote', caseId, commandId: `${caseId}-note`, actor: { role: 'counsellor', id: 'counsellor-1' }, data: { text: `Rappeler ${caseId} le matin` } });
  ack(caseId, 'AddNote');
}
