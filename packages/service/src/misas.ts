/**
 * `createMisas`: the secured entry point an application embeds. It owns the command handler and
 * the read models it needs, and hands out one session per authenticated principal.
 */
import {
  CaseCommandHandler,
  defaultPolicies,
  Principal,
  systemClock,
  ulidGenerator,
  ValidationError,
  type Clock,
  type IdGenerator,
  type MisasStorage,
  type PolicyProvider,
  type PrincipalInput,
  type UpcasterRegistry,
} from '@misas/core';
import { caseloadProjection, caseRegisterProjection, catchUpAll, detectorViewProjection, type Projection } from '@misas/projections';
import type { ServiceContext } from './context.ts';
import { MisasSession } from './session.ts';

/** What `Misas` is built from: the storage, and optionally the clock, ids, the funds' policies. */
export interface MisasOptions {
  readonly storage: MisasStorage;
  /** Defaults to the system clock; inject a `VirtualClock` for simulations. */
  readonly clock?: Clock;
  /** Defaults to ULIDs from the clock; inject `seededUlidGenerator` for reproducible runs. */
  readonly ids?: IdGenerator;
  /** Defaults to the seeds' rules for every fund. */
  readonly policies?: PolicyProvider;
  readonly upcasters?: UpcasterRegistry;
  /** Secret (32 characters or more) behind the evaluation extract's pseudonyms; keep it out of the data's reach. */
  readonly pseudonymKey?: string;
}

/** The library, secured: `as(principal)` gives the session every command and query goes through. */
export class Misas {
  /** The handler without access control, for the library's own processes (the scheduler). */
  readonly handler: CaseCommandHandler;
  /** The read models the sessions query, kept up to date before each query. */
  readonly projections: readonly Projection[];
  readonly #context: ServiceContext;
  readonly #upcasters: UpcasterRegistry | undefined;

  constructor(options: MisasOptions) {
    const clock = options.clock ?? systemClock;
    const ids = options.ids ?? ulidGenerator(clock);
    const policies = options.policies ?? defaultPolicies;
    this.#upcasters = options.upcasters;
    this.handler = new CaseCommandHandler({
      store: options.storage.events,
      vault: options.storage.vault,
      snapshots: options.storage.snapshots,
      clock,
      ids,
      policies,
      ...(options.upcasters ? { upcasters: options.upcasters } : {}),
    });
    this.projections = [caseRegisterProjection(), caseloadProjection(), detectorViewProjection()];
    this.#context = { storage: options.storage, handler: this.handler, clock, ids, policies, pseudonymKey: options.pseudonymKey };
  }

  /**
   * A session for one authenticated principal.
   * @throws ValidationError when the principal does not match its schema
   */
  as(principal: PrincipalInput): MisasSession {
    const parsed = Principal.safeParse(principal);
    if (!parsed.success) throw ValidationError.fromZod('principal', parsed.error);
    return new MisasSession(parsed.data, this.#context, () => this.refresh());
  }

  /** Brings the read models up to date with the log: one read and one decode of each page for all of them. */
  async refresh(): Promise<void> {
    const { storage } = this.#context;
    await catchUpAll(storage.events, storage.projections, this.projections, this.#upcasters ? { upcasters: this.#upcasters } : {});
  }
}

/** Creates the secured entry point over a storage. */
export function createMisas(options: MisasOptions): Misas {
  return new Misas(options);
}
