/**
 * The partners the seeds tick for their three example cases (seed 003, "Partenaires de
 * l'accompagnement", examples no. 1 to 3), and the plan strand a referral to each usually serves.
 */
import type { Partner, PlanStrand } from '@misas/core';

/** The ticked boxes of each seed case, in the form's order. */
export const seedPartners = {
  diego: [
    'back-office', 'social-service', 'medical-service', 'health-check-centre',
    'private-practitioners', 'care-establishment',
    'association', 'complementary-insurer', 'caf-france-travail', 'digital-mediator',
  ],
  vanessa: [
    'back-office', 'health-check-centre', 'prevention',
    'private-practitioners', 'health-insurance-health-centre', 'care-establishment',
    'association', 'departmental-council', 'complementary-insurer', 'caf-france-travail',
  ],
  bernadette: [
    'back-office', 'mediator', 'sophia-prado', 'social-service', 'health-check-centre',
    'private-practitioners', 'multi-professional-practice', 'care-establishment', 'cpts',
    'association', 'departmental-council', 'ccas', 'complementary-insurer', 'caf-france-travail', 'mdph',
  ],
} as const satisfies Record<string, readonly Partner[]>;

/** The strand of the plan a referral to each partner usually belongs to. */
export const strandOfPartner: Readonly<Record<Partner, PlanStrand>> = {
  'back-office': 'rights',
  mediator: 'rights',
  'sophia-prado': 'prevention',
  'social-service': 'social',
  'medical-service': 'care',
  'health-check-centre': 'prevention',
  prevention: 'prevention',
  'private-practitioners': 'care',
  'multi-professional-practice': 'care',
  'health-insurance-health-centre': 'care',
  'care-establishment': 'care',
  cpts: 'care',
  association: 'social',
  'departmental-council': 'social',
  ccas: 'social',
  'complementary-insurer': 'rights',
  'caf-france-travail': 'social',
  mdph: 'rights',
  'digital-mediator': 'digital',
};
