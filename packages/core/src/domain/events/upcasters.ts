/**
 * Upcasters turn a payload written under an older schema version into the next version, on read.
 * The log itself is never rewritten: old events stay as they were stored.
 */
import { ReplayError } from '../../errors.ts';
import { eventDefinition } from './catalogue.ts';

/** Turns the payload of `type` at `fromVersion` into the payload at `fromVersion + 1`. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  /** Receives unvalidated data of the old version; what it returns is validated by the next step. */
  upcast(data: unknown): unknown;
}

/** Reads an old payload's field without trusting its shape. */
function field(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
}

/** The upcasters of the events this library has changed. */
export const builtInUpcasters: readonly Upcaster[] = [
  {
    // v1 only counted minutes; v2 says what the time was spent on. Old entries become 'unspecified'.
    type: 'TimeSpentLogged',
    fromVersion: 1,
    upcast: (data) => ({ minutes: field(data, 'minutes'), activity: 'unspecified' }),
  },
  {
    // v1 consent covered the accompaniment only: no partner was named for sharing.
    type: 'ConsentRecorded',
    fromVersion: 1,
    upcast: (data) => ({ decision: field(data, 'decision'), mode: field(data, 'mode'), sharingWith: [] }),
  },
  {
    // v1 attempts were made during contact, always by the counsellor; no note could go with them.
    type: 'ContactAttempted',
    fromVersion: 1,
    upcast: (data) => ({
      channel: field(data, 'channel'),
      direction: 'outgoing',
      reached: field(data, 'reached'),
      attempt: field(data, 'attempt'),
      failedAttempts: field(data, 'failedAttempts'),
    }),
  },
  {
    // v1 knew "started" (sent at triage) and "ended" (also sent for a referral declined or
    // redirected): what that detector was told then, and v2 reads it as such. Its notices are a
    // subset of v2's, so the payload is kept as written; only its meaning is dated by the version.
    type: 'DetectorNotificationRequested',
    fromVersion: 1,
    upcast: (data) => ({ notice: field(data, 'notice'), detectorKind: field(data, 'detectorKind') }),
  },
  {
    // v1 redirections handed the referral to the social service without tracking it: there is no
    // hand-off to follow, and none is invented (it would need an id and a date never recorded).
    type: 'ReferralRedirected',
    fromVersion: 1,
    upcast: (data) => ({ to: field(data, 'to'), automatic: field(data, 'automatic'), handOff: null }),
  },
];

/** The upcasters in force: built-in ones plus any a user registers for their own evolutions. */
export class UpcasterRegistry {
  readonly #byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = builtInUpcasters) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  /** Adds an upcaster; two for the same type and version are a configuration error. */
  register(upcaster: Upcaster): this {
    const key = `${upcaster.type}@${upcaster.fromVersion}`;
    if (this.#byKey.has(key)) throw new Error(`An upcaster for ${key} is already registered`);
    this.#byKey.set(key, upcaster);
    return this;
  }

  /**
   * Brings `data` from `version` up to the current schema version of `type`.
   * A payload from a newer library than this one is refused rather than guessed at.
   */
  upcast(type: string, version: number, data: unknown, where: { streamId: string; version: number }): unknown {
    const definition = eventDefinition(type);
    if (!definition) throw new ReplayError(where.streamId, where.version, `unknown event type '${type}'`);
    if (version > definition.schemaVersion) {
      throw new ReplayError(
        where.streamId,
        where.version,
        `${type} was written with schema v${version}, newer than this library's v${definition.schemaVersion}: upgrade the library`,
      );
    }
    let current = data;
    for (let from = version; from < definition.schemaVersion; from++) {
      const upcaster = this.#byKey.get(`${type}@${from}`);
      if (!upcaster) {
        throw new ReplayError(where.streamId, where.version, `no upcaster registered for ${type} v${from}`);
      }
      current = upcaster.upcast(current);
    }
    return current;
  }
}
