/**
 * Builds the case register from the log and prints the headline indicators of a period.
 */
import { createInMemoryStorage, type EventStore } from '@misas/core';
import { caseRegisterProjection, catchUp, computeIndicators, readModel, registerRowsForPeriod, type Share } from '@misas/projections';

const percent = (share: Share) =>
  share.value === null ? 'n/a' : `${Math.round(share.value * 100)} % (${share.numerator}/${share.denominator})`;

/** The indicators of the cases referred in [from, to], as a few readable lines. */
export async function formatIndicators(events: EventStore, period: { from: string; to: string }): Promise<string> {
  const projections = createInMemoryStorage().projections;
  const register = caseRegisterProjection();
  await catchUp(events, projections, register);
  const rows = await registerRowsForPeriod(readModel(projections, register.name), period);
  const { overall } = computeIndicators(rows, period);
  return [
    `Indicators, referrals from ${period.from} to ${period.to}:`,
    `  referred ${overall.referred}, accepted ${overall.accepted}, redirected ${overall.redirected}, declined ${overall.declined}`,
    `  helped with their rights: ${percent(overall.rightsShare)}   (2019 national headline: 58 %)`,
    `  carried out their care:   ${percent(overall.careShare)}   (2019 national headline: 45 %)`,
    `  days referral → first contact: median ${overall.referralToFirstContact.median ?? 'n/a'}; referral → closure: median ${overall.referralToClosure.median ?? 'n/a'}`,
    `  out-of-pocket saved: €${(overall.outOfPocketSaved.totalCents / 100).toFixed(2)}; counsellor minutes per case: ${overall.minutesPerCase.value ?? 'n/a'}`,
  ].join('\n');
}
