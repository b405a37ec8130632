/**
 * The rules every `AuditTrail` applies the same way, in one place so that the in-memory trail and
 * the durable ones cannot drift apart: what a valid batch is, which page sizes are allowed, and how
 * instants are ordered.
 */
import { ValidationError } from '../errors.ts';
import { Instant } from '../domain/events/metadata.ts';
import { AuditEntry, type AuditFilter } from './ports/audit-trail.ts';

/** The largest page `AuditTrail.query` hands out. */
export const maxAuditPageSize = 1000;

/**
 * Validates a whole batch before anything is written, so that one bad entry refuses all of them.
 * Returns fresh copies: a caller mutating its objects afterwards cannot change what was recorded.
 * @throws ValidationError naming the first invalid entry by its position in the batch
 */
export function validAuditEntries(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries.map((entry, index) => {
    const parsed = AuditEntry.safeParse(entry);
    if (!parsed.success) throw ValidationError.fromZod(`audit entry at index ${index} of the batch`, parsed.error);
    return parsed.data;
  });
}

/**
 * The page size asked for, checked.
 * @throws RangeError when `limit` is not a whole number from 1 to {@link maxAuditPageSize}
 */
export function auditPageLimit(page: { readonly limit: number }): number {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxAuditPageSize) {
    throw new RangeError(`An audit page holds 1 to ${maxAuditPageSize} entries; limit ${page.limit} is outside`);
  }
  return page.limit;
}

/**
 * A key that sorts, as a plain string, in the order of the instants. Instants may be written with
 * any number of fractional digits (`…09:00:00Z`, `…09:00:00.000Z`, `…09:00:00.5Z`), so comparing
 * them as written would put `09:00:00.000Z` before `09:00:00Z` and lose entries at a bound. The key
 * drops the `Z` and the fraction's trailing zeros: equal instants get equal keys, and a shorter key
 * that is a prefix of a longer one is the earlier instant. Exact at any precision, unlike a `Date`.
 * @throws RangeError when `instant` is not an ISO instant in UTC (`YYYY-MM-DDTHH:MM:SS[.fff…]Z`)
 */
export function auditInstantKey(instant: string, what = 'instant'): string {
  if (!Instant.safeParse(instant).success) {
    throw new RangeError(`${what} must be an ISO instant in UTC such as 2026-01-05T09:00:00.000Z; got '${instant}'`);
  }
  // The schema fixes the first 19 characters (date and time to the second) and ends with `Z`.
  const seconds = instant.slice(0, 19);
  const fraction = instant.slice(20, -1).replace(/0+$/, '');
  return fraction === '' ? seconds : `${seconds}.${fraction}`;
}

/** The time bounds of a filter as instant keys (inclusive), checked. */
export interface AuditTimeBounds {
  readonly fromKey: string | undefined;
  readonly toKey: string | undefined;
}

/**
 * The filter's `from` and `to`, as keys comparable with {@link auditInstantKey} of an entry's `at`.
 * @throws RangeError when a bound is not an ISO instant in UTC
 */
export function auditTimeBounds(filter: AuditFilter): AuditTimeBounds {
  return {
    fromKey: filter.from === undefined ? undefined : auditInstantKey(filter.from, 'from'),
    toKey: filter.to === undefined ? undefined : auditInstantKey(filter.to, 'to'),
  };
}
