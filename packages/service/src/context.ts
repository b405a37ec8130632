/**
 * What the service's queries and rights work from: the storage, the trusted command handler, and
 * the injected clock, ids and policies.
 */
import type { CaseCommandHandler, Clock, IdGenerator, MisasStorage, PolicyProvider } from '@misas/core';

/** What every query and command of a session uses: the storage, the handler, the clock and ids. */
export interface ServiceContext {
  readonly storage: MisasStorage;
  /** The handler without a principal: the service authorises before calling it. */
  readonly handler: CaseCommandHandler;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly policies: PolicyProvider;
  /** The secret behind the evaluation extract's pseudonyms; the extract is refused without it. */
  readonly pseudonymKey: string | undefined;
}
