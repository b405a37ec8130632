/**
 * The audit trail in memory, with the same filters, paging and purge rules as the durable ones.
 */
import { auditInstantKey, auditPageLimit, auditTimeBounds, validAuditEntries } from '../application/audit-trail-rules.ts';
import type { AuditEntry, AuditFilter, AuditPage, AuditTrail } from '../application/ports/audit-trail.ts';

interface Row {
  readonly entry: AuditEntry;
  /** `at` as a key that sorts in time order whatever its precision (see `auditInstantKey`). */
  readonly atKey: string;
}

/** `AuditTrail` in memory; see the port for the guarantees. */
export class InMemoryAuditTrail implements AuditTrail {
  readonly #rows = new Map<string, Row>();

  async record(entries: readonly AuditEntry[]): Promise<void> {
    // Everything is validated before the first write: a bad entry leaves the trail as it was.
    const valid = validAuditEntries(entries);
    for (const entry of valid) {
      if (this.#rows.has(entry.id)) continue;
      this.#rows.set(entry.id, { entry, atKey: auditInstantKey(entry.at) });
    }
  }

  async query(filter: AuditFilter, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage> {
    const limit = auditPageLimit(page);
    const { fromKey, toKey } = auditTimeBounds(filter);
    const after = page.after ?? undefined;
    const matching = [...this.#rows.values()]
      .filter(({ entry, atKey }) => {
        if (after !== undefined && entry.id <= after) return false;
        if (filter.fundId !== undefined && entry.fundId !== filter.fundId) return false;
        if (filter.caseId !== undefined && entry.caseId !== filter.caseId) return false;
        if (filter.subjectRef !== undefined && entry.subjectRef !== filter.subjectRef) return false;
        if (filter.principalId !== undefined && entry.principal.id !== filter.principalId) return false;
        if (fromKey !== undefined && atKey < fromKey) return false;
        if (toKey !== undefined && atKey > toKey) return false;
        return filter.personalDataOnly !== true || entry.personalData;
      })
      .map(({ entry }) => entry)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const entries = matching.slice(0, limit).map((entry) => structuredClone(entry));
    const last = entries.at(-1);
    return { entries, next: matching.length > limit && last !== undefined ? last.id : null };
  }

  async purgeBefore(before: string): Promise<number> {
    const beforeKey = auditInstantKey(before, 'before');
    let purged = 0;
    for (const [id, row] of this.#rows) {
      if (row.atKey < beforeKey) {
        this.#rows.delete(id);
        purged += 1;
      }
    }
    return purged;
  }
}
