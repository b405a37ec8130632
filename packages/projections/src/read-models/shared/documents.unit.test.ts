/**
 * Composite read-model keys: `keyPart` never throws (a lone surrogate once made `encodeURIComponent`
 * throw a `URIError` on every later catch-up of a store), and distinct values keep distinct keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPart, keyPartValue } from './documents.ts';

/** Any UTF-16 code units (lone surrogates included, pairs by chance), with `%`, `u`, `/` and surrogates often. */
const codeUnit = fc.oneof(fc.constantFrom('%', 'u', '/', '\uD83D', '\uDE00'), fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)));
const anyText = fc.array(codeUnit, { maxLength: 12 }).map((units) => units.join(''));

describe('keyPart', () => {
  it.each([
    ['a plain id', 'counsellor-12', 'counsellor-12'],
    ['a slash', 'a/b', 'a%2Fb'],
    ['a percent sign and a u', '%uD800', '%25uD800'],
    ['a lone high surrogate', 'c\uD800', 'c%uD800'],
    ['a lone low surrogate', '\uDC00x', '%uDC00x'],
    ['a well-formed pair', '😀', '%F0%9F%98%80'],
    ['NUL', 'a\u0000', 'a%00'],
  ])('encodes %s without throwing, and back', (_label, value, encoded) => {
    expect(keyPart(value)).toBe(encoded);
    expect(keyPartValue(encoded)).toBe(value);
    expect(keyPart(value)).not.toContain('/');
  });

  it('property: any string, lone surrogates included, round-trips and never holds a slash', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        const encoded = keyPart(a);
        return !encoded.includes('/') && keyPartValue(encoded) === a && (a === b || keyPart(b) !== encoded);
      }),
      { numRuns: 1000 },
    );
  });
});
