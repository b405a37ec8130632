import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayOf, daysBetween } from '@misas/core';
import { plusDays, plusMonths, utcDayOf, wholeDaysBetween } from './fast-calendar.ts';

const instants = fc.date({ min: new Date('1900-01-01T00:00:00.000Z'), max: new Date('2200-12-31T23:59:59.999Z'), noInvalidDate: true }).map((date) => date.toISOString());
const days = instants.map((instant) => instant.slice(0, 10));
const either = fc.oneof(instants, days, instants.map((instant) => instant.replace(/\.\d{3}Z$/, 'Z')), instants.map((instant) => instant.replace(/:\d{2}\.\d{3}Z$/, 'Z')));
/** Strings that are not what the schemas admit, each of which core answers in its own way. */
const odd = ['2026-01-05T24:00:00Z', '2026-01-05T10:00Z', '2026-01-05T10:00:00.Z', '2026-1-05', '2026-01-05 10:00:00Z', '2026-01-05T10:00:00', '2026-01-05T23:30:00+02:00', '2026-02-30', '0050-01-01', '2026-02-29', 'not a day'];

/** What a function answers, or that it throws. */
function outcome<T>(work: () => T): T | 'throws' {
  try {
    return work();
  } catch {
    return 'throws';
  }
}

describe('the calendar shortcuts', () => {
  it('property: answer as core does for any days and instants', () => {
    fc.assert(
      fc.property(either, either, fc.integer({ min: -4000, max: 4000 }), fc.integer({ min: -400, max: 400 }), (from, to, dayCount, monthCount) => {
        expect(wholeDaysBetween(from, to)).toBe(daysBetween(from, to));
        expect(utcDayOf(from)).toBe(dayOf(from));
        const day = from.slice(0, 10);
        expect(plusDays(day, dayCount)).toBe(addDays(day, dayCount));
        expect(plusMonths(day, monthCount)).toBe(addMonths(day, monthCount));
      }),
      { numRuns: 3000 },
    );
  });

  it('given a leap day, a month end and a year end, then the calendar is followed', () => {
    expect(wholeDaysBetween('2028-02-28', '2028-03-01T09:00:00.000Z')).toBe(2);
    expect(wholeDaysBetween('2026-01-31T23:59:59.999Z', '2026-02-01T00:00:00.000Z')).toBe(1);
    expect(plusMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(plusMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(plusMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(plusDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(utcDayOf('2026-03-02T23:59:59.999Z')).toBe('2026-03-02');
  });

  it('given what the schemas do not admit, then each answers (or throws) as core does', () => {
    for (const value of odd) {
      expect(outcome(() => utcDayOf(value)), value).toEqual(outcome(() => dayOf(value)));
      expect(outcome(() => wholeDaysBetween('2026-01-01', value)), value).toEqual(outcome(() => daysBetween('2026-01-01', value)));
      expect(outcome(() => plusDays(value, 3)), value).toEqual(outcome(() => addDays(value, 3)));
      expect(outcome(() => plusMonths(value, 3)), value).toEqual(outcome(() => addMonths(value, 3)));
    }
    expect(plusDays('2026-01-01', 1.5)).toBe(addDays('2026-01-01', 1.5));
    expect(plusMonths('2026-01-31', 0.5)).toBe(addMonths('2026-01-31', 0.5));
  });
});
