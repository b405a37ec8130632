/**
 * The GP-search rule (seed 003, "ZOOM SUR LA RECHERCHE DE MEDECIN-TRAITANT"), systematic branch.
 * Where doctors are scarce, a person is accompanied to find a GP when they meet a criterion; here
 * Gérard, 58, has a long-term-illness (ALD) protocol ending on 30 April, within the 2 months of the
 * rule. The scheduler reminds the counsellor of the ALD expiry (`aldExpiryReminderDays` before it).
 * A GP is found and declared, who renews the protocol.
 *
 * Run it with `pnpm example gp-systematic`.
 */
import { defaultPolicy } from '@misas/core';
import { Scheduler } from '@misas/projections';
import { gpCaseUpToPlanning } from '../shared/gp-case.ts';
import { formatFinalState } from '../shared/world.ts';

export const caseId = 'case-gp-systematic';

export async function runGpSystematic() {
  const { world, counsellor, send } = await gpCaseUpToPlanning(caseId, { firstName: 'Gérard', birthDate: '1967-10-02' }, 58);
  const profile = {
    aldProtocolExpiresOn: '2026-04-30',
    hasScheduledOrUrgentCare: false,
    livesWithDisabilityOrInvalidity: false,
    isC2sBeneficiary: true,
    isDependent: false,
    age: 58,
  };
  await send('2026-03-10T10:20:00.000Z', { type: 'AssessGpSearch', data: { profile } });
  const me = { kind: 'counsellor', counsellorId: counsellor.principal.id } as const;
  await send('2026-03-10T10:30:00.000Z', { type: 'PlanAction', data: { actionId: 'gp', strand: 'care', kind: 'declare-gp', owner: me, dueDate: '2026-04-10' } });
  await send('2026-03-10T10:30:00.000Z', { type: 'ReferToPartner', data: { referralId: 'cpts', partner: 'cpts', strand: 'care' } });
  await send('2026-03-10T10:35:00.000Z', { type: 'AgreePlan', data: {} });

  // The scheduler, each morning: the ALD-expiry reminder falls on 1 March (60 days before the end), so it fires at once.
  const scheduler = new Scheduler({ storage: world.storage, handler: world.misas.handler, clock: world.clock });
  const fired: string[] = [];
  await scheduler.runDaily(world.clock, '2026-03-20', (day, result) => fired.push(...result.fired.map((f) => `${day}: ${f.deadline.kind} (due ${f.deadline.dueOn})`)));

  // The CPTS finds a GP who takes him on; the GP renews the protocol.
  await send('2026-03-24T15:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: 'cpts', status: 'completed' } });
  await send('2026-03-24T15:05:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'gp', status: 'done' } });
  await send('2026-03-24T15:10:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'declared-gp' } } });
  await send('2026-04-14T11:00:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'ald' } } });
  await send('2026-04-14T11:30:00.000Z', { type: 'CloseCase', data: { reason: 'objectives-met' } });
  return { world, fired };
}

/** `pnpm example gp-systematic`: plays the case and prints the rule's decision, the reminder and the final state. */
export async function main(): Promise<void> {
  const { world, fired } = await runGpSystematic();
  const rule = defaultPolicy.gpSearch.systematicWhen;
  console.log(`GP-search rule: doctors scarce = ${defaultPolicy.gpSearch.doctorsScarce}; ALD protocol expiring within ${rule.aldProtocolExpiringWithinDays} days; reminder ${defaultPolicy.aldExpiryReminderDays} days before\n`);
  console.log(await world.timeline(caseId));
  const file = await world.file(caseId);
  console.log(`\nDecision: ${file.gpSearch?.outcome} (criteria met: ${file.gpSearch?.criteriaMet.join(', ')})`);
  console.log(`The scheduler fired: ${fired.join('; ') || 'nothing'}`);
  console.log(formatFinalState(await world.status(caseId), file));
}
