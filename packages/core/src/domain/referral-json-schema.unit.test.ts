import { describe, expect, it } from 'vitest';
import { referralFormJsonSchema } from './referral-json-schema.ts';
import {
  CareType,
  DetectionMode,
  DetectorAction,
  DetectorKind,
  ReferralReason,
  RenunciationCause,
  RenunciationDuration,
} from './vocabulary.ts';

type Json = Record<string, unknown>;

function objectAt(value: unknown, ...path: string[]): Json {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) throw new Error(`no object at ${path.join('.')}`);
    current = Reflect.get(current, key);
  }
  if (typeof current !== 'object' || current === null) throw new Error(`no object at ${path.join('.')}`);
  return current as Json;
}

function variants(schema: Json): Json[] {
  const list = schema['oneOf'] ?? schema['anyOf'];
  if (!Array.isArray(list)) throw new Error('expected a oneOf or anyOf');
  return list as Json[];
}

function variantNamed(schema: Json, variant: string): Json {
  const found = variants(schema).find((option) => objectAt(option, 'properties', 'variant')['const'] === variant);
  if (found === undefined) throw new Error(`no ${variant} variant`);
  return found;
}

describe('referralFormJsonSchema', () => {
  const schema = referralFormJsonSchema();

  it('given the form, when rendered, then it is a draft 2020-12 JSON Schema with two variants', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(variants(schema)).toHaveLength(2);
    expect(variantNamed(schema, 'internal')['additionalProperties']).toBe(false);
    expect(variantNamed(schema, 'external')['additionalProperties']).toBe(false);
  });

  it('given the two variants, when rendered, then only the internal person offers a nir', () => {
    const internalPerson = objectAt(variantNamed(schema, 'internal'), 'properties', 'person');
    const externalPerson = objectAt(variantNamed(schema, 'external'), 'properties', 'person');

    expect(objectAt(internalPerson, 'properties')).toHaveProperty('nir');
    expect(objectAt(externalPerson, 'properties')).not.toHaveProperty('nir');
    expect(externalPerson['additionalProperties']).toBe(false);
  });

  it('given the input side, when rendered, then defaulted fields are optional and fixed fields required', () => {
    const required = variantNamed(schema, 'external')['required'];

    expect(required).toEqual(expect.arrayContaining(['variant', 'referralDate', 'detectionMode', 'reasons', 'person', 'detector', 'consent']));
    expect(required).not.toContain('alreadyStarted');
    expect(required).not.toContain('objectsToEvaluation');
  });

  it('given the enums, when rendered, then they list exactly the vocabulary values', () => {
    const internal = objectAt(variantNamed(schema, 'internal'), 'properties');
    const care = objectAt(internal, 'careRenunciation', 'properties');

    expect(objectAt(internal, 'detectionMode')['enum']).toEqual(DetectionMode.options);
    expect(objectAt(internal, 'reasons', 'items')['enum']).toEqual(ReferralReason.options);
    expect(objectAt(internal, 'detector', 'properties', 'kind')['enum']).toEqual(DetectorKind.options);
    expect(objectAt(internal, 'alreadyStarted', 'items')['enum']).toEqual(DetectorAction.options);
    expect(objectAt(care, 'careTypes', 'items')['enum']).toEqual(CareType.options);
    expect(objectAt(care, 'since')['enum']).toEqual(RenunciationDuration.options);
    expect(objectAt(care, 'causes', 'items')['enum']).toEqual(RenunciationCause.options);
  });

  it('given the main fields, when rendered, then they carry the French titles of the paper form', () => {
    const internal = objectAt(variantNamed(schema, 'internal'), 'properties');

    expect(objectAt(internal, 'referralDate')['title']).toBe('Date de la saisine');
    expect(objectAt(internal, 'person', 'properties', 'nir')['title']).toBe('NIR');
    expect(objectAt(internal, 'reasons')['uniqueItems']).toBe(true);
    expect(typeof schema['title']).toBe('string');
  });

  it('given two calls, when one result is mutated, then the other is untouched', () => {
    const first = referralFormJsonSchema();
    first['title'] = 'changed';

    expect(referralFormJsonSchema()['title']).not.toBe('changed');
  });
});
