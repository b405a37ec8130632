/**
 * Day arithmetic for queries. Queries receive `today` from their caller and never read a clock,
 * so that an agenda or a schedule can be asked "as of" any day and tested at its boundaries.
 */
import { addDays, Day } from '@misas/core';

/**
 * Checks that a query parameter is a calendar day `YYYY-MM-DD`.
 * @throws RangeError naming the parameter.
 */
export function requireDay(value: string, parameter: string): string {
  if (!Day.safeParse(value).success) throw new RangeError(`${parameter} must be a day YYYY-MM-DD`);
  return value;
}

/**
 * Checks that `from` and `to` are days and that the period is not empty.
 * @throws RangeError naming the parameter at fault.
 */
export function requirePeriod(from: string, to: string): { readonly from: string; readonly to: string } {
  requireDay(from, 'from');
  requireDay(to, 'to');
  if (to < from) throw new RangeError(`the period is empty: to (${to}) is before from (${from})`);
  return { from, to };
}

/** Whether `day` lies in [from, to], either bound being optional; both inclusive. */
export function dayWithin(day: string, from: string | undefined, to: string | undefined): boolean {
  return (from === undefined || day >= from) && (to === undefined || day <= to);
}

/** The week (Monday to Sunday, as French work weeks run) that contains `day`. */
export function weekContaining(day: string): { readonly monday: string; readonly sunday: string } {
  requireDay(day, 'day');
  // getUTCDay counts from Sunday = 0; shift so that Monday = 0.
  const sinceMonday = (new Date(`${day}T00:00:00.000Z`).getUTCDay() + 6) % 7;
  const monday = addDays(day, -sinceMonday);
  return { monday, sunday: addDays(monday, 6) };
}
