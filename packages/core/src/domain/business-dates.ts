/**
 * The bounds of the dates a case holds. A calendar-valid date can still be absurd (a birth in year
 * 0, a referral in 9999): such a date poisons every age, delay and indicator computed from it, so
 * it is refused at the door with the bound it crosses.
 *
 * - business days (referral, consent, due and follow-up dates, requests, reminders): 2000-01-01 to
 *   2099-12-31, and instants (when a fact occurred or was recorded) in the same years;
 * - birth dates: from 1900-01-01, and never after the referral date (`referral.ts`), which is never
 *   after the day it is recorded (`rules.ts`), so never after today.
 */
import { z } from 'zod';

/** The first business day misas accepts. */
export const earliestBusinessDay = '2000-01-01';
/** The last business day misas accepts. */
export const latestBusinessDay = '2099-12-31';
/** The earliest birth date misas accepts. */
export const earliestBirthDate = '1900-01-01';

const isoDateMessage = 'Expected a calendar date written YYYY-MM-DD';
const dayShape = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day `YYYY-MM-DD` within `[from, to]`; the issue names the bound crossed, rule `date-range`. */
export function dayBetween(from: string, to: string): z.ZodISODate {
  return z.iso.date({ error: isoDateMessage }).check((ctx) => outOfRange(ctx, ctx.value, from, to));
}

/**
 * Adds a `date-range` issue when `day` is outside `[from, to]`. `check` rather than `superRefine`:
 * dates are parsed on every event read, and it costs a third.
 */
function outOfRange(ctx: z.core.ParsePayload<string>, day: string, from: string, to: string): void {
  // A value that is no date was reported by the format check: say it once.
  if (!dayShape.test(day) || (day >= from && day <= to)) return;
  const message = day < from ? `Must not be before ${from}` : `Must not be after ${to}`;
  ctx.issues.push({ code: 'custom', message, params: { rule: 'date-range' }, input: ctx.value });
}

/** A day of case work: a referral, a signature, a due date. */
export const BusinessDay = dayBetween(earliestBusinessDay, latestBusinessDay);

/** A birth date: from 1900-01-01 (the upper bound is the referral date). */
export const BirthDate = dayBetween(earliestBirthDate, latestBusinessDay);

/**
 * An instant in UTC (`2026-03-02T09:30:00.000Z`) within the business years. ISO instants of one
 * shape compare as text on their day, which is all the bound needs.
 */
export const BusinessInstant = z.iso
  .datetime({ offset: false })
  .check((ctx) => outOfRange(ctx, ctx.value.slice(0, 10), earliestBusinessDay, latestBusinessDay));

/** How far ahead of UTC the furthest time zone is (UTC+14, Kiribati): a date typed there is "today" too. */
const furthestZoneAheadMs = 14 * 60 * 60 * 1000;

/**
 * The latest calendar day it is anywhere on Earth at `now`: a date a person wrote today, in any
 * time zone (a form filled in at 00:30 in Paris is dated a day after UTC), is not after it.
 */
export function latestDayAnywhere(now: Date | string): string {
  return new Date(new Date(now).getTime() + furthestZoneAheadMs).toISOString().slice(0, 10);
}

/**
 * The first of `dates` (field name → day) that is after the day it is recorded at `now` (see
 * {@link latestDayAnywhere}), in words for a refusal; `undefined` when none is.
 */
export function dateAfterRecordingDay(dates: Readonly<Record<string, string | undefined>>, now: string): string | undefined {
  const latest = latestDayAnywhere(now);
  for (const [field, day] of Object.entries(dates)) {
    if (day !== undefined && day > latest) return `${field} ${day} is after the day it is recorded (${now.slice(0, 10)} UTC; no time zone is past ${latest} yet)`;
  }
  return undefined;
}
