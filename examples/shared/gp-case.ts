/**
 * The common start of the two GP-search examples: a person without a declared GP, referred by
 * the fund's reception, reached and with needs identified, ready for `AssessGpSearch`.
 */
import type { MisasSession } from '@misas/service';
import { createWorld, reviewSteps, type Step, type World } from './world.ts';

export interface GpCase {
  readonly world: World;
  readonly counsellor: MisasSession;
  readonly send: (instant: string, step: Step) => Promise<unknown>;
}

/** Opens `caseId` for a person without a GP and brings it to planning on 2026-03-10. */
export async function gpCaseUpToPlanning(caseId: string, person: { firstName: string; birthDate: string }, seed: number): Promise<GpCase> {
  const world = createWorld({ start: '2026-03-02T09:00:00.000Z', seed });
  const fundId = 'cpam-22';
  const reception = world.misas.as({ role: 'detector', id: 'accueil-saint-brieuc', fundId, origin: 'health-insurance-service' });
  const counsellor = world.misas.as({ role: 'counsellor', id: 'cas-saint-brieuc-03', fundId });
  const send = (instant: string, step: Step, session: MisasSession = counsellor) => world.send(session, caseId, instant, step);
  await send(
    '2026-03-02T09:00:00.000Z',
    {
      type: 'ReceiveReferral',
      data: {
        fundId,
        form: {
          variant: 'internal',
          referralDate: '2026-03-02',
          detectionMode: 'face-to-face',
          reasons: ['rights-access'],
          person: { lastName: 'D.', ...person },
          detector: { kind: 'health-insurance-service', name: 'S. Le Roux', service: 'Accueil de Saint-Brieuc' },
          consent: { kind: 'signed', signedOn: '2026-03-02' },
        },
      },
    },
    reception,
  );
  await send('2026-03-03T09:00:00.000Z', { type: 'AcceptReferral', data: { counsellorId: counsellor.principal.id } });
  for (const step of reviewSteps({ 'declared-gp': 'needs-action' })) await send('2026-03-04T09:00:00.000Z', step);
  await send('2026-03-10T10:00:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
  await send('2026-03-10T10:15:00.000Z', { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures', 'care-and-health'], strands: ['rights', 'care'] } });
  return { world, counsellor, send };
}
