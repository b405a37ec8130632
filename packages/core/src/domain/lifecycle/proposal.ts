/**
 * The shape of a proposer: what one command proposes to append, given the case and the context,
 * before the lifecycle and the rules judge it. `decide` holds one per command.
 */
import type { DomainEvent } from '../events/catalogue.ts';
import type { FundPolicy } from '../policy.ts';
import type { CaseFile } from './case-file.ts';
import type { DecidableCommand, DecidableOf } from './sealed-command.ts';

/** What a proposer reads: the command, the case, its step, the policy, the day and fresh ids. */
export interface ProposalInput<T extends DecidableCommand['type']> {
  readonly command: DecidableOf<T>;
  readonly file: CaseFile;
  /** The case's step (`triage`, `contact.reached`…) and whether it is open. */
  readonly step: string;
  readonly open: boolean;
  readonly policy: FundPolicy;
  readonly today: string;
  readonly newId: () => string;
}

/** The events one command proposes, before the lifecycle and the rules judge them. */
export type Proposer<T extends DecidableCommand['type']> = (input: ProposalInput<T>) => DomainEvent[];

