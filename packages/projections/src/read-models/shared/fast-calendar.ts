/**
 * Core's calendar arithmetic (`dayOf`, `daysBetween`, `addDays`, `addMonths`), giving the same
 * answers, without building dates from strings and formatting them back: a rebuild calls these
 * tens of thousands of times, and the round trips through `Date` were a fifth of its time. Each
 * takes its shortcut for what the schemas admit — days `YYYY-MM-DD` and instants in UTC with a
 * four-digit year — and hands anything else to core, so that no input answers differently.
 */
import { addDays, addMonths, dayOf, daysBetween } from '@misas/core';

const msPerDay = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number written with `length` digits from `start`, or -1 when one of them is not a digit. */
function digits(value: string, start: number, length: number): number {
  let number = 0;
  for (let index = start; index < start + length; index++) {
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/** Whether `value` from `start` is a time of day in UTC: `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff…`, then `Z`. */
function isUtcTime(value: string, start: number): boolean {
  const end = value.length - 1;
  if (value[end] !== 'Z' || value[start + 2] !== ':') return false;
  const hours = digits(value, start, 2);
  const minutes = digits(value, start + 3, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return false;
  if (end === start + 5) return true;
  if (value[start + 5] !== ':') return false;
  const seconds = digits(value, start + 6, 2);
  if (seconds < 0 || seconds > 59) return false;
  if (end === start + 8) return true;
  return value[start + 8] === '.' && end > start + 9 && digits(value, start + 9, end - start - 9) >= 0;
}

/** A valid calendar date, as numbers. */
interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * The date of a valid day `YYYY-MM-DD`, or of an instant in UTC (`YYYY-MM-DDTHH:MM[:SS[.fff]]Z`)
 * whose leading date is then its UTC day; undefined for anything else, and for years before 100
 * (which `Date.UTC` reads as 19xx).
 */
function leadingDate(value: string): CalendarDate | undefined {
  if (value[4] !== '-' || value[7] !== '-') return undefined;
  if (value.length !== 10 && (value[10] !== 'T' || !isUtcTime(value, 11))) return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function dayNumber({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day) / msPerDay;
}

function formatted({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** As core's `dayOf`: the day (`YYYY-MM-DD`) of an instant, for a string. */
export function utcDayOf(instant: string): string {
  return leadingDate(instant) === undefined ? dayOf(instant) : instant.slice(0, 10);
}

/** As core's `daysBetween`: whole days from `from` to `to`, negative when `to` is earlier. */
export function wholeDaysBetween(from: string, to: string): number {
  const start = leadingDate(from);
  const end = leadingDate(to);
  return start === undefined || end === undefined ? daysBetween(from, to) : dayNumber(end) - dayNumber(start);
}

/** As core's `addDays`: `day` plus `days` calendar days. */
export function plusDays(day: string, days: number): string {
  const date = day.length === 10 ? leadingDate(day) : undefined;
  if (date === undefined || !Number.isInteger(days)) return addDays(day, days);
  const moved = new Date((dayNumber(date) + days) * msPerDay);
  const year = moved.getUTCFullYear();
  if (year < 100 || year > 9999) return addDays(day, days);
  return formatted({ year, month: moved.getUTCMonth() + 1, day: moved.getUTCDate() });
}

/** As core's `addMonths`: `day` plus `months` calendar months, clamped to the month's last day. */
export function plusMonths(day: string, months: number): string {
  const date = day.length === 10 ? leadingDate(day) : undefined;
  if (date === undefined || !Number.isInteger(months)) return addMonths(day, months);
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  if (year < 100 || year > 9999) return addMonths(day, months);
  return formatted({ year, month, day: Math.min(date.day, daysInMonth(year, month)) });
}
