/**
 * The one schema of every id misas accepts: case, command, correlation and causation ids, actor and
 * principal ids, fund, counsellor, team and detector ids, action and partner-referral ids…
 *
 * Ids are keys: they end up in primary keys and indexes (PostgreSQL refuses NUL and index rows over
 * a few kB), in composite read-model keys (`encodeURIComponent` throws on a lone surrogate), in
 * audit entries and in error messages. So an id is short, printable text, refused — never repaired —
 * when it is not: repairing would merge two different ids into one.
 */
import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors.ts';

/** The longest id, in UTF-16 code units: a ULID is 26, a UUID 36. */
export const maxIdLength = 128;

/** What makes an id unusable, as `rule` names it in a `ValidationError`. */
export type IdRule = 'id-blank' | 'id-too-long' | 'id-control-character' | 'id-lone-surrogate' | 'id-surrounding-space';

/**
 * Control characters (C0, DEL, C1: NUL, newlines, escapes), invisible format characters
 * (zero-width spaces, bidirectional overrides that make an id read differently than it sorts)
 * and the line and paragraph separators.
 */
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The common case, decided by one test: printable ASCII, not starting or ending with a space. */
const printableAscii = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** A surrogate code unit without its pair: not a character, and not valid UTF-8 in any store. */
const loneSurrogate = /\p{Cs}/u;

/** Whether a text holds no lone surrogate (what `String.prototype.isWellFormed` tells, ES2024). */
export function isWellFormedText(value: string): boolean {
  return !loneSurrogate.test(value);
}

/** `U+0000`: how a character is named in a message (its code point, never the text around it). */
export function codePointName(value: string, index: number): string {
  const code = value.codePointAt(index) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first rule an id breaks, with a message that never echoes the id, or `null` for a good id. */
export function idProblem(value: string): { readonly rule: IdRule; readonly message: string } | null {
  if (value.length > maxIdLength) return { rule: 'id-too-long', message: `An id has at most ${maxIdLength} characters (got ${value.length})` };
  if (!/\S/.test(value)) return { rule: 'id-blank', message: 'An id must not be empty or only spaces' };
  const surrogate = loneSurrogate.exec(value);
  if (surrogate) return { rule: 'id-lone-surrogate', message: `An id must be well-formed Unicode: lone surrogate ${codePointName(value, surrogate.index)} at index ${surrogate.index}` };
  const control = unprintable.exec(value);
  if (control) {
    return {
      rule: 'id-control-character',
      message: `An id holds printable characters only: ${codePointName(value, control.index)} at index ${control.index}`,
    };
  }
  if (/^\s|\s$/.test(value)) return { rule: 'id-surrounding-space', message: 'An id must not start or end with a space' };
  return null;
}

/** Whether `value` is an id {@link Id} accepts, without zod: for the envelope check of stored events (one test for the common case). */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxIdLength && (printableAscii.test(value) || idProblem(value) === null);
}

/**
 * An id: 1 to 128 printable characters, not blank, no control or format character, no lone
 * surrogate, no leading or trailing space. Names such as `toString` or `__proto__` are plain ids:
 * every lookup by id reads own keys only (`Object.hasOwn`, `Map`).
 */
export const Id = z
  .string()
  .min(1, 'An id must not be empty')
  .max(maxIdLength, `An id has at most ${maxIdLength} characters`)
  // `check` rather than `superRefine`: ids are parsed on every event read, and it costs a third.
  .check((ctx) => {
    const value = ctx.value;
    // An empty or too long id was reported by `min` / `max` already: say it once.
    if (value.length === 0 || value.length > maxIdLength || printableAscii.test(value)) return;
    const problem = idProblem(value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem.message, params: { rule: problem.rule }, input: value });
  });
export type Id = z.infer<typeof Id>;

/**
 * A record keyed by ids. zod's `record` silently drops a `__proto__` key, so a snapshot of a case
 * with an action of that id would lose it: the entries are checked as pairs instead, and rebuilt
 * with `Object.fromEntries`, which defines every key as an own key (never the prototype).
 */
export function idRecord<T extends z.ZodType>(value: T) {
  return z
    .preprocess((input) => (typeof input === 'object' && input !== null && !Array.isArray(input) ? Object.entries(input) : input), z.array(z.tuple([Id, value])))
    .transform((entries): Record<string, z.output<T>> => Object.fromEntries(entries));
}

/**
 * The value a record holds under `id` as its own key, or `undefined`. A plain `record[id]` would
 * answer `Object.prototype.toString` for the id `toString`: an action, a referral or an actor that
 * does not exist would then seem to.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

/**
 * Checks ids given outside a command (a query's case id, a filter's counsellor id) against {@link Id}.
 * @throws ValidationError naming each bad id by its name in `ids` and the rule it breaks
 */
export function requireIds(subject: string, ids: Readonly<Record<string, string | null | undefined>>): void {
  const issues: ValidationIssue[] = [];
  for (const [path, value] of Object.entries(ids)) {
    if (value === undefined || value === null) continue;
    const parsed = Id.safeParse(value);
    if (!parsed.success) issues.push(...ValidationError.fromZod(subject, parsed.error).issues.map((issue) => ({ ...issue, path })));
  }
  if (issues.length > 0) throw new ValidationError(subject, issues);
}
