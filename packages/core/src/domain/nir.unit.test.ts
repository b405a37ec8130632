import { describe, expect, it } from 'vitest';
import { Nir, isValidNir, nirKeyIsValid, nirProblem, nirRuleMessage, normalizeNir } from './nir.ts';

/** The key rule, restated independently of the module under test. */
function keyOf(number13: string): string {
  const digits = number13.replace('2A', '19').replace('2B', '18');
  return String(97n - (BigInt(digits) % 97n)).padStart(2, '0');
}

/*
 * Known-good examples, keys computed by hand (long division by 97, two digits at a time):
 *
 * 2 69 05 99 350 123 (woman, born May 1969 abroad):
 *   2690 = 97*27 + 71; 7159 = 97*73 + 78; 7893 = 97*81 + 36; 3650 = 97*37 + 61;
 *   6112 = 97*63 + 1;  13 = 97*0 + 13     => key = 97 - 13 = 84
 * 1 85 05 78 006 084 (man, born May 1985 in Yvelines):
 *   1850 = 97*19 + 7;  757 = 97*7 + 78;   7880 = 97*81 + 23; 2306 = 97*23 + 75;
 *   7508 = 97*77 + 39; 394 = 97*4 + 6     => key = 97 - 6 = 91
 * 1 80 01 2A 004 123 (Corse-du-Sud, 2A counts as 19, so 1800119004123):
 *   1800 = 97*18 + 54; 5411 = 97*55 + 76; 7690 = 97*79 + 27; 2704 = 97*27 + 85;
 *   8512 = 97*87 + 73; 733 = 97*7 + 54    => key = 97 - 54 = 43
 * 1 80 01 2B 004 123 (Haute-Corse, 2B counts as 18, so 1800118004123):
 *   1800 = 97*18 + 54; 5411 = 97*55 + 76; 7680 = 97*79 + 17; 1704 = 97*17 + 55;
 *   5512 = 97*56 + 80; 803 = 97*8 + 27    => key = 97 - 27 = 70
 */
const handComputed = ['2 69 05 99 350 123 84', '1 85 05 78 006 084 91', '1 80 01 2A 004 123 43', '1 80 01 2B 004 123 70'];

describe('normalizeNir', () => {
  it('given spaces and lowercase Corsican letters, when normalised, then they are removed and uppercased', () => {
    expect(normalizeNir(' 1 80 01 2a 004 123 43 ')).toBe('180012A00412343');
  });
});

describe('isValidNir', () => {
  it.each(handComputed)('given the hand-computed example %s, then it is valid', (nir) => {
    expect(isValidNir(nir)).toBe(true);
    expect(nirKeyIsValid(nir)).toBe(true);
  });

  it.each(['1850578006084', '2690599350123', '3121275123456', '4991099999999', '7010101001001', '8450633012345'])(
    'given the real-shape number %s with the key computed from the rule, then it is valid',
    (number13) => {
      expect(isValidNir(number13 + keyOf(number13))).toBe(true);
    },
  );

  it('given a key computed as a single digit, then it must be written with a leading zero', () => {
    // 1 00 01 01 001 000: 1000101001000 = 97 * 10310319597 + 91, so the key is 97 - 91 = 6.
    const number13 = '1000101001000';
    expect(keyOf(number13)).toBe('06');
    expect(isValidNir(`${number13}06`)).toBe(true);
  });

  it('given the 2A and 2B examples with their keys swapped, then both are refused on the key', () => {
    expect(nirProblem('180012A00412370')).toBe('key');
    expect(nirProblem('180012B00412343')).toBe('key');
  });

  it('given a wrong key, then the key rule fails', () => {
    expect(nirProblem('185057800608492')).toBe('key');
    expect(nirKeyIsValid('185057800608492')).toBe(false);
  });

  it.each(['18505780060849', '1850578006084911', ''])('given the wrong length "%s", then the length rule fails', (nir) => {
    expect(nirProblem(nir)).toBe('length');
  });

  it.each(['585057800608491', '085057800608491', '985057800608491'])('given the first digit of %s, then the first-digit rule fails', (nir) => {
    expect(nirProblem(nir)).toBe('first-digit');
  });

  it.each(['18505A800608491', '185057800608A91', '180012C00412343', '18001A200412343', '1800120A0412343'])(
    'given letters outside the Corsican department in %s, then the characters rule fails',
    (nir) => {
      expect(nirProblem(nir)).toBe('characters');
      expect(nirKeyIsValid(nir)).toBe(false);
    },
  );
});

describe('Nir schema', () => {
  it('given a spaced valid NIR, when parsed, then the normalised value comes out', () => {
    expect(Nir.parse('1 80 01 2b 004 123 70')).toBe('180012B00412370');
  });

  it('given an invalid NIR, when parsed, then the issue names the rule and never echoes the value', () => {
    const wrong = '1 85 05 78 006 084 92';
    const result = Nir.safeParse(wrong, { reportInput: true });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toHaveLength(1);
    expect(result.error.issues[0]?.message).toBe(nirRuleMessage('key'));
    const everything = JSON.stringify(result.error.issues) + result.error.message + String(result.error);
    expect(everything).not.toContain(normalizeNir(wrong));
    expect(everything).not.toContain('1850578006084');
    expect(everything).not.toContain(wrong);
  });

  it('given a value that is not a string, when parsed, then it fails with a type message', () => {
    const result = Nir.safeParse(185057800608491);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('A NIR must be a string');
  });
});
