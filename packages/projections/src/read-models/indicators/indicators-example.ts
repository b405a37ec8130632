// Indicators of a fund for the first half of 2026: one person accompanied to the end, one referral declined.
import { CaseCommandHandler, createInMemoryStorage, ReviewItem, VirtualClock, type CaseCommandInput } from '@misas/core';
import { caseRegisterName, caseRegisterProjection, catchUp, computeIndicators, readModel, registerRowsForPeriod } from '../../index.ts';

/** Plays two cases, computes the first half-year's indicators, prints three figures and returns the report. */
export async function indicatorsExample() {
  const storage = createInMemoryStorage();
  const clock = new VirtualClock('2026-07-01T08:00:00.000Z');
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock });
  let n = 0;
  const send = (caseId: string, occurredAt: string, command: Pick<CaseCommandInput, 'type' | 'data'>) =>
    handler.execute({ ...command, caseId, occurredAt, commandId: `cmd-${++n}`, actor: { role: 'counsellor', id: 'cas-07' } } as CaseCommandInput);
  const refer = (caseId: string, day: string) =>
    send(caseId, `${day}T09:00:00.000Z`, {
      type: 'ReceiveReferral',
      data: {
        fundId: 'cpam-22',
        form: {
          variant: 'external', referralDate: day, detectionMode: 'face-to-face', reasons: ['rights-access'],
          person: { lastName: 'Durand', firstName: 'Lou', birthDate: '1990-05-17' },
          detector: { kind: 'external-partner', name: 'A. Morvan', service: 'CCAS de Lannion' },
          consent: { kind: 'signed', signedOn: day },
        },
      },
    });

  await refer('case-1', '2026-03-02');
  await send('case-1', '2026-03-03T09:00:00.000Z', { type: 'AcceptReferral', data: { counsellorId: 'cas-07' } });
  for (const item of ReviewItem.options) await send('case-1', '2026-03-04T09:00:00.000Z', { type: 'RecordReviewItem', data: { item, finding: 'in-order' } });
  await send('case-1', '2026-03-04T09:00:00.000Z', { type: 'CompleteReview', data: {} });
  await send('case-1', '2026-03-05T09:00:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
  await send('case-1', '2026-03-05T09:30:00.000Z', { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights'] } });
  await send('case-1', '2026-03-05T09:30:00.000Z', { type: 'PlanAction', data: { strand: 'rights', kind: 'c2s-application', owner: { kind: 'person' }, dueDate: '2026-03-31' } });
  await send('case-1', '2026-03-05T09:30:00.000Z', { type: 'AgreePlan', data: {} });
  await send('case-1', '2026-04-02T09:00:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } });
  await send('case-1', '2026-04-15T09:00:00.000Z', { type: 'CloseCase', data: { reason: 'objectives-met' } });
  await refer('case-2', '2026-05-11');
  await send('case-2', '2026-05-12T09:00:00.000Z', { type: 'DeclineReferral', data: { reason: 'already-accompanied' } });

  await catchUp(storage.events, storage.projections, caseRegisterProjection());
  const register = readModel(storage.projections, caseRegisterName);
  const period = { from: '2026-01-01', to: '2026-06-30' };
  const rows = await registerRowsForPeriod(register, { ...period, fundId: 'cpam-22' });
  const report = computeIndicators(rows, { ...period, groupBy: 'detectorKind' });

  console.log(report.overall.referred, report.overall.accepted, report.overall.declined); // 2 1 1
  console.log(report.overall.rightsShare); // { numerator: 1, denominator: 1, value: 1 }
  console.log(report.overall.referralToClosure); // { count: 1, median: 44, p90: 44 }
  return report;
}
