/**
 * The GP-search rule (seed 003, "ZOOM SUR LA RECHERCHE DE MEDECIN-TRAITANT"), placeholder branch.
 * Chloé, 29, C2S beneficiary, no ALD, no scheduled care, no disability, not dependent: she meets
 * none of the criteria, and doctors are scarce in the département. So no accompaniment to find a
 * GP: a placeholder GP number is recorded so that her reimbursements are not cut, and a letter
 * explains it to her. The rest of her plan goes on.
 *
 * Run it with `pnpm example gp-placeholder`.
 */
import { gpSearchDecision, defaultPolicy } from '@misas/core';
import { gpCaseUpToPlanning } from '../shared/gp-case.ts';
import { formatFinalState } from '../shared/world.ts';

export const caseId = 'case-gp-placeholder';

const profile = {
  hasScheduledOrUrgentCare: false,
  livesWithDisabilityOrInvalidity: false,
  isC2sBeneficiary: true,
  isDependent: false,
  age: 29,
};

export async function runGpPlaceholder() {
  const { world, counsellor, send } = await gpCaseUpToPlanning(caseId, { firstName: 'Chloé', birthDate: '1996-08-19' }, 29);
  await send('2026-03-10T10:20:00.000Z', { type: 'AssessGpSearch', data: { profile } });
  const me = { kind: 'counsellor', counsellorId: counsellor.principal.id } as const;
  // The placeholder GP number and the letter are the counsellor's paperwork; her own search goes on.
  await send('2026-03-10T10:25:00.000Z', { type: 'PlanAction', data: { actionId: 'letter', strand: 'rights', kind: 'other', owner: me, dueDate: '2026-03-13' } });
  await send('2026-03-10T10:25:00.000Z', { type: 'PlanAction', data: { actionId: 'own-search', strand: 'care', kind: 'choose-professional', owner: { kind: 'person' }, dueDate: '2026-06-30' } });
  await send('2026-03-10T10:30:00.000Z', { type: 'AgreePlan', data: {} });
  await send('2026-03-11T09:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'letter', status: 'done' } });
  await send('2026-03-11T09:05:00.000Z', { type: 'LogTime', data: { minutes: 20, activity: 'paperwork', strand: 'rights' } });
  return world;
}

/** `pnpm example gp-placeholder`: plays the case and prints the rule's decision and the final state. */
export async function main(): Promise<void> {
  const world = await runGpPlaceholder();
  // The same rule, as a pure function: what the command applied.
  const preview = gpSearchDecision(profile, defaultPolicy, '2026-03-10');
  console.log(`Rule preview: ${preview.decision} (criteria met: ${preview.criteriaMet.join(', ') || 'none'})\n`);
  console.log(await world.timeline(caseId));
  const file = await world.file(caseId);
  console.log(`\nDecision: ${file.gpSearch?.outcome}: a placeholder GP number on file, and a letter to the person`);
  console.log(formatFinalState(await world.status(caseId), file));
}
