/**
 * Case snapshots held in memory, with the guarantees of the durable stores: one per stream, never
 * replaced by an older one, each read a fresh copy (a caller cannot change what is kept).
 */
import type { CaseSnapshotStore, StoredCaseSnapshot } from '../application/ports/case-snapshot-store.ts';

/** The in-memory `CaseSnapshotStore`. */
export class InMemoryCaseSnapshotStore implements CaseSnapshotStore {
  // The data kept as JSON, as the durable stores keep it: what comes back is what a database would give.
  readonly #byStream = new Map<string, { readonly version: number; readonly eventId: string; readonly json: string }>();

  async read(streamId: string): Promise<StoredCaseSnapshot | undefined> {
    const kept = this.#byStream.get(streamId);
    return kept === undefined ? undefined : { streamId, version: kept.version, eventId: kept.eventId, data: JSON.parse(kept.json) };
  }

  async write(snapshot: StoredCaseSnapshot): Promise<void> {
    const kept = this.#byStream.get(snapshot.streamId);
    if (kept !== undefined && kept.version > snapshot.version) return;
    this.#byStream.set(snapshot.streamId, { version: snapshot.version, eventId: snapshot.eventId, json: JSON.stringify(snapshot.data) });
  }

  async delete(streamId: string): Promise<void> {
    this.#byStream.delete(streamId);
  }

  /** Every snapshot kept, as stored (JSON): for tests that look for what a snapshot must not hold. */
  rawRows(): readonly string[] {
    return [...this.#byStream.entries()].map(([streamId, kept]) => JSON.stringify({ streamId, ...kept }));
  }
}
