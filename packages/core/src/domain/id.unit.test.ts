/**
 * The id schema, free text and business dates, value by value: each hostile value is refused with
 * a one-line `ValidationError` naming the field and the rule, and the names a prototype knows
 * (`toString`, `constructor`, `__proto__`) are plain values.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { sampleExternalForm } from '../testing/fixtures.ts';
import { BirthDate, BusinessDay, BusinessInstant, latestDayAnywhere } from './business-dates.ts';
import { CaseCommand } from './commands.ts';
import { Id, idRecord, maxIdLength, ownValue, requireIds } from './id.ts';
import { freeText, lineText } from './text.ts';

/** The rule of the first issue `schema` reports for `value`, or `null` when it accepts it. */
function ruleOf(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (ValidationError.fromZod('value', parsed.error).issues[0]?.rule ?? null);
}

const fiveMegabytes = 'x'.repeat(5 * 1024 * 1024);

describe('Id', () => {
  it.each([
    ['NUL', 'case\u0000-1', 'id-control-character'],
    ['a line feed', 'case\n1', 'id-control-character'],
    ['an escape', '\u001b[31mcase', 'id-control-character'],
    ['DEL', 'case\u007f', 'id-control-character'],
    ['a C1 control', 'case\u0085', 'id-control-character'],
    ['a right-to-left override', 'case-\u202e1', 'id-control-character'],
    ['a zero-width space', 'case\u200b1', 'id-control-character'],
    ['a line separator', 'case\u20281', 'id-control-character'],
    ['a lone high surrogate', '\uD800', 'id-lone-surrogate'],
    ['a lone low surrogate after text', 'case\uDC00', 'id-lone-surrogate'],
    ['the empty string', '', 'too_small'],
    ['a space', ' ', 'id-blank'],
    ['a no-break space', '\u00a0', 'id-blank'],
    ['spaces and tabs… and no text', ' \u3000 ', 'id-blank'],
    ['a leading space', ' case-1', 'id-surrounding-space'],
    ['a trailing no-break space', 'case-1\u00a0', 'id-surrounding-space'],
    ['129 characters', 'x'.repeat(maxIdLength + 1), 'too_big'],
    ['5 MB', fiveMegabytes, 'too_big'],
    ['a number', 42, 'invalid_type'],
  ])('refuses %s', (_label, value, rule) => {
    expect(ruleOf(Id, value)).toBe(rule);
  });

  it.each([
    ['a ULID', '01JH4S0C6M3X8Q4ZK2T7Y9B1VD'],
    ['128 characters', 'x'.repeat(maxIdLength)],
    ['one character', 'a'],
    ['inner spaces', 'ccas lannion'],
    ['accented letters', 'conseillère-12'],
    ['an emoji (a well-formed surrogate pair)', 'case-😀'],
    ['toString', 'toString'],
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
    ['hasOwnProperty', 'hasOwnProperty'],
  ])('accepts %s as a plain id', (_label, value) => {
    expect(Id.parse(value)).toBe(value);
  });

  it('never echoes the id in its message, only the code point and where it is', () => {
    const issue = ValidationError.fromZod('id', Id.safeParse('secret\u0000').error!).issues[0];
    expect(issue?.message).toBe('An id holds printable characters only: U+0000 at index 6');
    expect(issue?.message).not.toContain('secret');
  });

  it('requireIds names each bad id by its name and rule, in one line for one id', () => {
    expect(() => requireIds('query', { caseId: 'ok', counsellorId: undefined })).not.toThrow();
    const error = (() => {
      try {
        requireIds('query', { caseId: '\uD800' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('Invalid query: caseId: An id must be well-formed Unicode: lone surrogate U+D800 at index 0 [id-lone-surrogate]');
  });

  it('ownValue reads own keys only: toString, constructor and __proto__ are unknown until set', () => {
    const record: Record<string, number> = { a: 1 };
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(ownValue(record, name)).toBeUndefined();
    const withProto = Object.fromEntries([['__proto__', 2]]) as Record<string, number>;
    expect(ownValue(withProto, '__proto__')).toBe(2);
  });
});

describe('idRecord', () => {
  const Counts = idRecord(z.number());

  it("keeps a '__proto__' key as an own key, where zod's record drops it", () => {
    const input: unknown = JSON.parse('{"__proto__": 1, "toString": 2}');
    const parsed = Counts.parse(input);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'toString']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(z.record(z.string(), z.number()).parse(input))).toEqual(['toString']);
  });

  it('refuses a key that is no id', () => {
    expect(ruleOf(Counts, { 'a\u0000': 1 })).toBe('id-control-character');
  });
});

describe('free text', () => {
  it('is NFC-normalised and trimmed: e + combining acute is é', () => {
    expect(lineText(100).parse(' Le\u0301a ')).toBe('Léa');
    expect(freeText(100).parse('Cafe\u0301')).toBe('Café');
  });

  it.each([
    ['NUL in a note', freeText(10_000), 'called\u0000back', 'text-control-character'],
    ['an escape in a note', freeText(10_000), 'called \u001b[2J', 'text-control-character'],
    ['a lone surrogate in a note', freeText(10_000), 'called \uD800', 'text-lone-surrogate'],
    ['a line feed in a name', lineText(100), 'Le\nGall', 'text-control-character'],
    ['a tab in a name', lineText(100), 'Le\tGall', 'text-control-character'],
    ['only spaces', lineText(100), '   ', 'too_small'],
    ['5 MB', freeText(2000), fiveMegabytes, 'too_big'],
  ])('refuses %s', (_label, schema, value, rule) => {
    expect(ruleOf(schema, value)).toBe(rule);
  });

  it('keeps tabs and line breaks in free text', () => {
    expect(freeText(100).parse('first line\r\n\tsecond line')).toBe('first line\r\n\tsecond line');
  });
});

describe('business dates', () => {
  it.each([
    ['year 0000', BusinessDay, '0000-01-01'],
    ['year 9999', BusinessDay, '9999-12-31'],
    ['the day before 2000', BusinessDay, '1999-12-31'],
    ['a birth in year 0000', BirthDate, '0000-01-01'],
    ['a birth before 1900', BirthDate, '1899-12-31'],
    ['an instant in year 0001', BusinessInstant, '0001-01-01T00:00:00.000Z'],
    ['an instant in year 9999', BusinessInstant, '9999-12-31T23:59:59.999Z'],
  ])('refuses %s with the bound it crosses', (_label, schema, value) => {
    expect(ruleOf(schema, value)).toBe('date-range');
  });

  it('accepts the bounds themselves', () => {
    expect(BirthDate.parse('1900-01-01')).toBe('1900-01-01');
    expect(BusinessDay.parse('2000-01-01')).toBe('2000-01-01');
    expect(BusinessDay.parse('2099-12-31')).toBe('2099-12-31');
  });

  it('reports a malformed date once, by its format', () => {
    expect(BusinessDay.safeParse('2026-02-30').error?.issues).toHaveLength(1);
  });

  it('the latest day anywhere is the UTC day until 10:00 UTC, then the next (UTC+14)', () => {
    expect(latestDayAnywhere('2026-01-05T09:59:59.999Z')).toBe('2026-01-05');
    expect(latestDayAnywhere('2026-01-05T10:00:00.000Z')).toBe('2026-01-06');
  });
});

describe('a command with a hostile value', () => {
  const referral = (form: Parameters<typeof sampleExternalForm>[0], envelope: Record<string, unknown> = {}) => ({
    type: 'ReceiveReferral',
    caseId: 'case-1',
    commandId: 'cmd-1',
    actor: { role: 'detector', id: 'det-1' },
    data: { fundId: 'cpam-22', form: sampleExternalForm(form) },
    ...envelope,
  });

  it.each([
    ['a birth in year 0000', referral({ person: { lastName: 'A', firstName: 'B', birthDate: '0000-01-01' } }), 'data.form.person.birthDate: Must not be before 1900-01-01 [date-range]'],
    ['a birth after the referral date', referral({ person: { lastName: 'A', firstName: 'B', birthDate: '2026-01-06' } }), 'data.form.person.birthDate: The birth date may not be after the referral date [birth-date-after-referral]'],
    ['a referral in 9999', referral({ referralDate: '9999-12-31' }), 'data.form.referralDate: Must not be after 2099-12-31 [date-range]'],
    ['a consent signed in year 0000', referral({ consent: { kind: 'signed', signedOn: '0000-01-01' } }), 'data.form.consent.signedOn: Must not be before 2000-01-01 [date-range]'],
    ['a NUL in the actor id', referral({}, { actor: { role: 'detector', id: 'det\u00001' } }), 'actor.id: An id holds printable characters only: U+0000 at index 3 [id-control-character]'],
    ['a blank case id', referral({}, { caseId: ' ' }), 'caseId: An id must not be empty or only spaces [id-blank]'],
    ['a 5 MB command id', referral({}, { commandId: fiveMegabytes }), 'commandId: An id has at most 128 characters [too_big]'],
    ['a lone surrogate in the fund id', { ...referral({}), data: { fundId: '\uD800', form: sampleExternalForm() } }, 'data.fundId: An id must be well-formed Unicode: lone surrogate U+D800 at index 0 [id-lone-surrogate]'],
    ['a NUL in the comments', referral({ comments: 'a\u0000b' }), 'data.form.comments: Must not hold control character U+0000 at index 1 (tabs and line breaks are allowed) [text-control-character]'],
  ])('refuses %s in one line naming the field and the rule', (_label, input, line) => {
    const parsed = CaseCommand.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(ValidationError.fromZod('command', parsed.error!).message).toBe(`Invalid command: ${line}`);
  });
});
