/**
 * An event store held in memory: for tests, examples and simulations that need no file.
 * It keeps the same guarantees as the durable stores and runs the same conformance suite.
 */
import { ConcurrencyError, MisasError } from '../errors.ts';
import { appendFingerprint, assertSameCommand } from '../application/command-fingerprint.ts';
import type { ProjectionTransaction } from '../application/ports/projection-store.ts';
import type { PersonalDataVault } from '../application/ports/personal-data-vault.ts';
import type { InMemoryProjectionStore } from './memory-projection-store.ts';
import type { InMemoryVault } from './memory-vault.ts';
import { validatedAppend } from '../application/validate-append.ts';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ReadAllOptions,
  StoredEvent,
} from '../application/ports/event-store.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Checks that a request is well-formed before anything is touched, so a bad append changes
 * nothing: the versions, command id and fingerprint agree with the request, and every event
 * matches its full schema (`validatedAppend`). Returns the request as it is to be stored (each
 * event as its schema reads it): a store that writes it may claim `validatedOnWrite`.
 * @throws MisasError `invalid-append` for a request that does not hold together
 * @throws ValidationError for an event that does not match its schema
 */
export function assertWellFormedAppend(request: AppendRequest): AppendRequest {
  if (!Number.isInteger(request.expectedVersion) || request.expectedVersion < 0) {
    throw new MisasError('invalid-append', `expectedVersion must be a whole number ≥ 0, got ${request.expectedVersion}`);
  }
  if (request.events.length === 0) throw new MisasError('invalid-append', 'an append needs at least one event');
  // The schemas first: the checks below read the metadata, which must be what it claims to be.
  const checked = validatedAppend(request);
  checked.events.forEach((event, index) => {
    const where = `event ${index} (${event.type})`;
    if (event.meta.caseId !== request.streamId) {
      throw new MisasError('invalid-append', `${where}: meta.caseId ${event.meta.caseId} is not stream ${request.streamId}`);
    }
    if (event.meta.version !== request.expectedVersion + index + 1) {
      throw new MisasError(
        'invalid-append',
        `${where}: meta.version ${event.meta.version}, expected ${request.expectedVersion + index + 1}`,
      );
    }
    if (event.meta.commandId !== request.commandId) {
      throw new MisasError('invalid-append', `${where}: meta.commandId is not the request's commandId`);
    }
    if (event.meta.commandFingerprint !== checked.events[0]?.meta.commandFingerprint) {
      throw new MisasError('invalid-append', `${where}: meta.commandFingerprint differs from the first event's (one command, one fingerprint)`);
    }
  });
  return checked;
}

export class InMemoryEventStore implements EventStore {
  /** Every event went through `assertWellFormedAppend`, its full schema included, and nothing else writes the log. */
  readonly validatedOnWrite = true;
  readonly #log: StoredEvent[] = [];
  readonly #streams = new Map<string, StoredEvent[]>();
  readonly #byCommand = new Map<string, StoredEvent[]>();
  readonly #eventIds = new Set<string>();
  readonly #projections: InMemoryProjectionStore | undefined;
  readonly #vault: InMemoryVault | undefined;

  /**
   * @param options.projections the read models that `appendWith` updates in the same transaction
   * @param options.vault the vault that an append's `vaultPuts` are written to, with the events
   */
  constructor(options: { readonly projections?: InMemoryProjectionStore; readonly vault?: InMemoryVault } = {}) {
    this.#projections = options.projections;
    this.#vault = options.vault;
  }

  commitsWithVault(vault: PersonalDataVault): boolean {
    return this.#vault !== undefined && vault === this.#vault;
  }

  async append(given: AppendRequest): Promise<AppendResult> {
    const request = assertWellFormedAppend(given);
    return this.#duplicateOf(request) ?? this.#commit(request);
  }

  async appendWith(given: AppendRequest, alongside: (tx: ProjectionTransaction) => Promise<void>): Promise<AppendResult> {
    const request = assertWellFormedAppend(given);
    const projections = this.#projections;
    if (!projections) {
      throw new MisasError('inline-unsupported', 'this InMemoryEventStore has no projection store: build it with createInMemoryStorage()');
    }
    const duplicate = this.#duplicateOf(request);
    if (duplicate) return duplicate;
    return projections.transaction(async (tx) => {
      this.#assertVersion(request);
      await alongside(tx);
      // Nothing else may have slipped in while `alongside` ran; if it did, throwing rolls it back.
      if (this.#duplicateOf(request)) throw new ConcurrencyError(request.streamId, request.expectedVersion, this.#versionOf(request.streamId));
      return this.#commit(request);
    });
  }

  /**
   * The earlier result when this command or these event ids are already stored.
   * @throws CommandIdReusedError when the command id is stored with another command's fingerprint
   */
  #duplicateOf(request: AppendRequest): AppendResult | undefined {
    const stream = this.#streams.get(request.streamId) ?? [];
    const earlier = this.#byCommand.get(commandKey(request));
    if (earlier) {
      // A command id comes back: a retry of the same command is a duplicate, another command is refused.
      assertSameCommand({ caseId: request.streamId, commandId: request.commandId, fingerprint: appendFingerprint(request) }, earlier);
      return { status: 'duplicate', events: earlier, streamVersion: stream.length };
    }
    const knownIds = request.events.filter((event) => this.#eventIds.has(event.meta.eventId)).length;
    if (knownIds === request.events.length) {
      const ids = new Set(request.events.map((event) => event.meta.eventId));
      const events = stream.filter((e) => ids.has(eventIdOf(e)));
      // Only a retry into the same stream is a duplicate: answering one for another stream's events would drop this command silently.
      if (events.length !== request.events.length) throw new MisasError('duplicate-event-id', 'these event ids are already stored in another stream: a retry carries its own events, so event ids must be unique across the log (check the id generator and its seed)');
      return { status: 'duplicate', events, streamVersion: stream.length };
    }
    if (knownIds > 0) throw new MisasError('duplicate-event-id', 'some of these event ids are already stored, not all');
    return undefined;
  }

  #versionOf(streamId: string): number {
    return this.#streams.get(streamId)?.length ?? 0;
  }

  #assertVersion(request: AppendRequest): void {
    const actual = this.#versionOf(request.streamId);
    if (actual !== request.expectedVersion) throw new ConcurrencyError(request.streamId, request.expectedVersion, actual);
  }

  #commit(request: AppendRequest): AppendResult {
    this.#assertVersion(request);
    const stream = this.#streams.get(request.streamId) ?? [];
    // JSON round trip: what is stored is exactly what a durable store would give back.
    const stored = request.events.map((event, index) =>
      deepFreeze({
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        meta: JSON.parse(JSON.stringify(event.meta)) as unknown,
        position: this.#log.length + index + 1,
      }),
    );
    // Last of what may throw, first of what is written: the entries go with the events or not at all.
    if (request.vaultPuts && request.vaultPuts.length > 0) {
      if (!this.#vault) throw new MisasError('vault-unsupported', 'this InMemoryEventStore has no vault for vaultPuts: build it with createInMemoryStorage()');
      this.#vault.putAll(request.vaultPuts);
    }
    this.#log.push(...stored);
    this.#streams.set(request.streamId, [...stream, ...stored]);
    this.#byCommand.set(commandKey(request), stored);
    for (const event of request.events) this.#eventIds.add(event.meta.eventId);
    return { status: 'appended', events: stored, streamVersion: stream.length + stored.length };
  }

  async readStream(streamId: string, options: { readonly fromVersion?: number } = {}): Promise<readonly StoredEvent[]> {
    const stream = this.#streams.get(streamId) ?? [];
    const from = options.fromVersion ?? 1;
    return from <= 1 ? [...stream] : stream.slice(from - 1);
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly StoredEvent[]> {
    const after = options.after ?? 0;
    const end = options.limit === undefined ? undefined : after + options.limit;
    return this.#log.slice(after, end);
  }

  async headPosition(): Promise<number> {
    return this.#log.length;
  }
}

function commandKey(request: AppendRequest): string {
  return `${request.streamId}\u0000${request.commandId}`;
}

function eventIdOf(event: StoredEvent): string {
  const meta = event.meta as { eventId?: unknown };
  return typeof meta.eventId === 'string' ? meta.eventId : '';
}
