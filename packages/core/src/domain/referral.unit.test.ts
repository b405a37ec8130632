import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ExternalReferralForm,
  InternalReferralForm,
  ReferralFacts,
  ReferralForm,
  type ReferralFormInput,
  ReferralPersonalData,
  ageAt,
  ageBandAt,
  splitReferral,
} from './referral.ts';

const diegoNir = '1 85 05 78 006 084 91';

function internalForm(overrides: Partial<Extract<ReferralFormInput, { variant: 'internal' }>> = {}): ReferralFormInput {
  return {
    variant: 'internal',
    referralDate: '2024-03-15',
    detectionMode: 'face-to-face',
    reasons: ['rights-access', 'care-renunciation', 'digital-fragility'],
    person: {
      lastName: '  Moreau ',
      firstName: 'Diego',
      birthDate: '1987-03-16',
      phone: '06 12 34 56 78',
      email: 'diego.moreau@example.org',
      nir: diegoNir,
    },
    detector: {
      kind: 'health-insurance-service',
      name: 'Claire Dubois',
      service: 'Accueil',
      email: 'claire.dubois@example.org',
      phone: '+33 2 96 00 00 00',
    },
    alreadyStarted: ['c2s-application', 'other'],
    alreadyStartedOther: 'Rendez-vous pris avec la CAF le 20 mars',
    careRenunciation: {
      careTypes: ['specialist-acts-and-exams', 'other'],
      since: '3-to-12-months',
      causes: ['out-of-pocket-cost', 'complex-procedures'],
      otherDetails: 'Examen de radiologie prescrit par son médecin',
    },
    consent: { kind: 'signed', signedOn: '2024-03-15' },
    comments: 'Garde de sa fille gravement malade',
    ...overrides,
  };
}

function externalForm(overrides: Partial<Extract<ReferralFormInput, { variant: 'external' }>> = {}): ReferralFormInput {
  return {
    variant: 'external',
    referralDate: '2024-04-02',
    detectionMode: 'phone',
    reasons: ['rights-access'],
    person: { lastName: 'Petit', firstName: 'Vanessa', birthDate: '2000-10-01', phone: '0698765432' },
    detector: { kind: 'external-partner', name: 'Sam Leroy', service: 'CCAS de Saint-Brieuc' },
    consent: { kind: 'remote-pending-confirmation' },
    ...overrides,
  };
}

function issuesOf(result: z.ZodSafeParseResult<unknown>): Array<{ path: PropertyKey[]; message: string }> {
  return result.success ? [] : result.error.issues.map(({ path, message }) => ({ path, message }));
}

describe('ReferralForm', () => {
  it('given a complete internal form with a NIR, when parsed, then it is accepted, trimmed and normalised', () => {
    const form = ReferralForm.parse(internalForm());

    expect(form.variant).toBe('internal');
    expect(form.person.lastName).toBe('Moreau');
    expect(form.person.nir).toBe('185057800608491');
    expect(form.objectsToEvaluation).toBe(false);
  });

  it('given a minimal external form, when parsed, then it is accepted with defaults filled in', () => {
    const form = ReferralForm.parse(externalForm());

    expect(form.variant).toBe('external');
    expect(form.alreadyStarted).toEqual([]);
    expect(form.objectsToEvaluation).toBe(false);
    expect(ExternalReferralForm.safeParse(externalForm()).success).toBe(true);
  });

  it('given an external form carrying a NIR, when parsed, then it is refused at person.nir without echoing it', () => {
    // Built outside the form's type, which already forbids a NIR on the external variant.
    const person: Record<string, string> = { lastName: 'Petit', firstName: 'Vanessa', birthDate: '2000-10-01', nir: diegoNir };
    const input = { ...externalForm(), person };

    const result = ReferralForm.safeParse(input);

    expect(issuesOf(result)).toEqual([
      { path: ['person', 'nir'], message: 'An external referral may not carry a NIR: only the internal form may' },
    ]);
    expect(JSON.stringify(result.error)).not.toContain('185057800608491');
    expect(JSON.stringify(result.error)).not.toContain(diegoNir);
  });

  it('given an internal form with an invalid NIR, when parsed, then the key rule is reported at person.nir', () => {
    const form = internalForm();
    const result = ReferralForm.safeParse({ ...form, person: { ...form.person, nir: '1 85 05 78 006 084 92' } });

    expect(issuesOf(result)).toEqual([{ path: ['person', 'nir'], message: expect.stringContaining('key') }]);
  });

  it('given a care-renunciation reason without the back of the form, when parsed, then careRenunciation is required', () => {
    for (const reason of ['care-renunciation', 'care-renunciation-disability'] as const) {
      const result = ReferralForm.safeParse(externalForm({ reasons: [reason] }));

      expect(issuesOf(result)).toEqual([{ path: ['careRenunciation'], message: expect.stringContaining('required') }]);
    }
  });

  it('given remote-pending consent, when detection was face to face, then consent.kind is refused; by phone it is accepted', () => {
    const faceToFace = ReferralForm.safeParse(externalForm({ detectionMode: 'face-to-face' }));

    expect(issuesOf(faceToFace)).toEqual([{ path: ['consent', 'kind'], message: expect.stringContaining('by phone') }]);
    expect(ReferralForm.safeParse(externalForm({ detectionMode: 'phone' })).success).toBe(true);
  });

  it('given the same reason ticked twice, when parsed, then the duplicate is refused at its index', () => {
    const result = ReferralForm.safeParse(externalForm({ reasons: ['rights-access', 'digital-fragility', 'rights-access'] }));

    expect(issuesOf(result)).toEqual([{ path: ['reasons', 2], message: 'reasons may not list the same value twice' }]);
  });

  it('given no reason at all, when parsed, then reasons is refused', () => {
    expect(issuesOf(ReferralForm.safeParse(externalForm({ reasons: [] })))).toEqual([
      { path: ['reasons'], message: 'Tick at least one reason for the referral' },
    ]);
  });

  it.each([
    ['at the top', { socialSecurityNumber: '185057800608491' }, []],
    ['in the person', { person: { lastName: 'Petit', firstName: 'Vanessa', birthDate: '2000-10-01', secu: '1' } }, ['person']],
    ['in the detector', { detector: { kind: 'external-partner', name: 'Sam', service: 'CCAS', note: 'x' } }, ['detector']],
  ])('given an unknown key %s, when parsed, then it is refused', (_where, extra, path) => {
    const result = ReferralForm.safeParse({ ...externalForm(), ...extra });

    expect(issuesOf(result)).toEqual([{ path, message: expect.stringContaining('Unrecognized key') }]);
  });

  it('given a birth date after the referral date, when parsed, then person.birthDate is refused', () => {
    const result = ReferralForm.safeParse(
      externalForm({ person: { lastName: 'Petit', firstName: 'Vanessa', birthDate: '2024-04-03' } }),
    );

    expect(issuesOf(result)).toEqual([{ path: ['person', 'birthDate'], message: expect.stringContaining('after the referral date') }]);
  });

  it('given alreadyStartedOther without "other" ticked, when parsed, then it is refused at its path', () => {
    const result = ReferralForm.safeParse(externalForm({ alreadyStarted: ['c2s-application'], alreadyStartedOther: 'x' }));

    expect(issuesOf(result)).toEqual([{ path: ['alreadyStartedOther'], message: expect.stringContaining('"other"') }]);
  });

  it('given care details without any "other" box ticked, when parsed, then careRenunciation.otherDetails is refused', () => {
    const result = ReferralForm.safeParse(
      externalForm({
        reasons: ['care-renunciation'],
        careRenunciation: { careTypes: ['pharmacy'], since: 'over-1-year', causes: ['transport'], otherDetails: 'x' },
      }),
    );

    expect(issuesOf(result)).toEqual([{ path: ['careRenunciation', 'otherDetails'], message: expect.stringContaining('"other"') }]);
  });

  it.each([
    ['letters', '06 12 AB 56 78'],
    ['too few digits', '06 12 34 56'],
    ['too many digits', '+33 6 12 34 56 78 90 12 3'],
    ['a plus in the middle', '06+12345678'],
  ])('given a phone with %s, when parsed, then person.phone is refused', (_why, phone) => {
    const result = ReferralForm.safeParse(
      externalForm({ person: { lastName: 'Petit', firstName: 'Vanessa', birthDate: '2000-10-01', phone } }),
    );

    expect(new Set(issuesOf(result).map((issue) => issue.path.join('.')))).toEqual(new Set(['person.phone']));
  });

  it.each([
    ['a blank first name', { firstName: '   ' }, ['person', 'firstName']],
    ['a bad email', { email: 'not-an-email' }, ['person', 'email']],
    ['a bad birth date', { birthDate: '2000-02-30' }, ['person', 'birthDate']],
  ])('given %s, when parsed, then the field is refused at its path', (_why, change, path) => {
    const base = { lastName: 'Petit', firstName: 'Vanessa', birthDate: '2000-10-01' };
    const result = ReferralForm.safeParse(externalForm({ person: { ...base, ...change } }));

    expect(issuesOf(result).map((issue) => issue.path)).toEqual([path]);
  });

  it('given a variant that does not exist, when parsed, then variant is refused', () => {
    expect(issuesOf(ReferralForm.safeParse({ ...externalForm(), variant: 'local' })).map((issue) => issue.path)).toEqual([
      ['variant'],
    ]);
  });

  it('given an internal form, when parsed with the internal schema only, then the same rules apply', () => {
    expect(InternalReferralForm.safeParse(internalForm()).success).toBe(true);
    expect(InternalReferralForm.safeParse(externalForm()).success).toBe(false);
  });
});

describe('splitReferral', () => {
  it('given a complete internal form, when split, then the facts hold no name, contact, NIR, birth date or free text', () => {
    const form = ReferralForm.parse(internalForm());

    const { facts } = splitReferral(form);

    const json = JSON.stringify(facts);
    for (const secret of [
      'Moreau',
      'Diego',
      '1987-03-16',
      '06 12 34 56 78',
      'diego.moreau@example.org',
      '185057800608491',
      '1850578006084',
      'Claire',
      'Dubois',
      'claire.dubois@example.org',
      '+33 2 96 00 00 00',
      'CAF le 20 mars',
      'radiologie',
      'fille',
    ]) {
      expect(json).not.toContain(secret);
    }
    expect(ReferralFacts.parse(facts)).toEqual(facts);
  });

  it('given a complete internal form, when split, then the facts keep what statistics and rules need', () => {
    const { facts } = splitReferral(ReferralForm.parse(internalForm()));

    expect(facts).toEqual({
      variant: 'internal',
      referralDate: '2024-03-15',
      detectionMode: 'face-to-face',
      reasons: ['rights-access', 'care-renunciation', 'digital-fragility'],
      detector: { kind: 'health-insurance-service', service: 'Accueil' },
      alreadyStarted: ['c2s-application', 'other'],
      careRenunciation: {
        careTypes: ['specialist-acts-and-exams', 'other'],
        since: '3-to-12-months',
        causes: ['out-of-pocket-cost', 'complex-procedures'],
      },
      consent: { kind: 'signed', signedOn: '2024-03-15' },
      objectsToEvaluation: false,
      hasNir: true,
      // The day before the 37th birthday.
      ageBand: '26-39',
    });
  });

  it('given a complete internal form, when split, then the personal part holds everything else', () => {
    const { personal } = splitReferral(ReferralForm.parse(internalForm()));

    expect(personal).toEqual({
      person: {
        lastName: 'Moreau',
        firstName: 'Diego',
        birthDate: '1987-03-16',
        phone: '06 12 34 56 78',
        email: 'diego.moreau@example.org',
        nir: '185057800608491',
      },
      detectorContact: { name: 'Claire Dubois', email: 'claire.dubois@example.org', phone: '+33 2 96 00 00 00' },
      alreadyStartedOther: 'Rendez-vous pris avec la CAF le 20 mars',
      careOtherDetails: 'Examen de radiologie prescrit par son médecin',
      comments: 'Garde de sa fille gravement malade',
    });
    expect(ReferralPersonalData.parse(personal)).toEqual(personal);
  });

  it('given a minimal external form, when split, then no optional key appears empty and hasNir is false', () => {
    const { facts, personal } = splitReferral(ReferralForm.parse(externalForm()));

    expect(facts.hasNir).toBe(false);
    expect(facts.ageBand).toBe('18-25');
    expect('careRenunciation' in facts).toBe(false);
    expect(Object.keys(personal)).toEqual(['person', 'detectorContact']);
    expect(Object.keys(personal.person)).toEqual(['lastName', 'firstName', 'birthDate', 'phone']);
  });

  it('given a split form, when the form is mutated afterwards, then the facts do not change', () => {
    const form = ReferralForm.parse(internalForm());
    const { facts } = splitReferral(form);

    form.reasons.push('complex-social-situation');
    form.alreadyStarted.length = 0;

    expect(facts.reasons).toHaveLength(3);
    expect(facts.alreadyStarted).toHaveLength(2);
  });
});

describe('ageAt', () => {
  it.each([
    ['1987-03-16', '2024-03-15', 36],
    ['1987-03-16', '2024-03-16', 37],
    ['1987-03-16', '2024-12-31', 37],
    ['2000-02-29', '2023-02-28', 22],
    ['2000-02-29', '2023-03-01', 23],
    ['2000-02-29', '2024-02-29', 24],
    ['2024-01-01', '2024-01-01', 0],
  ])('given a birth on %s, when asked on %s, then the age is %i', (birthDate, onDate, age) => {
    expect(ageAt(birthDate, onDate)).toBe(age);
  });

  it('given a date before the birth, when asked, then it throws without echoing the dates', () => {
    expect(() => ageAt('1987-03-16', '1980-01-01')).toThrow(RangeError);
    expect(() => ageAt('1987-03-16', '1980-01-01')).not.toThrow(/1987/);
  });

  it('given something that is not an ISO date, when asked, then it throws without echoing it', () => {
    expect(() => ageAt('16/03/1987', '2024-01-01')).toThrow('Expected a calendar date written YYYY-MM-DD');
    expect(() => ageAt('1987-02-30', '2024-01-01')).toThrow(RangeError);
  });
});

describe('ageBandAt', () => {
  it.each([
    ['2006-06-02', 'under-18'],
    ['2006-06-01', '18-25'],
    ['1998-06-02', '18-25'],
    ['1998-06-01', '26-39'],
    ['1984-06-02', '26-39'],
    ['1984-06-01', '40-59'],
    ['1964-06-02', '40-59'],
    ['1964-06-01', '60-69'],
    ['1954-06-02', '60-69'],
    ['1954-06-01', '70-79'],
    ['1944-06-02', '70-79'],
    ['1944-06-01', '80-plus'],
    ['1920-01-01', '80-plus'],
  ] as const)('given a birth on %s, when asked on 2024-06-01, then the band is %s', (birthDate, band) => {
    expect(ageBandAt(birthDate, '2024-06-01')).toBe(band);
  });
});
