/**
 * The shape of a business rule, shared by `rules.ts` and the modules that add rules to it.
 */
import type { FundPolicy } from '../policy.ts';
import type { CaseFile } from './case-file.ts';
import type { DecidableCommand, DecidableOf } from './sealed-command.ts';

/** What a rule may look at. */
export interface RuleContext {
  readonly file: CaseFile;
  readonly policy: FundPolicy;
  /** When the command's facts happen (`occurredAt`, defaulting to now). */
  readonly occurredAt: string;
  /** When the command is recorded (the clock's now). */
  readonly now: string;
}

/** One rule of one command. */
export interface BusinessRule<T extends DecidableCommand['type']> {
  readonly name: string;
  readonly description: string;
  /** Why the command breaks the rule, or undefined when the rule holds. */
  check(command: DecidableOf<T>, context: RuleContext): string | undefined;
}

/** Rules by command: the business rules of each command, checked in order. */
export type RuleBook = { readonly [T in DecidableCommand['type']]?: readonly BusinessRule<T>[] };
