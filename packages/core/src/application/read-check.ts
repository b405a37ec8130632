/**
 * How deep the events read from a store are checked, and verify mode, which makes every read run
 * the full schemas again (after restoring a backup, or when the database may have been tampered
 * with; `misas verify` checks a whole store once).
 */
import type { EventCheck } from '../domain/events/decode.ts';
import type { EventStore } from './ports/event-store.ts';
import type { MisasStorage } from './ports/storage.ts';

/**
 * `envelope` for a store that claims it validated every event on write
 * (`validatedOnWrite === true`), `full` for any other: a store written by a third party gets the
 * full schemas unless it says otherwise.
 */
export function eventCheckOf(store: EventStore): EventCheck {
  return store.validatedOnWrite === true ? 'envelope' : 'full';
}

/**
 * The same event store, whose reads are checked against the full schemas (`validatedOnWrite`
 * answers false). Everything else — its methods, `commitsWithVault`, whatever a later version of
 * the port adds — is the store's own: the methods run on the store itself.
 */
export function fullyCheckedReads(store: EventStore): EventStore {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (property === 'validatedOnWrite') return false;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // Bound once per method: a store with private fields needs them called on itself.
      if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(property);
    },
  });
}

/** The same storage in verify mode: its event store's reads run the full schemas (see {@link fullyCheckedReads}). */
export function fullyCheckedStorage<S extends MisasStorage>(storage: S): S {
  return { ...storage, events: fullyCheckedReads(storage.events) };
}
