// A durable store: one SQLite file, through Node's built-in node:sqlite (loaded when the store opens).
import { CaseCommandHandler } from '@misas/core';
import { openStorage } from '@misas/adapters';
import { form } from './referral.js';

export async function sqliteStore(file: string): Promise<string[]> {
  const storage = await openStorage(`sqlite:${file}`); // or postgres://user@host/db
  try {
    const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault });
    const detector = { role: 'detector', id: 'ccas-lannion' } as const;
    await handler.execute({ type: 'ReceiveReferral', caseId: 'case-001', commandId: 'cmd-001', actor: detector, data: { fundId: 'cpam-22', form } });
    await handler.execute({
      type: 'AcceptReferral', caseId: 'case-001', commandId: 'cmd-002',
      actor: { role: 'counsellor', id: 'counsellor-12' }, data: { counsellorId: 'counsellor-12' },
    });
  } finally {
    await storage.close();
  }
  const reopened = await openStorage(`sqlite:${file}`); // the case is still there
  try {
    return (await reopened.events.readStream('case-001')).map((event) => event.type);
  } finally {
    await reopened.close();
  }
}
