// On a Node.js without node:sqlite (Node 20): @misas/adapters still imports, a SQLite store is
// refused with one line naming the version needed, and PostgreSQL (when MISAS_PG_URL is set) works.
import { CaseCommandHandler } from '@misas/core';
import { minimumNodeVersion, openStorage, UnsupportedRuntimeError } from '@misas/adapters';
import { form } from './referral.js';

export async function oldRuntime(postgresUrl: string | undefined): Promise<string> {
  const refusal = await openStorage('sqlite::memory:').then(
    () => new Error('a SQLite store opened on an unsupported Node.js'),
    (error: unknown) => error,
  );
  if (!(refusal instanceof UnsupportedRuntimeError) || !refusal.message.includes(minimumNodeVersion)) throw refusal;
  if (postgresUrl === undefined) return `sqlite refused (${refusal.message.split(';')[0]}); postgres not tried (no MISAS_PG_URL)`;
  // A schema of its own: the database may hold other runs' stores, wrapped under other master keys.
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', `consumer_check_${process.pid}_${Date.now()}`);
  const storage = await openStorage(url.href);
  try {
    const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault });
    const caseId = `old-runtime-${process.pid}-${Date.now()}`;
    await handler.execute({ type: 'ReceiveReferral', caseId, commandId: `${caseId}-1`, actor: { role: 'detector', id: 'ccas-lannion' }, data: { fundId: 'cpam-22', form } });
    return `sqlite refused with the version line; postgres appended ${(await storage.events.readStream(caseId)).length} event`;
  } finally {
    await storage.close();
  }
}
