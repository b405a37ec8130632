/**
 * The scenario format as JSON Schema, for editors (`# yaml-language-server: $schema=…`) and for
 * tools that write scenarios. Written to `docs/scenario.schema.json` by `pnpm docs:generate`.
 *
 * It describes the input side (defaulted fields optional). The cross-field rules — steps in time
 * order, actors and funds declared, a case for every step — are checked by the zod schema only.
 */
import { z } from 'zod';
import { Scenario } from './schema.ts';

/** How zod renders a schema that accepts no value (`z.never()`). */
function acceptsNothing(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const not: unknown = Reflect.get(schema, 'not');
  return typeof not === 'object' && not !== null && Object.keys(not).length === 0;
}

/** Drops properties no value satisfies (the external form's `nir`, there only to refuse it with a clear message). */
function dropImpossibleProperties(jsonSchema: Record<string, unknown>): void {
  const properties = jsonSchema['properties'];
  if (typeof properties !== 'object' || properties === null) return;
  for (const [key, value] of Object.entries(properties)) {
    if (acceptsNothing(value)) Reflect.deleteProperty(properties, key);
  }
}

/** The JSON Schema (draft 2020-12) of a scenario file. A fresh object at each call. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Scenario, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    // The step fields and the vocabularies repeat in each of the 30 step variants: define them once.
    reused: 'ref',
    override: ({ jsonSchema }) => dropImpossibleProperties(jsonSchema),
  });
  return { ...schema, title: 'misas scenario', description: 'A case timeline played by `misas run`: see docs/scenarios.md.' };
}
