/**
 * The referral form as JSON Schema, for front ends that build or pre-validate the form.
 *
 * The schema describes the input side (defaulted fields are optional). It cannot express the
 * cross-field rules (care renunciation required by its reasons, remote consent only after a phone
 * detection, …): the server-side parse with `ReferralForm` stays the authority.
 */
import { z } from 'zod';
import { ReferralForm } from './referral.ts';

/** How zod renders a schema that accepts no value (`z.never()`). */
function acceptsNothing(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const not: unknown = Reflect.get(schema, 'not');
  return typeof not === 'object' && not !== null && Object.keys(not).length === 0;
}

/**
 * Drops the properties no value can satisfy, such as the external form's `nir`, which exists in
 * the zod schema only to refuse a NIR with a precise message: a front end should not see the
 * field at all, and `additionalProperties: false` already refuses it. Pass it as the `override`
 * of `z.toJSONSchema` for any schema that embeds the referral form.
 */
export function dropImpossibleProperties(jsonSchema: Record<string, unknown>): void {
  const properties = jsonSchema['properties'];
  if (typeof properties !== 'object' || properties === null) return;
  for (const [key, value] of Object.entries(properties)) {
    if (acceptsNothing(value)) Reflect.deleteProperty(properties, key);
  }
}

/**
 * The JSON Schema (draft 2020-12) of the referral form, both variants as a `oneOf` on `variant`.
 *
 * Titles are the French labels of the paper form; descriptions state the rules in English.
 * A fresh object is returned at each call, so a caller may annotate it freely.
 */
export function referralFormJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ReferralForm, {
    io: 'input',
    target: 'draft-2020-12',
    override: ({ jsonSchema }) => dropImpossibleProperties(jsonSchema),
  });
}
