/**
 * The French social-security number (NIR, "numéro de sécurité sociale").
 *
 * The NIR identifies a person for life, so it is personal data of the most sensitive kind: no
 * function here ever puts the value, or any part of it, into an error message. Callers must not
 * parse with zod's `reportInput: true` either, which would copy raw inputs into the issues.
 */
import { z } from 'zod';

/** Which rule of the NIR a value breaks, in the order the rules are checked. */
export const NirRule = z.enum(['length', 'first-digit', 'characters', 'key']);
export type NirRule = z.infer<typeof NirRule>;

/** Messages name the rule and never the value. */
const ruleMessages: Readonly<Record<NirRule, string>> = {
  length: 'A NIR has 15 characters once spaces are removed: a 13-character number and a 2-digit key',
  'first-digit': 'A NIR starts with 1, 2, 3, 4, 7 or 8',
  characters: 'A NIR holds digits only, except "2A" or "2B" as the department (characters 6-7) for Corsica',
  key: 'The NIR key does not match: it must equal 97 minus the number modulo 97',
};

/** Stands in for the raw value in issues, should a caller turn `reportInput` on. */
const redacted = '[redacted NIR]';

// Departments 2A and 2B replace the old 20; the key is still computed on the pre-1976 figures.
const corsicaDigits: Readonly<Record<string, string>> = { '2A': '19', '2B': '18' };

const shape = /^[123478]\d{4}(?:\d{2}|2[AB])\d{8}$/;

/** Removes every space (people copy the number in groups) and uppercases the Corsican letters. */
export function normalizeNir(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/**
 * The first rule a NIR breaks, or `null` when it is valid.
 *
 * @param raw - the NIR as typed; it is normalised first.
 */
export function nirProblem(raw: string): NirRule | null {
  const nir = normalizeNir(raw);
  if (nir.length !== 15) return 'length';
  if (!'123478'.includes(nir.charAt(0))) return 'first-digit';
  if (!shape.test(nir)) return 'characters';
  return keyMatches(nir) ? null : 'key';
}

/** The human-readable statement of a NIR rule, safe to show and to log. */
export function nirRuleMessage(rule: NirRule): string {
  return ruleMessages[rule];
}

// Expects a normalised value of the right shape. BigInt keeps the modulo exact without having to argue about 2^53.
function keyMatches(nir: string): boolean {
  const department = nir.slice(5, 7);
  const number = nir.slice(0, 5) + (corsicaDigits[department] ?? department) + nir.slice(7, 13);
  const expected = 97n - (BigInt(number) % 97n);
  return BigInt(nir.slice(13)) === expected;
}

/**
 * Whether the 2-digit key of a NIR matches its 13-character number.
 *
 * Returns `false` as well when the value does not even have the shape of a NIR, since no key can
 * then be checked.
 */
export function nirKeyIsValid(raw: string): boolean {
  const nir = normalizeNir(raw);
  return shape.test(nir) && keyMatches(nir);
}

/** Whether a value is a valid NIR (every rule, key included). */
export function isValidNir(raw: string): boolean {
  return nirProblem(raw) === null;
}

/**
 * A NIR as zod schema: takes the number as typed, returns it normalised (no spaces, uppercase).
 *
 * A failure carries one issue naming the broken rule; the value is never echoed.
 */
export const Nir = z
  .string({ error: 'A NIR must be a string' })
  .overwrite(normalizeNir)
  .superRefine((nir, ctx) => {
    const rule = nirProblem(nir);
    if (rule !== null) ctx.addIssue({ code: 'custom', message: ruleMessages[rule], input: redacted, params: { rule } });
  })
  .meta({
    title: 'NIR',
    description: 'French social-security number: 13 characters and a 2-digit key, spaces allowed.',
  });
export type Nir = z.infer<typeof Nir>;
