/**
 * Detection aids (seed 003, "LES OUTILS – REPÉRAGE DE LA FRAGILITÉ") and the local GP-search rule
 * ("ZOOM SUR LA RECHERCHE DE MEDECIN-TRAITANT").
 *
 * Both only suggest: the detector decides whether to refer, and the counsellor decides the plan.
 * The mappings are data tables so that a reviewer can read and change them without tracing code.
 */
import { z } from 'zod';
import { BusinessDay } from './business-dates.ts';
import { addDays } from './calendar.ts';
import type { FundPolicy, GpSearchPolicy } from './policy.ts';
import { ReferralReason } from './vocabulary.ts';

/** "De quand date votre dernière visite chez un professionnel de santé ?" */
export const LastHealthVisit = z.enum(['under-1-year', '1-to-2-years', 'over-2-years', 'never', 'unknown']);
export type LastHealthVisit = z.infer<typeof LastHealthVisit>;

/** The four opening questions a detector asks to start the conversation. */
export const OpeningAnswers = z.strictObject({
  hasCarteVitale: z.boolean(),
  hasDeclaredGp: z.boolean(),
  hasComplementaryCover: z.boolean(),
  lastHealthVisit: LastHealthVisit,
});
export type OpeningAnswers = z.infer<typeof OpeningAnswers>;

/** The four groups of the fragility grid. */
export const FragilityGroup = z.enum(['administrative', 'observed', 'isolation', 'relation-to-care']);
export type FragilityGroup = z.infer<typeof FragilityGroup>;

/** Every signal of the fragility grid, in the grid's order. */
export const FragilitySignal = z.enum([
  // La situation administrative
  'no-carte-vitale',
  'no-complementary-cover',
  'no-gp',
  'complex-procedures-or-unknown-rights',
  // En observant les signes de fragilité
  'does-not-master-french',
  'money-trouble',
  'possible-disability',
  'online-procedures-trouble',
  'withdrawn-or-angry',
  'non-verbal-signs',
  // La situation d'isolement
  'mobility-problems',
  'no-relatives',
  // Le rapport aux soins
  'no-recent-consultation',
  'fear-of-results',
  'hard-to-adopt-healthy-habits',
]);
export type FragilitySignal = z.infer<typeof FragilitySignal>;

/** The group each signal belongs to on the grid. */
export const fragilityGroupOf: Readonly<Record<FragilitySignal, FragilityGroup>> = {
  'no-carte-vitale': 'administrative',
  'no-complementary-cover': 'administrative',
  'no-gp': 'administrative',
  'complex-procedures-or-unknown-rights': 'administrative',
  'does-not-master-french': 'observed',
  'money-trouble': 'observed',
  'possible-disability': 'observed',
  'online-procedures-trouble': 'observed',
  'withdrawn-or-angry': 'observed',
  'non-verbal-signs': 'observed',
  'mobility-problems': 'isolation',
  'no-relatives': 'isolation',
  'no-recent-consultation': 'relation-to-care',
  'fear-of-results': 'relation-to-care',
  'hard-to-adopt-healthy-habits': 'relation-to-care',
};

/** The signal a "no" to each yes/no opening question reveals. */
const missingItemSignals: ReadonlyArray<readonly [Exclude<keyof OpeningAnswers, 'lastHealthVisit'>, FragilitySignal]> = [
  ['hasCarteVitale', 'no-carte-vitale'],
  ['hasDeclaredGp', 'no-gp'],
  ['hasComplementaryCover', 'no-complementary-cover'],
];

/**
 * The signal the last visit to a health professional reveals. A visit one to two years ago is
 * common for people in good health, so only a longer gap (or none ever) counts as "no recent
 * consultation"; an unknown answer proves nothing.
 */
const lastVisitSignals: Readonly<Record<LastHealthVisit, FragilitySignal | null>> = {
  'under-1-year': null,
  '1-to-2-years': null,
  'over-2-years': 'no-recent-consultation',
  never: 'no-recent-consultation',
  unknown: null,
};

/**
 * The referral reasons each signal points to on its own.
 *
 * - Administrative gaps are rights to open (the form's "rights" cause names GP, cover and ALD).
 * - A language barrier mostly blocks procedures, hence rights access.
 * - Money trouble both leaves rights unclaimed (C2S, ASS aid) and makes people give up care.
 * - Possible disability has its own care-renunciation reason on the form.
 * - Trouble with online procedures is the form's digital fragility.
 * - Non-verbal signs (hand over the mouth, broken glasses, hearing trouble) betray dental,
 *   optical or hearing care given up.
 * - Mobility problems and the whole relation-to-care group (no recent consultation, fear of the
 *   results) are care given up or put off.
 * - A withdrawn or angry attitude, having no relatives to rely on, and unhealthy habits point to
 *   no reason by themselves: they are cues to ask the opening questions. Healthy habits belong to
 *   prevention, which the form has no reason for.
 */
export const signalReasons: Readonly<Record<FragilitySignal, readonly ReferralReason[]>> = {
  'no-carte-vitale': ['rights-access'],
  'no-complementary-cover': ['rights-access'],
  'no-gp': ['rights-access'],
  'complex-procedures-or-unknown-rights': ['rights-access'],
  'does-not-master-french': ['rights-access'],
  'money-trouble': ['rights-access', 'care-renunciation'],
  'possible-disability': ['care-renunciation-disability'],
  'online-procedures-trouble': ['digital-fragility'],
  'withdrawn-or-angry': [],
  'non-verbal-signs': ['care-renunciation'],
  'mobility-problems': ['care-renunciation'],
  'no-relatives': [],
  'no-recent-consultation': ['care-renunciation'],
  'fear-of-results': ['care-renunciation'],
  'hard-to-adopt-healthy-habits': [],
};

/**
 * Reasons that only a combination of signals points to. Money trouble with nobody to rely on is
 * the grid's picture of a complex social situation ("entourage de personnes vivant dans la
 * précarité"), which goes to the social service rather than to an accompaniment.
 */
export const combinedSignalReasons: ReadonlyArray<{ readonly signals: readonly FragilitySignal[]; readonly reason: ReferralReason }> = [
  { signals: ['no-relatives', 'money-trouble'], reason: 'complex-social-situation' },
];

/** What a detector knows: the opening answers, the signals noticed, or both. */
export const ScreeningInput = z.strictObject({
  answers: OpeningAnswers.optional(),
  signals: z.array(FragilitySignal).optional(),
});
export type ScreeningInput = z.infer<typeof ScreeningInput>;

/** One reason suggested by one signal, or by a signal together with others (`combinedWith`). */
export const ScreeningTrigger = z.strictObject({
  signal: FragilitySignal,
  group: FragilityGroup,
  reason: ReferralReason,
  combinedWith: z.array(FragilitySignal).optional(),
});
export type ScreeningTrigger = z.infer<typeof ScreeningTrigger>;

/** The outcome of a screening. */
export const ScreeningResult = z.strictObject({
  suggestReferral: z.boolean(),
  /** Deduplicated, in the order of the form. */
  suggestedReasons: z.array(ReferralReason),
  /** In the grid's order, combinations last. */
  triggers: z.array(ScreeningTrigger),
  /** Signals noticed that suggest no reason by themselves: worth a question, not a referral. */
  cues: z.array(FragilitySignal),
});
export type ScreeningResult = z.infer<typeof ScreeningResult>;

/** The administrative and relation-to-care signals the opening answers reveal, in the grid's order. */
export function signalsFromAnswers(answers: OpeningAnswers): FragilitySignal[] {
  const found = new Set<FragilitySignal>();
  for (const [question, signal] of missingItemSignals) if (!answers[question]) found.add(signal);
  const lastVisit = lastVisitSignals[answers.lastHealthVisit];
  if (lastVisit !== null) found.add(lastVisit);
  return FragilitySignal.options.filter((signal) => found.has(signal));
}

/**
 * Suggests whether to refer, and for which reasons, from the opening answers and the signals
 * noticed. The result does not depend on the order or repetition of the input signals.
 */
export function screen(input: ScreeningInput): ScreeningResult {
  const noticed = new Set<FragilitySignal>([
    ...(input.answers === undefined ? [] : signalsFromAnswers(input.answers)),
    ...(input.signals ?? []),
  ]);
  const signals = FragilitySignal.options.filter((signal) => noticed.has(signal));

  const triggers: ScreeningTrigger[] = signals.flatMap((signal) =>
    signalReasons[signal].map((reason) => ({ signal, group: fragilityGroupOf[signal], reason })),
  );
  for (const { signals: together, reason } of combinedSignalReasons) {
    const [first, ...others] = together;
    if (first === undefined || !together.every((signal) => noticed.has(signal))) continue;
    triggers.push({ signal: first, group: fragilityGroupOf[first], reason, combinedWith: others });
  }

  const explained = new Set(triggers.flatMap((trigger) => [trigger.signal, ...(trigger.combinedWith ?? [])]));
  return {
    suggestReferral: triggers.length > 0,
    suggestedReasons: ReferralReason.options.filter((reason) => triggers.some((trigger) => trigger.reason === reason)),
    triggers,
    cues: signals.filter((signal) => !explained.has(signal)),
  };
}

/** Why a systematic accompaniment to find a GP is offered. */
export const GpCriterion = z.enum([
  'ald-protocol-expiring',
  'scheduled-or-urgent-care',
  'disability-or-invalidity',
  'not-c2s-beneficiary',
  'dependent-elderly',
  'doctors-not-scarce',
]);
export type GpCriterion = z.infer<typeof GpCriterion>;

/** What the counsellor knows of a person without a GP, for the GP-search rule. */
export const GpSearchProfile = z.strictObject({
  /** End of the long-term-illness (ALD) protocol, when there is one. */
  aldProtocolExpiresOn: BusinessDay.optional(),
  hasScheduledOrUrgentCare: z.boolean(),
  livesWithDisabilityOrInvalidity: z.boolean(),
  isC2sBeneficiary: z.boolean(),
  isDependent: z.boolean(),
  age: z.int().min(0).max(130),
});
export type GpSearchProfile = z.infer<typeof GpSearchProfile>;

/**
 * Either a systematic accompaniment, with the criteria that called for it, or a placeholder GP
 * number on file (so reimbursements are not cut) and a letter to the person.
 */
export const GpSearchDecision = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('systematic-accompaniment'), criteriaMet: z.array(GpCriterion).min(1) }),
  z.strictObject({ decision: z.literal('placeholder-gp-and-letter'), criteriaMet: z.tuple([]) }),
]);
export type GpSearchDecision = z.infer<typeof GpSearchDecision>;

/** Each criterion, and whether it holds; a criterion the policy turns off (false or null) never holds. */
const gpCriteria: Readonly<Record<GpCriterion, (profile: GpSearchProfile, rule: GpSearchPolicy, today: string) => boolean>> = {
  'ald-protocol-expiring': ({ aldProtocolExpiresOn: expiresOn }, { systematicWhen: { aldProtocolExpiringWithinDays: days } }, today) =>
    days !== null && expiresOn !== undefined && expiresOn >= today && expiresOn <= addDays(today, days),
  'scheduled-or-urgent-care': (profile, rule) => rule.systematicWhen.scheduledOrUrgentCare && profile.hasScheduledOrUrgentCare,
  'disability-or-invalidity': (profile, rule) =>
    rule.systematicWhen.disabilityOrInvalidity && profile.livesWithDisabilityOrInvalidity,
  'not-c2s-beneficiary': (profile, rule) => rule.systematicWhen.notC2sBeneficiary && !profile.isC2sBeneficiary,
  'dependent-elderly': (profile, { systematicWhen: { dependentFromAge } }) =>
    dependentFromAge !== null && profile.isDependent && profile.age >= dependentFromAge,
  'doctors-not-scarce': (_profile, rule) => !rule.doctorsScarce,
};

/**
 * Applies the fund's GP-search rule to a person.
 *
 * Where doctors are not scarce every person is accompanied ('doctors-not-scarce'); otherwise only
 * those meeting an enabled criterion are. All criteria met are listed, for statistics.
 *
 * @param today - the day of the assessment (YYYY-MM-DD); the ALD window runs from it, both ends included.
 * @throws RangeError when `today` is not an ISO date.
 */
export function gpSearchDecision(profile: GpSearchProfile, policy: FundPolicy, today: string): GpSearchDecision {
  if (!z.iso.date().safeParse(today).success) throw new RangeError('today must be a calendar date written YYYY-MM-DD');
  const criteriaMet = GpCriterion.options.filter((criterion) => gpCriteria[criterion](profile, policy.gpSearch, today));
  return criteriaMet.length === 0
    ? { decision: 'placeholder-gp-and-letter', criteriaMet: [] }
    : { decision: 'systematic-accompaniment', criteriaMet };
}
