/**
 * Finding a person's cases for a rights request: on the data as it stands, whatever the case and
 * accents of the spelling, within the asker's fund, never an erased person, and never echoing a
 * NIR in an error.
 */
import { defaultPolicies, ValidationError } from '@misas/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../context.ts';
import { comparableName, findPersonCases } from './find-person.ts';
import { dpo, fund, nirOfAlex, otherFund, rightsWorld, type RightsWorld } from './testing/rights-world.ts';

let world: RightsWorld;
beforeAll(async () => {
  world = await rightsWorld();
});

const dpoOf29 = { role: 'data-protection-officer', id: 'dpo-29', fundId: otherFund } as const;

describe('comparableName', () => {
  it('given names spelt with other cases, accents and spaces, when compared, then they are the same', () => {
    expect(comparableName('  HÉLÈNE   Lefèvre ')).toBe(comparableName('helene lefevre'));
    expect(comparableName('Çédric Ñúñez')).toBe('cedric nunez');
  });
});

describe('finding a person', () => {
  it('given Hélène Lefèvre in the fund, when the officer types "  LEFEVRE " and "helene", then her case is found', async () => {
    const found = await world.misas.as(dpo).findPerson({ kind: 'identity', lastName: '  LEFEVRE ', firstName: 'helene', birthDate: '1960-03-03' });
    expect(found).toEqual(['case-2']);
  });

  it('given the same name with another birth date, when searched, then nothing is found', async () => {
    const found = await world.misas.as(dpo).findPerson({ kind: 'identity', lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1960-03-04' });
    expect(found).toEqual([]);
  });

  it('given a NIR typed in groups, when searched, then the case carrying it is found', async () => {
    const spaced = `${nirOfAlex.slice(0, 1)} ${nirOfAlex.slice(1, 3)} ${nirOfAlex.slice(3, 5)} ${nirOfAlex.slice(5, 7)} ${nirOfAlex.slice(7, 10)} ${nirOfAlex.slice(10, 13)} ${nirOfAlex.slice(13)}`;
    expect(await world.misas.as(dpo).findPerson({ kind: 'nir', nir: spaced })).toEqual(['case-1']);
  });

  it('given a rectified last name, when searched, then the current name finds the case and the name as filed does not', async () => {
    const session = world.misas.as(dpo);
    expect(await session.findPerson({ kind: 'identity', lastName: 'martin-leroy', firstName: 'ALEX', birthDate: '1989-04-12' })).toEqual(['case-1']);
    expect(await session.findPerson({ kind: 'identity', lastName: 'Martin', firstName: 'Alex', birthDate: '1989-04-12' })).toEqual([]);
  });

  it('given a person known in another fund only, when each fund searches, then only that fund finds them', async () => {
    const alex = { kind: 'identity', lastName: 'Martin', firstName: 'Alex', birthDate: '1989-04-12' } as const;
    expect(await world.misas.as(dpo).findPerson(alex)).toEqual([]);
    expect(await world.misas.as(dpoOf29).findPerson(alex)).toEqual(['case-3']);
    expect(await world.misas.as(dpoOf29).findPerson({ kind: 'nir', nir: nirOfAlex })).toEqual([]);
  });

  it('given a person who asked for erasure, when searched, then they are not found', async () => {
    expect(await world.misas.as(dpo).findPerson({ kind: 'identity', lastName: 'Roux', firstName: 'Paul', birthDate: '1950-01-01' })).toEqual([]);
  });

  it('given a NIR with a wrong key, when searched, then a ValidationError names `nir` and never the value', async () => {
    const wrongKey = `${nirOfAlex.slice(0, 13)}00`;
    const error: unknown = await world.misas.as(dpo).findPerson({ kind: 'nir', nir: wrongKey }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    if (!(error instanceof ValidationError)) return;
    expect(error.subject).toBe('identity');
    expect(error.issues.map((issue) => issue.path)).toEqual(['nir']);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain(wrongKey);
    expect(error.message).not.toContain(nirOfAlex.slice(0, 13));
  });

  it('given an identity without a birth date, when searched, then a ValidationError names the missing field', async () => {
    const context = handMadeContext();
    await expect(findPersonCases(context, fund, { kind: 'identity', lastName: 'Martin', firstName: 'Alex', birthDate: '12/04/1989' })).rejects.toMatchObject({
      subject: 'identity',
      issues: [{ path: 'birthDate' }],
    });
  });

  it('given a context built by hand, when the function is called directly, then it returns each case with its subject, in case-id order', async () => {
    const found = await findPersonCases(handMadeContext(), fund, { kind: 'nir', nir: nirOfAlex });
    expect(found).toEqual([{ caseId: 'case-1', subjectRef: expect.stringMatching(/^subj_/) }]);
  });
});

/** The context the session would use, built from the world's parts. */
function handMadeContext(): ServiceContext {
  return { storage: world.storage, handler: world.misas.handler, clock: world.clock, ids: { next: () => 'unused' }, policies: defaultPolicies, pseudonymKey: undefined };
}
