/**
 * The scenario format as JSON Schema, for editors (`# yaml-language-server: $schema=…`) and for
 * tools that write scenarios. Written to `docs/scenario.schema.json` by `pnpm docs:generate`.
 *
 * It describes the input side (defaulted fields optional). The cross-field rules — steps in time
 * order, actors and funds declared, a case for every step — are checked by the zod schema only.
 */
import { z } from 'zod';
import { dropImpossibleProperties } from '@misas/core';
import { Scenario } from './schema.ts';

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
