/**
 * People who cannot be reached, two ways:
 *  - Paul: three calls fail, and the fund's policy (`unreachableAfterAttempts`, 3 by default)
 *    closes the case as unreachable on the third;
 *  - Sonia: one call fails, then nobody tries again. The scheduler, on a virtual clock, reminds the
 *    counsellor on the first-contact due day, and closes the case at `unreachableAfterDays` (45 days
 *    after acceptance). Both closures tell the detector.
 *
 * Run it with `pnpm example unreachable`.
 */
import { defaultPolicy } from '@misas/core';
import { Scheduler } from '@misas/projections';
import { createWorld, formatFinalState, reviewSteps, type Step, type World } from '../shared/world.ts';

const fundId = 'cpam-22';

const referral = (firstName: string, birthDate: string): Step => ({
  type: 'ReceiveReferral',
  data: {
    fundId,
    form: {
      variant: 'external',
      referralDate: '2026-01-05',
      detectionMode: 'face-to-face',
      reasons: ['rights-access'],
      person: { lastName: 'X.', firstName, birthDate, phone: '06 00 00 00 00' },
      detector: { kind: 'external-partner', name: 'L. Tanguy', service: 'Secours populaire, Guingamp' },
      consent: { kind: 'signed', signedOn: '2026-01-05' },
    },
  },
});

export async function runUnreachable(): Promise<{ world: World; reminders: string[] }> {
  const world = createWorld({ start: '2026-01-05T09:00:00.000Z', seed: 45 });
  const detector = world.misas.as({ role: 'detector', id: 'secours-populaire-22', fundId, origin: 'external-partner' });
  const counsellor = world.misas.as({ role: 'counsellor', id: 'cas-guingamp-01', fundId });
  const accept: Step[] = [{ type: 'AcceptReferral', data: { counsellorId: counsellor.principal.id } }, ...reviewSteps({})];
  const failedCall: Step = { type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } };

  // Paul: three failed calls; the third closes the case.
  await world.send(detector, 'case-paul', '2026-01-05T09:00:00.000Z', referral('Paul', '1961-03-08'));
  for (const step of accept) await world.send(counsellor, 'case-paul', '2026-01-06T09:00:00.000Z', step);
  for (const instant of ['2026-01-07T10:00:00.000Z', '2026-01-09T17:30:00.000Z', '2026-01-14T12:15:00.000Z']) {
    await world.send(counsellor, 'case-paul', instant, failedCall);
  }

  // Sonia: one failed call, then the days go by; the scheduler runs each morning.
  await world.send(detector, 'case-sonia', '2026-01-14T13:00:00.000Z', referral('Sonia', '1990-12-01'));
  for (const step of accept) await world.send(counsellor, 'case-sonia', '2026-01-15T09:00:00.000Z', step);
  await world.send(counsellor, 'case-sonia', '2026-01-16T09:00:00.000Z', failedCall);
  const scheduler = new Scheduler({ storage: world.storage, handler: world.misas.handler, clock: world.clock });
  const reminders: string[] = [];
  await scheduler.runDaily(world.clock, '2026-03-15', (day, result) => {
    for (const { deadline } of result.fired) reminders.push(`${day}: ${deadline.caseId} ${deadline.kind} (due ${deadline.dueOn})`);
  });
  return { world, reminders };
}

/** `pnpm example unreachable`: plays both cases and prints their timelines and what the scheduler did. */
export async function main(): Promise<void> {
  const { world, reminders } = await runUnreachable();
  console.log(`Policy: unreachable after ${defaultPolicy.unreachableAfterAttempts} failed attempts, or ${defaultPolicy.unreachableAfterDays} days after acceptance\n`);
  for (const caseId of ['case-paul', 'case-sonia']) {
    console.log(`Case ${caseId}\n${await world.timeline(caseId)}\n`);
    console.log(`${formatFinalState(await world.status(caseId), await world.file(caseId))}\n`);
  }
  console.log(`The scheduler fired:\n${reminders.map((line) => `  ${line}`).join('\n')}`);
}
