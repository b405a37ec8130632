/**
 * The command handler: validate → load → seal personal data → decide → append with the personal
 * data (or, for a vault in another database, write the vault then append), retrying on a
 * concurrency conflict. It is the only place where the domain meets the ports.
 */
import { CaseCommand, type CaseCommandInput } from '../domain/commands.ts';
import { decodeEvent } from '../domain/events/decode.ts';
import type { CaseEvent } from '../domain/events/recorded.ts';
import type { UpcasterRegistry } from '../domain/events/upcasters.ts';
import { caseFileOf, statusOf, type CaseState } from '../domain/lifecycle/case-state.ts';
import { decide } from '../domain/lifecycle/decide.ts';
import { replay } from '../domain/lifecycle/evolve.ts';
import { AccessDeniedError, CommandRejectedError, ConcurrencyError, MisasError, ValidationError } from '../errors.ts';
import { authorizeCommand } from './access/authorize.ts';
import { runShreds, undoPuts, writePutsFirst } from './apply-vault-writes.ts';
import { Principal, type PrincipalInput } from './access/principal.ts';
import { caseIdTaken, isOwnFilingRetry } from './access/refiling.ts';
import { loadCase, readCaseEvents, type LoadedCase } from './case-repository.ts';
import { CaseStateCache, type CachedCase } from './case-state-cache.ts';
import { assertSameCommand, commandFingerprint } from './command-fingerprint.ts';
import { assertSamePersonalData } from './personal-data-retry.ts';
import { defaultPolicies, type PolicyProvider } from './policy-provider.ts';
import type { Clock } from './ports/clock.ts';
import { systemClock } from './ports/clock.ts';
import type { CaseSnapshotStore } from './ports/case-snapshot-store.ts';
import type { AppendRequest, EventStore } from './ports/event-store.ts';
import type { ProjectionTransaction } from './ports/projection-store.ts';
import { ulidGenerator, type IdGenerator } from './ports/id-generator.ts';
import type { PersonalDataVault } from './ports/personal-data-vault.ts';
import { eventCheckOf } from './read-check.ts';
import { checkRetryBackoff, defaultMaxAttempts, waitBeforeRetry, type RetryBackoff } from './retry-backoff.ts';
import { sealPersonalData, vaultPutsOf } from './seal-personal-data.ts';
import { SnapshotKeeper } from './snapshot-keeper.ts';
import { stampEvents } from './stamp-events.ts';

/** What the handler is built from. Only the store and the vault are required. */
export interface CommandHandlerOptions {
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  /** Defaults to the system clock; inject a `VirtualClock` for tests and simulations. */
  readonly clock?: Clock;
  /** Defaults to ULIDs from the clock; inject `seededUlidGenerator` for reproducible runs. */
  readonly ids?: IdGenerator;
  /** Defaults to the seeds' rules for every fund. */
  readonly policies?: PolicyProvider;
  readonly upcasters?: UpcasterRegistry;
  /** How many times to try a command that meets a concurrent writer (default {@link defaultMaxAttempts}). */
  readonly maxAttempts?: number;
  /**
   * How long to wait between those attempts: exponential backoff with full jitter (see
   * `RetryBackoff`; defaults `defaultRetryBackoff`). Inject `random` and `sleep` for reproducible tests.
   */
  readonly backoff?: RetryBackoff;
  /**
   * How many case states to keep between commands (default 10,000; 0 keeps none). A command on a
   * case kept here reads only the events appended since — usually none — instead of replaying the
   * whole stream; the store's expected-version check still guards every append, so another
   * writer's events are folded in, never overwritten. Least recently used cases go first.
   */
  readonly cachedCases?: number;
  /**
   * Inline projections: run in the same transaction as every append, with the case's whole stream
   * (the events before and the ones appended), so that read models are never behind a write.
   * Needs a store with `appendWith` (in memory, SQLite, PostgreSQL). `inlineProjector` from
   * `@misas/projections` builds one from projections.
   */
  readonly inline?: InlineProjector;
  /** Where to keep snapshots of long cases (`MisasStorage.snapshots`); a cold load starts from one (see `SnapshotKeeper`). */
  readonly snapshots?: CaseSnapshotStore | undefined;
  /** A snapshot each time a case passes a multiple of this many events (default 100; 0: none written or read). */
  readonly snapshotEvery?: number;
}

/** Work done against the read models in the same transaction as an append. */
export type InlineProjector = (tx: ProjectionTransaction, caseEvents: readonly CaseEvent[]) => Promise<void>;

/** Options of one `execute`. */
export interface ExecuteOptions {
  /**
   * Who sends the command. When given, `authorizeCommand` decides — against the case as loaded,
   * before anything else — whether this principal may send it; the command's actor must be them.
   * Leave it out only for trusted processes (the scheduler, imports, tests).
   */
  readonly principal?: PrincipalInput;
}

/** The result of a command that was accepted. */
export interface CommandResult {
  readonly caseId: string;
  /** `duplicate` when this command id was already applied: nothing new was written. */
  readonly outcome: 'applied' | 'duplicate';
  /** The events this command produced (the earlier ones, for a duplicate). */
  readonly events: readonly CaseEvent[];
  /** The case after the command. */
  readonly state: CaseState;
  /** The case's step after the command, e.g. `contact.reached`. */
  readonly status: string;
}

/** Runs commands against cases. */
export class CaseCommandHandler {
  readonly #store: EventStore;
  readonly #vault: PersonalDataVault;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #policies: PolicyProvider;
  readonly #upcasters: UpcasterRegistry | undefined;
  readonly #maxAttempts: number;
  readonly #backoff: RetryBackoff;
  readonly #inline: InlineProjector | undefined;
  readonly #cache: CaseStateCache;
  readonly #snapshots: SnapshotKeeper;

  constructor(options: CommandHandlerOptions) {
    if (options.inline && !options.store.appendWith) {
      throw new MisasError('inline-unsupported', 'inline projections need an event store with appendWith (in memory, SQLite or PostgreSQL storage)');
    }
    this.#inline = options.inline;
    this.#store = options.store;
    this.#vault = options.vault;
    this.#clock = options.clock ?? systemClock;
    this.#ids = options.ids ?? ulidGenerator(this.#clock);
    this.#policies = options.policies ?? defaultPolicies;
    this.#upcasters = options.upcasters;
    this.#maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
    this.#backoff = options.backoff ?? {};
    checkRetryBackoff(this.#backoff, this.#maxAttempts);
    this.#cache = new CaseStateCache(options.cachedCases ?? 10_000);
    this.#snapshots = new SnapshotKeeper(options.snapshots, options.snapshotEvery);
  }

  /**
   * Validates and runs one command.
   * @throws ValidationError when the input (or the principal) does not match its schema (names each field and rule)
   * @throws AccessDeniedError when a principal is given and may not send this command to this case
   * @throws CommandRejectedError when the lifecycle or a business rule refuses it
   * @throws CommandIdReusedError when the case already holds this command id from a different command
   * @throws ConcurrencyError when other writers won every attempt
   */
  async execute(input: CaseCommandInput, options: ExecuteOptions = {}): Promise<CommandResult> {
    const parsed = CaseCommand.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod('command', parsed.error);
    const command = parsed.data;
    const fingerprint = commandFingerprint(command);
    const principal = options.principal === undefined ? undefined : Principal.safeParse(options.principal);
    if (principal && !principal.success) throw ValidationError.fromZod('principal', principal.error);

    let lastConflict: ConcurrencyError | undefined;
    let conflicts = 0;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const { entry, kept } = await this.#current(command.caseId);
      let current = entry;
      if (principal) {
        // Decided on the case as loaded: should it change hands meanwhile, the append conflicts and this runs again.
        const access = authorizeCommand(principal.data, command, caseFileOf(current.state));
        if (!access.allowed) {
          throw new AccessDeniedError({ role: principal.data.role, action: command.type, rule: access.rule, reason: access.reason, caseId: command.caseId });
        }
      }
      if (current.commandIds.has(command.commandId)) {
        const loaded = await this.load(command.caseId);
        const earlier = loaded.events.filter((event) => event.meta.commandId === command.commandId);
        current = this.#remember(command.caseId, loaded);
        if (earlier.length > 0) {
          this.#refuseRefiling(principal?.data, command, earlier);
          // The same id for another command is refused here, before any vault write; a retry is answered from the stream.
          assertSameCommand({ caseId: command.caseId, commandId: command.commandId, fingerprint }, earlier);
          await assertSamePersonalData(command, earlier, caseFileOf(loaded.state), this.#vault);
          return this.#result(command.caseId, 'duplicate', earlier, loaded.state);
        }
        // Only a kept state can name a command the store does not hold (its write was rolled back): go on from the stream.
      }
      // A referral filed under a taken id gets one answer, which names neither the state nor the fund
      // (a kept state is checked once more on the stream, as a refusal below is).
      if (principal && command.type === 'ReceiveReferral' && current.state.version > 0) {
        if (kept && attempt < this.#maxAttempts) {
          this.#cache.delete(command.caseId);
          continue;
        }
        throw caseIdTaken(principal.data, command.caseId);
      }

      const { state } = current;
      const file = caseFileOf(state);
      const policy = this.#policies(command.type === 'ReceiveReferral' ? command.data.fundId : (file.fundId ?? ''));
      const newId = () => this.#ids.next();
      const { sealed, writes } = sealPersonalData(command, file, newId);
      const decision = decide(state, sealed, { now: this.#clock.now(), policy, newId });
      if (!decision.ok) {
        // A kept state is as fresh as the log, unless a write batch it came from was rolled back:
        // before refusing, decide once more on the stream itself.
        if (kept && attempt < this.#maxAttempts) {
          this.#cache.delete(command.caseId);
          continue;
        }
        throw new CommandRejectedError({
          caseId: command.caseId,
          state: statusOf(state),
          command: command.type,
          rule: decision.rule,
          reason: decision.reason,
        });
      }

      // A store that writes this vault in the append's own transaction gets the personal data with
      // the events: both are stored, or neither. Elsewhere the vault is written first (see `writePutsFirst`).
      const atomic = this.#store.commitsWithVault?.(this.#vault) === true;
      if (!atomic) await writePutsFirst(this.#vault, writes);
      const stampedAt = { fromVersion: state.version, occurredAt: decision.occurredAt, recordedAt: this.#clock.now().toISOString(), newId };
      const toAppend = stampEvents(decision.events, stampedAt, { ...command, fingerprint });
      try {
        const request: AppendRequest = {
          streamId: command.caseId,
          expectedVersion: state.version,
          commandId: command.commandId,
          events: toAppend,
          ...(atomic ? { vaultPuts: vaultPutsOf(writes) } : {}),
        };
        const inline = this.#inline;
        const appended =
          inline && this.#store.appendWith
            ? await this.#store.appendWith(request, async (tx) => {
                // Inline projections are given the whole stream, so that they can catch a case up (see `InlineProjector`).
                // Read inside the append's transaction, which already holds the new events: keep those from `toAppend`.
                const stream = await readCaseEvents(this.#store, command.caseId, { upcasters: this.#upcasters });
                const before = stream.filter((event) => event.meta.version <= state.version);
                await inline(tx, [...before, ...toAppend.map((event) => decodeEvent(event, this.#upcasters))]);
              })
            : await this.#store.append(request);
        // Validated by the store on the way in (when it says so): the envelope check is enough.
        const events = appended.events.map((record) => decodeEvent(record, this.#upcasters, eventCheckOf(this.#store)));
        if (appended.status === 'duplicate') {
          // Another writer filed this command id first: unless it was this principal's own filing,
          // that is a taken id (thrown before the undo here: the catch below undoes).
          this.#refuseRefiling(principal?.data, command, events);
          // The store compared fingerprints; the personal data they leave out is compared here (the
          // case's subject is the one decided on: a command id on this case came after its referral).
          await assertSamePersonalData(command, events, file, this.#vault);
          if (!atomic) await undoPuts(this.#vault, writes);
          const loaded = await this.load(command.caseId);
          this.#remember(command.caseId, loaded);
          return this.#result(command.caseId, 'duplicate', events, loaded.state);
        }
        await runShreds(this.#vault, writes);
        // The machine does not read event metadata, so the state decide reached is the replayed one.
        const after = decision.state;
        const commandIds = new Set(current.commandIds).add(command.commandId);
        this.#cache.set(command.caseId, { state: after, commandIds });
        await this.#snapshots.afterAppend(command.caseId, state.version, after, events, commandIds);
        return this.#result(command.caseId, 'applied', events, after);
      } catch (error) {
        // Another writer moved the case on: the kept state is still true up to its version, and the
        // next attempt folds in only the events appended since (replaying a long, busy stream on
        // every conflict is what made writers of one case collide again). Anything else, or a
        // store behind the kept state (a rolled-back write batch), and the case is read afresh.
        const overtaken = error instanceof ConcurrencyError && error.actualVersion > state.version;
        if (!overtaken) this.#cache.delete(command.caseId);
        // Whatever failed, the vault must not keep data that no event refers to (an atomic append wrote none).
        if (!atomic) await undoPuts(this.#vault, writes);
        if (!(error instanceof ConcurrencyError)) throw error;
        lastConflict = error;
        conflicts++;
        // Another writer got there first: wait a random while, growing with each conflict, so that
        // the writers of a busy case stop colliding in lockstep.
        if (attempt < this.#maxAttempts) await waitBeforeRetry(conflicts, this.#backoff);
      }
    }
    throw lastConflict ?? new Error('unreachable: no attempt was made');
  }

  /**
   * The case as it stands: the kept state with the events appended since folded in, or the
   * whole stream replayed when the case is not kept.
   */
  async #current(caseId: string): Promise<{ readonly entry: CachedCase; readonly kept: boolean }> {
    const kept = this.#cache.get(caseId);
    if (kept === undefined) return { entry: this.#remember(caseId, await this.#snapshots.load(this.#store, caseId, this.#upcasters)), kept: false };
    const newer = await readCaseEvents(this.#store, caseId, { fromVersion: kept.state.version + 1, upcasters: this.#upcasters });
    if (newer.length === 0) return { entry: kept, kept: true };
    const commandIds = new Set(kept.commandIds);
    for (const event of newer) commandIds.add(event.meta.commandId);
    const refreshed = { state: replay(newer, kept.state), commandIds };
    this.#cache.set(caseId, refreshed);
    return { entry: refreshed, kept: true };
  }

  /** A duplicate of a `ReceiveReferral` sent with a principal is theirs to see only if it is their own filing, in their fund. */
  #refuseRefiling(principal: Principal | undefined, command: CaseCommand, earlier: readonly CaseEvent[]): void {
    if (principal && command.type === 'ReceiveReferral' && !isOwnFilingRetry(principal, command, earlier)) throw caseIdTaken(principal, command.caseId);
  }

  #remember(caseId: string, loaded: LoadedCase): CachedCase {
    const entry = { state: loaded.state, commandIds: new Set([...(loaded.commandIdsBefore ?? []), ...loaded.events.map((event) => event.meta.commandId)]) };
    this.#cache.set(caseId, entry);
    return entry;
  }

  /** Loads a case (state and decoded events). */
  load(caseId: string): Promise<LoadedCase> {
    return loadCase(this.#store, caseId, { upcasters: this.#upcasters });
  }

  #result(caseId: string, outcome: 'applied' | 'duplicate', events: readonly CaseEvent[], state: CaseState): CommandResult {
    return { caseId, outcome, events, state, status: statusOf(state) };
  }
}
