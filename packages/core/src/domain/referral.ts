/**
 * The national referral form (formulaire de saisine), in its internal and external variants.
 *
 * Both variants have the same fields except the NIR, which only the internal form may carry: the
 * external one refuses it outright rather than silently dropping it, so a partner learns that it
 * must not collect it. Every object is strict so that no field, a NIR included, can slip in under
 * an unknown key.
 *
 * `splitReferral` then cuts a parsed form into what the plain event log may hold and what must
 * go to the encrypted vault.
 */
import { z } from 'zod';
import { BirthDate, BusinessDay, earliestBirthDate } from './business-dates.ts';
import { Nir } from './nir.ts';
import { freeText, lineText } from './text.ts';
import {
  AgeBand,
  CareType,
  DetectionMode,
  DetectorAction,
  DetectorKind,
  ReferralReason,
  RenunciationCause,
  RenunciationDuration,
} from './vocabulary.ts';

const isoDateMessage = 'Expected a calendar date written YYYY-MM-DD';

const IsoDate = z.iso.date({ error: isoDateMessage });

const Name = lineText(100);
const Service = lineText(200);
const FreeText = freeText(2000);

/** Accepts the usual ways of writing a French or international number, never letters or punctuation. */
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ]+$/, 'A phone number holds digits and spaces only, with an optional leading +')
  .refine((value) => {
    const digits = value.replace(/\D/g, '').length;
    return digits >= 10 && digits <= 15;
  }, 'A phone number has 10 to 15 digits');

const Email = z.email('Expected an email address');

function repeatedIndexes<T>(items: readonly T[]): number[] {
  const seen = new Set<T>();
  const repeated: number[] = [];
  items.forEach((item, index) => {
    if (seen.has(item)) repeated.push(index);
    seen.add(item);
  });
  return repeated;
}

/** A list of ticked boxes: ticking the same box twice is a data-entry bug, not a stronger signal. */
function tickedBoxes<T extends z.ZodEnum>(box: T, what: string): z.ZodArray<T> {
  return z
    .array(box)
    .superRefine((items, ctx) => {
      for (const index of repeatedIndexes(items)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `${what} may not list the same value twice` });
      }
    })
    .meta({ uniqueItems: true });
}

const personShape = {
  lastName: Name.meta({ title: 'Nom', description: "The person's last name." }),
  firstName: Name.meta({ title: 'Prénom', description: "The person's first name." }),
  birthDate: BirthDate.meta({ title: 'Date de naissance', description: `Birth date, from ${earliestBirthDate}, not after the referral date.` }),
  phone: Phone.meta({ title: 'Numéro de téléphone', description: 'Digits and spaces, optional leading +, 10 to 15 digits.' }).optional(),
  email: Email.meta({ title: 'Email' }).optional(),
};

/** The person referred, as on the internal form: the only place a NIR may appear. */
export const ReferralPerson = z.strictObject({
  ...personShape,
  nir: Nir.optional(),
});
export type ReferralPerson = z.infer<typeof ReferralPerson>;

const nirRefusedMessage = 'An external referral may not carry a NIR: only the internal form may';

/**
 * The person referred, as on the external form. `nir` is declared only to refuse it with a
 * precise path and message; the JSON Schema leaves it out.
 */
export const ExternalReferralPerson = z.strictObject({
  ...personShape,
  nir: z.never({ error: nirRefusedMessage }).optional(),
});
export type ExternalReferralPerson = z.infer<typeof ExternalReferralPerson>;

/** Who referred the person, and how to reach them for details. */
export const ReferralDetector = z.strictObject({
  kind: DetectorKind.meta({ title: 'Type de détecteur' }),
  name: Name.meta({ title: 'Nom / Prénom du détecteur' }),
  service: Service.meta({ title: 'Service', description: "The detector's service or organisation." }),
  email: Email.meta({ title: 'Email du détecteur' }).optional(),
  phone: Phone.meta({ title: 'Numéro de téléphone du détecteur' }).optional(),
});
export type ReferralDetector = z.infer<typeof ReferralDetector>;

const careRenunciationFactsShape = {
  careTypes: tickedBoxes(CareType, 'careTypes')
    .min(1, 'Tick at least one kind of care given up')
    .meta({ title: 'Quels soins ne sont pas réalisés ?' }),
  since: RenunciationDuration.meta({ title: 'Depuis quand dure le renoncement ?' }),
  causes: tickedBoxes(RenunciationCause, 'causes')
    .min(1, 'Tick at least one cause')
    .meta({ title: 'Quelles en sont les causes ?' }),
};

/** Back of the form, filled in when care is given up. */
export const CareRenunciation = z
  .strictObject({
    ...careRenunciationFactsShape,
    otherDetails: FreeText
      .meta({ title: 'Précisions', description: 'Details for an "other" care type or cause.' })
      .optional(),
  })
  .superRefine((care, ctx) => {
    const otherTicked = care.careTypes.includes('other') || care.causes.includes('other');
    if (care.otherDetails !== undefined && !otherTicked) {
      ctx.addIssue({
        code: 'custom',
        path: ['otherDetails'],
        message: 'otherDetails is allowed only when "other" is ticked in careTypes or causes',
      });
    }
  })
  .meta({ title: 'Renoncement ou difficultés d’accès à des soins', description: 'Required when a care-renunciation reason is ticked.' });
export type CareRenunciation = z.infer<typeof CareRenunciation>;

/** The person's consent: a signature, or, after a remote detection, a confirmation still owed by phone. */
export const ReferralConsent = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('signed'), signedOn: BusinessDay.meta({ title: 'Date de signature' }) }),
    z.strictObject({ kind: z.literal('remote-pending-confirmation') }),
  ])
  .meta({
    title: 'Consentement',
    description: 'Signed by the person, or pending confirmation by phone (phone detection only).',
  });
export type ReferralConsent = z.infer<typeof ReferralConsent>;

const commonShape = {
  referralDate: BusinessDay.meta({ title: 'Date de la saisine', description: 'Not after the day the referral is recorded.' }),
  detectionMode: DetectionMode.meta({ title: 'Modalité de détection' }),
  reasons: tickedBoxes(ReferralReason, 'reasons')
    .min(1, 'Tick at least one reason for the referral')
    .meta({ title: 'Accompagnement santé sollicité dans le cadre', description: 'One or more reasons.' }),
  detector: ReferralDetector.meta({ title: 'Coordonnées du détecteur' }),
  alreadyStarted: tickedBoxes(DetectorAction, 'alreadyStarted')
    .default(() => [])
    .meta({ title: 'Actions déjà engagées par le détecteur' }),
  alreadyStartedOther: FreeText
    .meta({ title: 'Autre action engagée', description: 'Allowed only when "other" is among alreadyStarted.' })
    .optional(),
  careRenunciation: CareRenunciation.optional(),
  consent: ReferralConsent,
  objectsToEvaluation: z
    .boolean()
    .default(false)
    .meta({ title: 'Opposition à l’évaluation', description: 'The person objects to their data being passed on for evaluation.' }),
  comments: FreeText.meta({ title: 'Commentaires' }).optional(),
};

interface CrossFieldView {
  referralDate: string;
  detectionMode: DetectionMode;
  reasons: readonly ReferralReason[];
  person: { birthDate: string };
  alreadyStarted: readonly DetectorAction[];
  alreadyStartedOther?: string | undefined;
  careRenunciation?: unknown;
  consent: ReferralConsent;
}

const careRenunciationReasons: readonly ReferralReason[] = ['care-renunciation', 'care-renunciation-disability'];

/** The rules that tie fields together, one row each, so that each failure has its own path and wording. */
const crossFieldRules: ReadonlyArray<{ rule: string; path: string[]; message: string; isBroken: (form: CrossFieldView) => boolean }> = [
  {
    rule: 'birth-date-after-referral',
    path: ['person', 'birthDate'],
    message: 'The birth date may not be after the referral date',
    isBroken: (form) => form.person.birthDate > form.referralDate,
  },
  {
    rule: 'already-started-other-needs-other',
    path: ['alreadyStartedOther'],
    message: 'alreadyStartedOther is allowed only when "other" is among alreadyStarted',
    isBroken: (form) => form.alreadyStartedOther !== undefined && !form.alreadyStarted.includes('other'),
  },
  {
    rule: 'care-renunciation-required',
    path: ['careRenunciation'],
    message: 'careRenunciation (back of the form) is required when a care-renunciation reason is ticked',
    isBroken: (form) =>
      form.careRenunciation === undefined && form.reasons.some((reason) => careRenunciationReasons.includes(reason)),
  },
  {
    rule: 'pending-consent-needs-phone',
    path: ['consent', 'kind'],
    message: 'Consent may be left pending confirmation only when detection was by phone; otherwise the person signs',
    isBroken: (form) => form.consent.kind === 'remote-pending-confirmation' && form.detectionMode !== 'phone',
  },
];

function checkCrossFieldRules(form: CrossFieldView, ctx: z.RefinementCtx<CrossFieldView>): void {
  for (const rule of crossFieldRules) {
    if (rule.isBroken(form)) ctx.addIssue({ code: 'custom', path: rule.path, message: rule.message, params: { rule: rule.rule } });
  }
}

/** The referral form filled in by a health-insurance service: may carry the person's NIR. */
export const InternalReferralForm = z
  .strictObject({
    variant: z.literal('internal').meta({ title: 'Formulaire interne' }),
    ...commonShape,
    person: ReferralPerson.meta({ title: 'Coordonnées de l’assuré(e)' }),
  })
  .superRefine(checkCrossFieldRules)
  .meta({ title: 'Formulaire de saisine interne', description: 'Referral by a health-insurance service; may carry the NIR.' });
export type InternalReferralForm = z.infer<typeof InternalReferralForm>;

/** The referral form filled in by a partner or a health professional: never carries a NIR. */
export const ExternalReferralForm = z
  .strictObject({
    variant: z.literal('external').meta({ title: 'Formulaire externe' }),
    ...commonShape,
    person: ExternalReferralPerson.meta({ title: 'Coordonnées de l’assuré(e)' }),
  })
  .superRefine(checkCrossFieldRules)
  .meta({ title: 'Formulaire de saisine externe', description: 'Referral by a partner or health professional; never carries a NIR.' });
export type ExternalReferralForm = z.infer<typeof ExternalReferralForm>;

/** Either variant of the national referral form, told apart by `variant`. */
export const ReferralForm = z
  .discriminatedUnion('variant', [InternalReferralForm, ExternalReferralForm])
  .meta({ title: 'Formulaire de saisine MISAS', description: 'National referral form to the Mission accompagnement santé.' });
export type ReferralForm = z.infer<typeof ReferralForm>;
/** What a front end or a command sends before defaults are applied. */
export type ReferralFormInput = z.input<typeof ReferralForm>;

/** The part of a referral that the plain event log may hold: no name, contact, NIR, birth date or free text. */
export const ReferralFacts = z.strictObject({
  variant: z.enum(['internal', 'external']),
  referralDate: BusinessDay,
  detectionMode: DetectionMode,
  reasons: z.array(ReferralReason).min(1),
  detector: z.strictObject({ kind: DetectorKind, service: Service }),
  alreadyStarted: z.array(DetectorAction),
  careRenunciation: z.strictObject(careRenunciationFactsShape).optional(),
  consent: ReferralConsent,
  objectsToEvaluation: z.boolean(),
  hasNir: z.boolean(),
  ageBand: AgeBand,
});
export type ReferralFacts = z.infer<typeof ReferralFacts>;

/** The personal part of a referral, bound for the encrypted vault and erased at the end of retention. */
export const ReferralPersonalData = z.strictObject({
  person: ReferralPerson,
  detectorContact: z.strictObject({
    name: Name,
    email: Email.optional(),
    phone: Phone.optional(),
  }),
  alreadyStartedOther: FreeText.optional(),
  careOtherDetails: FreeText.optional(),
  comments: FreeText.optional(),
});
export type ReferralPersonalData = z.infer<typeof ReferralPersonalData>;

const isoDateShape = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateParts(isoDateValue: string): [number, number, number] {
  const match = isoDateShape.exec(isoDateValue);
  if (match === null || !IsoDate.safeParse(isoDateValue).success) {
    // The value may be a birth date: say what is expected, never what was given.
    throw new RangeError(isoDateMessage);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Age in whole years on a given day: the birthday itself counts, the day before does not.
 * Someone born on 29 February turns a year older on 1 March in common years.
 *
 * @throws RangeError when a date is not YYYY-MM-DD or `onDate` is before `birthDate`.
 */
export function ageAt(birthDate: string, onDate: string): number {
  const [birthYear, birthMonth, birthDay] = dateParts(birthDate);
  const [year, month, day] = dateParts(onDate);
  if (onDate < birthDate) throw new RangeError('The date to compute an age on is before the birth date');
  const birthdayPassed = month > birthMonth || (month === birthMonth && day >= birthDay);
  return year - birthYear - (birthdayPassed ? 0 : 1);
}

/** Lower bound of each band, oldest first, so the first bound not above the age wins. */
const ageBandFloors: ReadonlyArray<readonly [number, AgeBand]> = [
  [80, '80-plus'],
  [70, '70-79'],
  [60, '60-69'],
  [40, '40-59'],
  [26, '26-39'],
  [18, '18-25'],
  [0, 'under-18'],
];

/**
 * The age band on a given day, kept in the log instead of the birth date.
 *
 * @throws RangeError as {@link ageAt}.
 */
export function ageBandAt(birthDate: string, onDate: string): AgeBand {
  const age = ageAt(birthDate, onDate);
  const band = ageBandFloors.find(([floor]) => age >= floor);
  // Unreachable: ageAt never returns a negative age and the last floor is 0.
  if (band === undefined) throw new RangeError('No age band for a negative age');
  return band[1];
}

/**
 * Separates a parsed referral into loggable facts and personal data.
 *
 * The facts keep what statistics and rules need (the age band instead of the birth date, whether
 * a NIR was given instead of the NIR); everything that identifies or describes the person in
 * free words goes to the personal part. Arrays are copied so that the two halves share nothing
 * with the form.
 */
export function splitReferral(form: ReferralForm): { facts: ReferralFacts; personal: ReferralPersonalData } {
  const { person, detector, careRenunciation } = form;
  const facts: ReferralFacts = {
    variant: form.variant,
    referralDate: form.referralDate,
    detectionMode: form.detectionMode,
    reasons: [...form.reasons],
    detector: { kind: detector.kind, service: detector.service },
    alreadyStarted: [...form.alreadyStarted],
    ...(careRenunciation !== undefined && {
      careRenunciation: {
        careTypes: [...careRenunciation.careTypes],
        since: careRenunciation.since,
        causes: [...careRenunciation.causes],
      },
    }),
    consent: { ...form.consent },
    objectsToEvaluation: form.objectsToEvaluation,
    hasNir: person.nir !== undefined,
    ageBand: ageBandAt(person.birthDate, form.referralDate),
  };
  const personal: ReferralPersonalData = {
    person: {
      lastName: person.lastName,
      firstName: person.firstName,
      birthDate: person.birthDate,
      ...(person.phone !== undefined && { phone: person.phone }),
      ...(person.email !== undefined && { email: person.email }),
      ...(person.nir !== undefined && { nir: person.nir }),
    },
    detectorContact: {
      name: detector.name,
      ...(detector.email !== undefined && { email: detector.email }),
      ...(detector.phone !== undefined && { phone: detector.phone }),
    },
    ...(form.alreadyStartedOther !== undefined && { alreadyStartedOther: form.alreadyStartedOther }),
    ...(careRenunciation?.otherDetails !== undefined && { careOtherDetails: careRenunciation.otherDetails }),
    ...(form.comments !== undefined && { comments: form.comments }),
  };
  return { facts, personal };
}
