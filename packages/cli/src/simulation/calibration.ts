/**
 * The calibration of the simulation, as data: the mix of referrals and paths a year of a Mission
 * accompagnement santé is drawn from, and the published figures it is compared with.
 *
 * Sources (the documents in `shared/seeds`, summarised in DOMAIN.md):
 * - seeds 000 and 001 (national leaflets): more than 80,000 people accompanied in 2019, 58 % of them
 *   helped with their rights, 45 % carried out the care they needed;
 * - seed 003 (CPAM des Côtes-d'Armor, "RÉSULTATS"): the care given up declared on the referrals,
 *   the care carried out, and the products of completed accompaniments (C2S, file updates, access to
 *   a complementary cover, financial aid);
 * - seed 002/004 (training deck): eligibility for the C2S with and without contribution (6.6–7.9 M
 *   and 2.9–4.2 M people), and a complex social situation goes to the social service;
 * - the referral form (DOMAIN.md): its reasons, detector kinds, detection modes, consent kinds.
 *
 * Every other figure is an assumption, and its description starts with "Assumption:": the seeds
 * give no share of declined, redirected, unreachable or refusing people, and no delay between steps.
 * A fund that knows its own figures passes its own calibration.
 */
import { z } from 'zod';
import {
  AgeBand,
  CareType,
  ClosureReason,
  DeclineReason,
  DetectorKind,
  Id,
  Partner,
  ReferralReason,
  RenunciationCause,
  RenunciationDuration,
  RightOpened,
} from '@misas/core';

const Share = z.number().min(0).max(1);
const Weight = z.number().min(0);
const weights = <K extends z.ZodEnum>(keys: K) => z.partialRecord(keys, Weight);

/** A typical delay in whole days: the median, and the bounds no draw goes beyond. */
export const Delay = z
  .strictObject({ median: z.number().min(0), min: z.int().min(0), max: z.int().min(0) })
  .refine((delay) => delay.min <= delay.median && delay.median <= delay.max, { message: 'Expected min <= median <= max' });
export type Delay = z.infer<typeof Delay>;

/** The days of the week, Monday first, for the weekday weights of referral dates. */
export const Weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
export type Weekday = z.infer<typeof Weekday>;

/** How the referred cases split between the paths a case can take. The rest are accompanied. */
export const PathShares = z
  .strictObject({
    redirectedOnForm: Share.describe(
      "Assumption: share of referrals with 'complex social situation' ticked, redirected to the social service on receipt (the rule is seed 002's; the share is not given).",
    ),
    redirectedAtTriage: Share.describe('Assumption: share the counsellor redirects to the social service at triage, the box not being ticked.'),
    declined: Share.describe('Assumption: share declined at triage (not relevant, duplicate, already accompanied, other fund…).'),
    unreachable: Share.describe('Assumption: share of accepted referrals whose person is never reached.'),
    consentRefused: Share.describe('Assumption: share of referrals whose person, once reached, refuses the accompaniment.'),
  })
  .refine((shares) => Object.values(shares).reduce((sum, share) => sum + share, 0) < 1, {
    message: 'The paths other than the accompaniment must leave a share for it',
  });
export type PathShares = z.infer<typeof PathShares>;

/** How an accompaniment whose plan was agreed ends. The rest end with the plan carried out. */
export const EndingShares = z.strictObject({
  personWithdrew: Share.describe('Assumption: share of accompaniments the person stops (closed as person-withdrew).'),
  consentWithdrawn: Share.describe('Assumption: share where the person withdraws their consent during the accompaniment.'),
  erasureRequested: Share.describe('Assumption: share where the person asks for their data to be erased during the accompaniment.'),
  movedAway: Share.describe('Assumption: share closed because the person moved to another fund.'),
});
export type EndingShares = z.infer<typeof EndingShares>;

/** The calibration of a simulation. Parse input with {@link parseCalibration}. */
export const Calibration = z.strictObject({
  nationalPeoplePerYear: z
    .int()
    .min(1)
    .describe('Seeds 000/001: "plus de 80 000 personnes accompagnées en 2019" — what a national year is; `--cases` scales it.'),
  targets: z
    .strictObject({
      rightsShare: Share.describe('Seeds 000/001: 58 % of the people accompanied in 2019 were helped with their rights.'),
      careShare: Share.describe('Seeds 000/001: 45 % carried out the care they needed.'),
    })
    .describe('The headline indicators the simulated year is compared with (rightsShare and careShare of computeIndicators).'),
  fundIds: z.array(Id).min(1).describe('Assumption: the funds the referrals are spread over, evenly (seed 003 is CPAM 22).'),
  counsellorCasesPerYear: z.int().min(1).describe('Assumption: referrals one counsellor handles in a year; sets the number of counsellors.'),
  weekdayWeights: weights(Weekday).describe('Assumption: referrals by day of the week (forms arrive on working days, a few on Saturdays).'),
  paths: PathShares,
  endings: EndingShares,
  mainReason: weights(ReferralReason.exclude(['complex-social-situation'])).describe(
    'Assumption: the main reason ticked on the form (the four offers of seeds 000–002; complex social situations are a path, above).',
  ),
  secondReasonChance: Share.describe('Assumption: chance that a second reason is ticked.'),
  careTypes: weights(CareType).describe(
    "Seed 003, care given up declared on the referrals, mapped to the form's boxes: GP consultation 28.0 → consultation; dental prosthetic 14.9, dental conservative 11.2, orthodontics 0.6, specialist acts 22.3 → specialist acts and exams (49.0, plus a third of 'other', physiotherapy); optics 2.5 and hearing 0.7 → medical devices (plus a third of 'other'); pharmacy a third of 'other' (19.6, 'dispositif médical, médicaments, kinésithérapie'). Assumption: surgery and other, which seed 003 does not list.",
  ),
  secondCareTypeChance: Share.describe('Assumption: chance that a second kind of care given up is ticked.'),
  renunciationSince: weights(RenunciationDuration).describe('Assumption: since when care is given up.'),
  renunciationCauses: weights(RenunciationCause).describe(
    'Assumption, ranked after DOMAIN.md ("main cause: money; also distance, lack of doctors, appointment delays, not understanding the system").',
  ),
  extraCauseChance: Share.describe('Assumption: chance of each further cause (a form often ticks two).'),
  detectorKinds: weights(DetectorKind).describe('Assumption: who refers (the three families of DOMAIN.md, reaching-out queries and the person).'),
  phoneDetection: Share.describe('Assumption: share of detections made by phone rather than face to face.'),
  remoteConsentWhenPhone: Share.describe(
    'Assumption: share of phone detections whose consent is left to be confirmed by phone (with a welcome letter), the rest being signed.',
  ),
  nirOnInternalForm: Share.describe('Assumption: share of internal forms that carry the NIR (only the internal form may).'),
  alreadyStartedChance: Share.describe('Assumption: chance the detector already started a C2S or ASS application.'),
  objectsToEvaluation: Share.describe('Assumption: share of people who object to the evaluation on the form.'),
  ageBands: weights(AgeBand).describe('Assumption: age of the people referred (adults; the elderly over-represented, cf. Bernadette).'),
  declineReasons: weights(DeclineReason.exclude(['erasure-requested'])).describe('Assumption: why triage declines a referral.'),
  failedAttemptsBeforeReach: z
    .array(Weight)
    .min(1)
    .describe('Assumption: weights of 0, 1, 2… failed calls before the person is reached (fewer than the policy threshold of 3).'),
  unreachableClosedByScheduler: Share.describe(
    "Assumption: share of unreachable people the scheduler closes at the policy's 45 days (fewer calls made), the others being closed at the third failed call.",
  ),
  noGpChance: Share.describe('Assumption: share of accompanied people without a declared GP, whose case gets the GP-search rule.'),
  actionsPerPlan: z.strictObject({ min: z.int().min(1), max: z.int().min(1) }).describe('Assumption: actions in a plan.'),
  partnerReferralChance: Share.describe('Assumption: chance an accompaniment refers the person to a partner (seed 003 ticks several for each example).'),
  partners: weights(Partner).describe("Assumption, weighted by how often the seeds' three examples tick each partner."),
  partnerRefuses: Share.describe('Assumption: chance a partner refuses a referral.'),
  rightsOpened: weights(RightOpened).describe(
    'Seed 003, products of completed accompaniments: C2S 6.6 (split 2:1 between without and with contribution, after the eligible populations of seed 002), file update 7.3 → basic cover, access to a complementary cover 3.8 + a better one 1.0, financial aid 9.2 → ASS. Assumption: carte Vitale, declared GP, ameli account, ALD, disability recognition and other.',
  ),
  extraRightChance: Share.describe('Assumption: chance a person helped with their rights gets one more right opened.'),
  propensity: z
    .strictObject({
      rightsWhenRightsReason: Weight,
      rightsOtherwise: Weight,
      careWhenCareGivenUp: Weight,
      careOtherwise: Weight,
      whenEndedEarly: Weight,
    })
    .describe(
      'Assumption: relative chances of a right opened / care carried out by the case (rights reason ticked, care given up, accompaniment ended early). The targets fix the overall shares; these only decide who gets them.',
    ),
  outOfPocketSaved: z
    .strictObject({ chanceWithCare: Share, medianCents: z.int().min(1), maxCents: z.int().min(1) })
    .describe('Assumption: chance that care carried out comes with an out-of-pocket saving, and its amount.'),
  closureWithoutOutcome: weights(ClosureReason.extract(['objectives-partly-met', 'handed-over-to-partner'])).describe(
    'Assumption: how an accompaniment carried out without a right opened nor care done is closed.',
  ),
  delays: z
    .strictObject({
      receipt: Delay.describe('Assumption: days from the date on the form to its receipt.'),
      triage: Delay.describe('Assumption: days from receipt to triage.'),
      review: Delay.describe('Assumption: days from acceptance to the end of the administrative review.'),
      firstCall: Delay.describe("Assumption: days from the review to the first call (the policy's first-contact delay is 10 days from acceptance)."),
      retryCall: Delay.describe('Assumption: days between two calls.'),
      plan: Delay.describe('Assumption: days from reaching the person to the agreed plan.'),
      welcomeLetter: Delay.describe('Assumption: days from the phone consent to the welcome letter (policy: within 7).'),
      action: Delay.describe('Assumption: days from the plan to each action done.'),
      partnerAnswer: Delay.describe('Assumption: days from a partner referral to its answer.'),
      outcome: Delay.describe('Assumption: days from the plan to a right opened or care carried out.'),
      closure: Delay.describe('Assumption: days from the last step of the plan to the closure.'),
      earlyEnd: Delay.describe('Assumption: days from the plan to an accompaniment that ends early.'),
    })
    .describe('Typical delays between steps; the seeds give none.'),
  minutes: z
    .strictObject({ triage: Delay, review: Delay, contact: Delay, planning: Delay, followUp: Delay, partnerCoordination: Delay })
    .describe('Assumption: counsellor minutes logged per activity (same shape as a delay: median, min, max).'),
});
export type Calibration = z.infer<typeof Calibration>;
/** A calibration as written (defaulted fields optional). */
export type CalibrationInput = z.input<typeof Calibration>;

/**
 * Reads a calibration (e.g. from a JSON file).
 * @throws z.ZodError naming each invalid field
 */
export function parseCalibration(input: unknown): Calibration {
  return Calibration.parse(input);
}

const delay = (median: number, min: number, max: number) => ({ median, min, max });

/** The default calibration: the seeds' figures where they exist, the assumptions above elsewhere. */
export const defaultCalibration: Calibration = parseCalibration({
  nationalPeoplePerYear: 80_000,
  targets: { rightsShare: 0.58, careShare: 0.45 },
  fundIds: ['cpam-22'],
  counsellorCasesPerYear: 250,
  weekdayWeights: { monday: 1.2, tuesday: 1.1, wednesday: 1, thursday: 1, friday: 0.8, saturday: 0.05, sunday: 0 },
  paths: { redirectedOnForm: 0.06, redirectedAtTriage: 0.02, declined: 0.06, unreachable: 0.1, consentRefused: 0.04 },
  endings: { personWithdrew: 0.06, consentWithdrawn: 0.02, erasureRequested: 0.005, movedAway: 0.01 },
  mainReason: { 'rights-access': 0.42, 'care-renunciation': 0.38, 'care-renunciation-disability': 0.06, 'digital-fragility': 0.14 },
  secondReasonChance: 0.35,
  careTypes: {
    consultation: 28.0,
    'specialist-acts-and-exams': 49.0 + 6.5,
    'medical-devices': 3.2 + 6.5,
    pharmacy: 6.6,
    surgery: 2,
    other: 2,
  },
  secondCareTypeChance: 0.25,
  renunciationSince: { 'under-3-months': 0.2, '3-to-12-months': 0.35, 'over-1-year': 0.3, 'over-2-years': 0.15 },
  renunciationCauses: {
    'out-of-pocket-cost': 0.4,
    'fee-advance': 0.1,
    rights: 0.15,
    'complex-procedures': 0.12,
    'appointment-delays': 0.08,
    transport: 0.07,
    'refused-by-professional': 0.03,
    other: 0.05,
  },
  extraCauseChance: 0.3,
  detectorKinds: {
    'health-insurance-service': 0.38,
    'health-professional': 0.22,
    'external-partner': 0.28,
    'reaching-out-query': 0.08,
    'the-person': 0.04,
  },
  phoneDetection: 0.35,
  remoteConsentWhenPhone: 0.7,
  nirOnInternalForm: 0.8,
  alreadyStartedChance: 0.15,
  objectsToEvaluation: 0.03,
  ageBands: { '18-25': 0.12, '26-39': 0.22, '40-59': 0.3, '60-69': 0.15, '70-79': 0.13, '80-plus': 0.08 },
  declineReasons: { 'not-relevant': 0.45, duplicate: 0.15, 'already-accompanied': 0.15, 'other-fund': 0.1, 'incomplete-referral': 0.1, other: 0.05 },
  failedAttemptsBeforeReach: [0.6, 0.25, 0.15],
  unreachableClosedByScheduler: 0.4,
  noGpChance: 0.25,
  actionsPerPlan: { min: 1, max: 4 },
  partnerReferralChance: 0.45,
  partners: {
    'back-office': 3,
    'health-check-centre': 3,
    'private-practitioners': 3,
    'care-establishment': 3,
    association: 3,
    'complementary-insurer': 3,
    'caf-france-travail': 3,
    'social-service': 2,
    'departmental-council': 2,
    mediator: 1,
    'sophia-prado': 1,
    'medical-service': 1,
    prevention: 1,
    'multi-professional-practice': 1,
    'health-insurance-health-centre': 1,
    cpts: 1,
    ccas: 1,
    mdph: 1,
    'digital-mediator': 1,
  },
  partnerRefuses: 0.05,
  rightsOpened: {
    c2s: 4.4,
    'c2s-with-contribution': 2.2,
    'basic-cover': 7.3,
    'complementary-cover': 4.8,
    'ass-aid': 9.2,
    'carte-vitale': 4,
    'declared-gp': 4,
    'ameli-account': 3,
    ald: 1.5,
    'disability-recognition': 1,
    other: 1,
  },
  extraRightChance: 0.3,
  propensity: { rightsWhenRightsReason: 1.6, rightsOtherwise: 0.8, careWhenCareGivenUp: 1.8, careOtherwise: 0.4, whenEndedEarly: 0.35 },
  outOfPocketSaved: { chanceWithCare: 0.4, medianCents: 35_000, maxCents: 300_000 },
  closureWithoutOutcome: { 'objectives-partly-met': 0.7, 'handed-over-to-partner': 0.3 },
  delays: {
    receipt: delay(1, 0, 7),
    triage: delay(2, 0, 10),
    review: delay(3, 1, 10),
    firstCall: delay(3, 0, 8),
    retryCall: delay(4, 1, 10),
    plan: delay(5, 0, 20),
    welcomeLetter: delay(2, 0, 7),
    action: delay(25, 3, 90),
    partnerAnswer: delay(12, 2, 45),
    outcome: delay(35, 5, 120),
    closure: delay(7, 1, 30),
    earlyEnd: delay(20, 2, 60),
  },
  minutes: {
    triage: delay(15, 5, 45),
    review: delay(30, 10, 90),
    contact: delay(20, 5, 60),
    planning: delay(45, 15, 120),
    followUp: delay(20, 5, 90),
    partnerCoordination: delay(15, 5, 60),
  },
});
