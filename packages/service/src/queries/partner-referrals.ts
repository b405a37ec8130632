/**
 * What a partner of the accompaniment sees: the referrals made to it in its fund, with the
 * person's name and contact details only when the person agreed to share them with this partner
 * (or a privileged role overrode it) — never the NIR, never the birth date, never notes.
 */
import { z } from 'zod';
import { caseFileOf, consentAllowsSharingWith, Day, Instant, PartnerReferralStatus, PlanStrand, readPersonalData, type Partner } from '@misas/core';
import { caseRegisterName, readModel, scanCaseRegister } from '@misas/projections';
import type { ServiceContext } from '../context.ts';

/** The person as a partner may see them. Strict: a field added by mistake (a NIR…) fails validation. */
export const PartnerPersonView = z.strictObject({
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type PartnerPersonView = z.infer<typeof PartnerPersonView>;

/** One referral made to the partner. */
export const PartnerReferralView = z.strictObject({
  caseId: z.string().min(1),
  referralId: z.string().min(1),
  strand: PlanStrand,
  status: PartnerReferralStatus,
  madeAt: Instant,
  followUpBy: Day,
  /** `null` when the person did not agree to share their data with this partner, or was erased. */
  person: PartnerPersonView.nullable(),
});
export type PartnerReferralView = z.infer<typeof PartnerReferralView>;

/** The referrals made to `partner` in `fundId`, oldest case first; `onPersonalData` hears of each case whose data is returned. */
export async function partnerReferrals(
  context: ServiceContext,
  fundId: string,
  partner: Partner,
  onPersonalData: (caseId: string, subjectRef: string) => void,
): Promise<PartnerReferralView[]> {
  const views: PartnerReferralView[] = [];
  for await (const row of scanCaseRegister(readModel(context.storage.projections, caseRegisterName), { fundId })) {
    if (!row.partnersSolicited.includes(partner)) continue;
    const file = caseFileOf((await context.handler.load(row.caseId)).state);
    // The row was scanned from the fund's index; the case itself must say so too before anything of it is shown.
    if (file.fundId !== fundId) continue;
    const shared = !file.personalDataErased && consentAllowsSharingWith(file, partner);
    for (const [referralId, referral] of Object.entries(file.partnerReferrals)) {
      if (referral.partner !== partner) continue;
      let person: PartnerPersonView | null = null;
      if (shared && referral.sharesPersonalData) {
        const read = await readPersonalData(context.storage.vault, row.subjectRef);
        if (read.status === 'found') {
          const { firstName, lastName, phone, email } = read.record.current.person;
          person = { firstName, lastName, ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
          onPersonalData(row.caseId, row.subjectRef);
        }
      }
      const { strand, status, madeAt, followUpBy } = referral;
      views.push(PartnerReferralView.parse({ caseId: row.caseId, referralId, strand, status, madeAt, followUpBy, person }));
    }
  }
  return views;
}
