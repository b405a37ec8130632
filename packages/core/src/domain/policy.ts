/**
 * A fund's local rules, as configuration rather than code: each CPAM sets its own delays and its
 * own GP-search criteria (seed 003, "ZOOM SUR LA RECHERCHE DE MEDECIN-TRAITANT").
 *
 * Every field has a default, so a fund states only where it differs from the seeds.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { Id } from './id.ts';
import { lineText } from './text.ts';

function atLeastOne(fallback: number, what: string) {
  return z.int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).default(fallback);
}

/** Which situations call for a systematic accompaniment to find a GP where doctors are scarce. */
export const GpSearchCriteriaPolicy = z.strictObject({
  /** "Protocole d'ALD avec échéance à 2 mois"; `null` turns the criterion off. */
  aldProtocolExpiringWithinDays: z
    .int('aldProtocolExpiringWithinDays must be a whole number of days or null')
    .min(0, 'aldProtocolExpiringWithinDays may not be negative')
    .nullable()
    .default(60),
  /** "Assuré avec des soins programmés ou urgence". */
  scheduledOrUrgentCare: z.boolean().default(true),
  /** "Assuré vivant avec un handicap et invalidité". */
  disabilityOrInvalidity: z.boolean().default(true),
  /** "Non bénéficiaire de la CSS" (the C2S), as the seed literally says. */
  notC2sBeneficiary: z.boolean().default(true),
  /** "Dépendance (+ 70 ans)": from this age on, inclusive; `null` turns the criterion off. */
  dependentFromAge: z
    .int('dependentFromAge must be a whole number of years or null')
    .min(0, 'dependentFromAge may not be negative')
    .nullable()
    .default(70),
});
export type GpSearchCriteriaPolicy = z.infer<typeof GpSearchCriteriaPolicy>;

/** The GP-search rule of a fund. */
export const GpSearchPolicy = z.strictObject({
  /** Where doctors are not scarce, every person is helped to find a GP and the criteria do not matter. */
  doctorsScarce: z.boolean().default(true),
  // prefault, not default: a default object would bypass the inner defaults.
  systematicWhen: GpSearchCriteriaPolicy.prefault({}),
});
export type GpSearchPolicy = z.infer<typeof GpSearchPolicy>;

/** A fund's local rules. Parse input with {@link parsePolicy}. */
export const FundPolicy = z.strictObject({
  fundId: Id,
  fundName: lineText(200).optional(),
  /** Failed contact attempts after which a case may be closed as unreachable. */
  unreachableAfterAttempts: atLeastOne(3, 'unreachableAfterAttempts'),
  /** Days from acceptance to the first contact with the person. */
  firstContactWithinDays: atLeastOne(10, 'firstContactWithinDays'),
  /** Days to send the welcome letter after a remote consent is confirmed. */
  welcomeLetterWithinDays: atLeastOne(7, 'welcomeLetterWithinDays'),
  /** Days after closure during which a case may be reopened instead of starting a new one. */
  reopenWithinDays: z
    .int('reopenWithinDays must be a whole number')
    .min(0, 'reopenWithinDays may not be negative')
    .default(90),
  /** The information notice promises the person at most 18 months, so no fund may keep data longer. */
  retentionMonthsAfterClosure: z
    .int('retentionMonthsAfterClosure must be a whole number')
    .min(1, 'retentionMonthsAfterClosure must be at least 1')
    .max(18, 'retentionMonthsAfterClosure may not exceed the 18 months promised by the information notice')
    .default(18),
  /** Days before following up a referral to a partner. */
  partnerFollowUpDays: atLeastOne(30, 'partnerFollowUpDays'),
  /**
   * Days after acceptance after which a person never reached is closed as unreachable by the
   * scheduler, however few attempts were made; `null` leaves it to the attempts threshold alone.
   */
  unreachableAfterDays: z
    .int('unreachableAfterDays must be a whole number of days or null')
    .min(1, 'unreachableAfterDays must be at least 1')
    .nullable()
    .default(45),
  /** Days before the end of an ALD protocol when the counsellor is reminded ("échéance à 2 mois"). */
  aldExpiryReminderDays: z
    .int('aldExpiryReminderDays must be a whole number of days')
    .min(0, 'aldExpiryReminderDays may not be negative')
    .default(60),
  /**
   * Days without contact with the person (a call or message that reached them, an appointment
   * held) after which an open case shows in its counsellor's agenda as "without contact".
   */
  noContactAlertDays: atLeastOne(30, 'noContactAlertDays'),
  gpSearch: GpSearchPolicy.prefault({}),
});
export type FundPolicy = z.infer<typeof FundPolicy>;
/** What a fund writes in its configuration: only `fundId` is required. */
export type FundPolicyInput = z.input<typeof FundPolicy>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads a fund's configuration, filling every missing field, nested ones included, with the
 * seeds' rule.
 *
 * @throws ValidationError (subject "fund policy") naming the dotted path and rule of each invalid field.
 */
export function parsePolicy(input: unknown): FundPolicy {
  const result = FundPolicy.safeParse(input);
  if (!result.success) throw ValidationError.fromZod('fund policy', result.error);
  return result.data;
}

/**
 * The default rules, frozen: the GP-search rule of seed 003 (CPAM des Côtes-d'Armor) and the
 * 18-month retention of the form's notice. The seeds give no delays, so the contact, letter,
 * reopen and follow-up delays are working defaults for a fund to confirm.
 */
export const defaultPolicy: FundPolicy = deepFreeze(parsePolicy({ fundId: 'default' }));
