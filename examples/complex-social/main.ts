/**
 * A complex social situation: a CCAS refers Karim, who has just lost his housing and his job and
 * has nobody to rely on. That reason is the health-insurance social service's business, not an
 * accompaniment's: the referral is redirected to it automatically, and the detector is told that
 * the accompaniment ended (it never started). The notice goes through the outbox, without personal
 * data; the detector's own view shows the same, and nothing more. The hand-off keeps both ticked
 * reasons and is followed like a partner referral: the fund's social service acknowledges it and
 * takes it up.
 *
 * Run it with `pnpm example complex-social`.
 */
import { detectorNoticeRelay, deliverOutbox, runReactor, type DetectorNoticeMessage } from '@misas/projections';
import { socialServiceHandOffId } from '@misas/core';
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

  // The hand-off is followed like a partner referral: the fund's social service sees it,
  // acknowledges it, then takes it up (another fund's social service could do neither).
  const socialService = world.misas.as({ role: 'partner', id: 'service-social-22', fundId, partner: 'social-service' });
  const handOffSeen = await socialService.partnerReferrals();
  const answer = (status: 'acknowledged' | 'in-progress') => ({ type: 'UpdatePartnerReferral', data: { referralId: socialServiceHandOffId, status } }) as const;
  await world.send(socialService, caseId, '2026-05-19T10:00:00.000Z', answer('acknowledged'));
  await world.send(socialService, caseId, '2026-05-22T14:00:00.000Z', answer('in-progress'));
  return { world, delivered, detectorView, handOffSeen };
}

/** `pnpm example complex-social`: plays the referral and prints what happened and what the detector learns. */
export async function main(): Promise<void> {
  const { world, delivered, detectorView, handOffSeen } = await runComplexSocial();
  console.log(`Case ${caseId}: a complex social situation\n`);
  console.log(await world.timeline(caseId));
  for (const notice of delivered) {
    const why = notice.reason ? ` (${notice.reason})` : '';
    console.log(`\nNotice delivered to the ${notice.detectorKind} detector: ${notice.notice}${why} (case ${notice.caseId})`);
  }
  console.log(`The detector's view: ${JSON.stringify(detectorView)}`);
  console.log(`The social service's view of the hand-off, when it arrived: ${JSON.stringify(handOffSeen)}`);
  console.log(`\n${formatFinalState(await world.status(caseId), await world.file(caseId))}`);
}
