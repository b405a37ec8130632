/**
 * Text people type (names, a service, comments, notes): trimmed, NFC-normalised, bounded, and
 * without the characters that break stores and screens. NUL is refused by PostgreSQL in text and
 * JSON; other control characters hide or rewrite what a reader sees; a lone surrogate is not
 * valid UTF-8. NFC makes `é` typed as one character or as `e` and an accent the same text, so a
 * search for the person finds both.
 */
import { z } from 'zod';
import { codePointName } from './id.ts';

/** What makes a text unusable, as `rule` names it in a `ValidationError`. */
export type TextRule = 'text-control-character' | 'text-lone-surrogate';

/** Every control character (C0, DEL, C1), NUL included. */
const anyControl = /[\p{Cc}\p{Zl}\p{Zp}]/u;
/** The control characters a multi-line text may not hold: all but tab, line feed and carriage return. */
const controlButLayout = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029]/;
const loneSurrogate = /\p{Cs}/u;

/** The first rule a text breaks (never echoing it), or `null`. `multiLine` lets tabs and line breaks in. */
export function textProblem(value: string, multiLine: boolean): { readonly rule: TextRule; readonly message: string } | null {
  const surrogate = loneSurrogate.exec(value);
  if (surrogate) return { rule: 'text-lone-surrogate', message: `Must be well-formed Unicode: lone surrogate ${codePointName(value, surrogate.index)} at index ${surrogate.index}` };
  const control = (multiLine ? controlButLayout : anyControl).exec(value);
  if (control) {
    const allowed = multiLine ? ' (tabs and line breaks are allowed)' : '';
    return { rule: 'text-control-character', message: `Must not hold control character ${codePointName(value, control.index)} at index ${control.index}${allowed}` };
  }
  return null;
}

function text(maxLength: number, multiLine: boolean): z.ZodString {
  const tooLong = `Must be at most ${maxLength} characters`;
  return z
    .string()
    // Before trimming and normalising, which cost time in proportion: a 5 MB value stops here.
    .max(maxLength * 4, { error: tooLong, abort: true })
    .trim()
    .normalize('NFC')
    .min(1, 'Must not be empty')
    .max(maxLength, tooLong)
    .check((ctx) => {
      const problem = textProblem(ctx.value, multiLine);
      if (problem) ctx.issues.push({ code: 'custom', message: problem.message, params: { rule: problem.rule }, input: ctx.value });
    });
}

/** One line of text (a name, a service): 1 to `maxLength` characters once trimmed, no control character. */
export function lineText(maxLength: number): z.ZodString {
  return text(maxLength, false);
}

/** Free text (comments, a note): 1 to `maxLength` characters once trimmed; tabs and line breaks allowed, other controls not. */
export function freeText(maxLength: number): z.ZodString {
  return text(maxLength, true);
}
