// The smallest embedding of misas: one handler, one case, two commands.
import { CaseCommandHandler, CommandRejectedError, InMemoryEventStore, InMemoryVault } from '@misas/core';

export async function main(): Promise<string> {
  const handler = new CaseCommandHandler({ store: new InMemoryEventStore(), vault: new InMemoryVault() });
  const counsellor = { role: 'counsellor', id: 'counsellor-12' } as const;

  await handler.execute({
    type: 'ReceiveReferral',
    caseId: 'case-001',
    commandId: 'cmd-001',
    actor: { role: 'detector', id: 'ccas-lannion' },
    data: {
      fundId: 'cpam-22',
      form: {
        variant: 'external', // an external form never carries a NIR
        referralDate: '2026-03-02',
        detectionMode: 'face-to-face',
        reasons: ['rights-access'],
        person: { lastName: 'Durand', firstName: 'Lou', birthDate: '1990-05-17' },
        detector: { kind: 'external-partner', name: 'A. Morvan', service: 'CCAS de Lannion' },
        consent: { kind: 'signed', signedOn: '2026-03-02' },
      },
    },
  });
  const accepted = await handler.execute({
    type: 'AcceptReferral', caseId: 'case-001', commandId: 'cmd-002', actor: counsellor, data: { counsellorId: 'counsellor-12' },
  });
  console.log(accepted.status); // review

  try {
    await handler.execute({ type: 'AgreePlan', caseId: 'case-001', commandId: 'cmd-003', actor: counsellor, data: {} });
  } catch (error) {
    if (error instanceof CommandRejectedError) console.log(error.rule); // allowed-in-state
  }
  return accepted.status;
}
