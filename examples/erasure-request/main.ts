/**
 * A person asks for erasure during the accompaniment. Maëlle writes to the fund; the
 * data-protection officer records the request (`RequestErasure`): the open case closes with the
 * reason `erasure-requested`, the detector is told, and her key is destroyed, so every copy of her
 * personal data is unreadable for good. The case's facts stay, without her, for the statistics;
 * the export (right of access) and the case detail then say `erased`.
 *
 * Run it with `pnpm example erasure-request`.
 */
import { createWorld, formatFinalState, stepsToPlanning, type Step } from '../shared/world.ts';

export const caseId = 'case-erasure';

export async function runErasureRequest() {
  const world = createWorld({ start: '2026-06-01T09:00:00.000Z', seed: 17 });
  const fundId = 'cpam-22';
  const pharmacist = world.misas.as({ role: 'detector', id: 'pharmacie-du-port', fundId, origin: 'health-professional' });
  const counsellor = world.misas.as({ role: 'counsellor', id: 'cas-saint-brieuc-09', fundId });
  const dpo = world.misas.as({ role: 'data-protection-officer', id: 'dpo-22', fundId });
  await world.send(pharmacist, caseId, '2026-06-01T09:00:00.000Z', {
    type: 'ReceiveReferral',
    data: {
      fundId,
      form: {
        variant: 'external',
        referralDate: '2026-06-01',
        detectionMode: 'face-to-face',
        reasons: ['care-renunciation'],
        person: { lastName: 'P.', firstName: 'Maëlle', birthDate: '1985-04-03', email: 'maelle.p@example.org' },
        detector: { kind: 'health-professional', name: 'J. Morvan', service: 'Pharmacie du Port, Binic' },
        careRenunciation: { careTypes: ['pharmacy'], since: 'under-3-months', causes: ['fee-advance'] },
        consent: { kind: 'signed', signedOn: '2026-06-01' },
      },
    },
  });
  const plan: Step[] = [
    ...stepsToPlanning(counsellor.principal.id, { problems: ['care-and-health'], strands: ['care', 'rights'] }),
    { type: 'PlanAction', data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: { kind: 'counsellor', counsellorId: counsellor.principal.id }, dueDate: '2026-06-26' } },
    { type: 'AddNote', data: { text: 'Avance de frais impossible en fin de mois.' } },
    { type: 'AgreePlan', data: {} },
  ];
  for (const step of plan) await world.send(counsellor, caseId, '2026-06-03T10:00:00.000Z', step);

  // Her letter arrives on 15 June: the DPO finds her case and records the request.
  const before = await dpo.caseDetail(caseId);
  await world.send(dpo, caseId, '2026-06-16T09:30:00.000Z', { type: 'RequestErasure', data: { requestedOn: '2026-06-15', channel: 'letter' } });
  const detail = await dpo.caseDetail(caseId);
  const access = await dpo.exportPerson(caseId);
  return { world, before: before?.person.status, after: detail?.person.status, exported: access.data.personalData.status, document: access.document };
}

/** `pnpm example erasure-request`: plays the case and prints the timeline, then what the DPO sees after erasure. */
export async function main(): Promise<void> {
  const { world, before, after, exported, document } = await runErasureRequest();
  console.log(await world.timeline(caseId));
  console.log(`\nCase detail, personal data: ${before} before the request, ${after} after`);
  console.log(`Export (right of access), personal data: ${exported}`);
  console.log(`Export document begins: ${document.split('\n').filter((line) => line.trim()).slice(0, 2).join(' / ')}`);
  console.log(formatFinalState(await world.status(caseId), await world.file(caseId)));
}
