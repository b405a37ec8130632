/**
 * A complex social situation: a CCAS refers Karim, who has just lost his housing and his job and
 * has nobody to rely on. That reason is the health-insurance social service's business, not an
 * accompaniment's: the referral is redirected to it automatically, and the detector is told that
 * the accompaniment ended (it never started). The notice goes through the outbox, without personal
 * data; the detector's own view shows the same, and nothing more.
 *
 * Run it with `pnpm example complex-social`.
 */
import { detectorNoticeRelay, deliverOutbox, runReactor, type DetectorNoticeMessage } from '@misas/projections';
import { createWorld, formatFinalState } from '../shared/world.ts';

export const caseId = 'case-social';

export async function runComplexSocial() {
  const world = createWorld({ start: '2026-05-18T11:00:00.000Z', seed: 18 });
  const fundId = 'cpam-22';
  const ccas = world.misas.as({ role: 'detector', id: 'ccas-lamballe', fundId, origin: 'external-partner' });
  await world.send(ccas, caseId, '2026-05-18T11:00:00.000Z', {
    type: 'ReceiveReferral',
    data: {
      fundId,
      form: {
        variant: 'external',
        referralDate: '2026-05-18',
        detectionMode: 'face-to-face',
        reasons: ['complex-social-situation', 'rights-access'],
        person: { lastName: 'H.', firstName: 'Karim', birthDate: '1971-01-12', phone: '06 20 51 88 40' },
        detector: { kind: 'external-partner', name: 'M. Guillou', service: 'CCAS de Lamballe' },
        consent: { kind: 'signed', signedOn: '2026-05-18' },
      },
    },
  });

  // The detector notice: from the log to the outbox, then delivered (here, printed).
  await runReactor(world.storage.events, world.storage.projections, detectorNoticeRelay(world.storage.outbox));
  const delivered: DetectorNoticeMessage[] = [];
  world.clock.set('2026-05-18T11:05:00.000Z');
  await deliverOutbox({
    outbox: world.storage.outbox,
    now: world.clock.now(),
    deliver: async (message) => {
      delivered.push(message.payload as unknown as DetectorNoticeMessage);
    },
  });
  const detectorView = await ccas.detectorReferrals();
  return { world, delivered, detectorView };
}

/** `pnpm example complex-social`: plays the referral and prints what happened and what the detector learns. */
export async function main(): Promise<void> {
  const { world, delivered, detectorView } = await runComplexSocial();
  console.log(`Case ${caseId}: a complex social situation\n`);
  console.log(await world.timeline(caseId));
  for (const notice of delivered) {
    const why = notice.reason ? ` (${notice.reason})` : '';
    console.log(`\nNotice delivered to the ${notice.detectorKind} detector: ${notice.notice}${why} (case ${notice.caseId})`);
  }
  console.log(`The detector's view: ${JSON.stringify(detectorView)}`);
  console.log(`\n${formatFinalState(await world.status(caseId), await world.file(caseId))}`);
}
