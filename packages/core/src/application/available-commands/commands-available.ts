/**
 * What a screen needs: for one case and one principal, every command and whether it can be sent
 * now — and if not, the rule that blocks it, exactly as `execute` would name it. Pure: it runs the
 * same checks as the command handler, in the same order, on the case as loaded, and writes nothing:
 *   1. access (`authorizeCommand`: role, scope, fund) — `AccessDeniedError` in `execute`;
 *   2. time, the lifecycle machine, then the command's business rules (`decide`) — `CommandRejectedError`.
 */
import { z } from 'zod';
import { dayOf } from '../../domain/calendar.ts';
import { CaseCommand } from '../../domain/commands.ts';
import { caseFileOf, statusOf, type CaseState } from '../../domain/lifecycle/case-state.ts';
import { decide } from '../../domain/lifecycle/decide.ts';
import { businessRules } from '../../domain/lifecycle/rules.ts';
import type { FundPolicy } from '../../domain/policy.ts';
import { authorizeCommand } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import { sealPersonalData } from '../seal-personal-data.ts';
import { caseCommandTypes, probes, type CaseCommandOffered } from './probes.ts';

/** The name of a command a screen can offer on an existing case (every command but `ReceiveReferral`). */
export const OfferedCommand = z.enum(caseCommandTypes);

/**
 * What blocks a command: the principal's `access` (role, scope, fund), the `time` of the facts,
 * the `lifecycle` (no such step from here, or a guard of the machine), or a business `rule` of `rules.ts`.
 */
export const BlockKind = z.enum(['access', 'time', 'lifecycle', 'rule']);
export type BlockKind = z.infer<typeof BlockKind>;

/** One command on a screen: allowed, or blocked with the rule `execute` would refuse it with. */
export const CommandAvailability = z.discriminatedUnion('allowed', [
  z.strictObject({ command: OfferedCommand, allowed: z.literal(true) }),
  z.strictObject({
    command: OfferedCommand,
    allowed: z.literal(false),
    blockedBy: BlockKind,
    /** The rule's name: `AccessDeniedError.rule` or `CommandRejectedError.rule` for this command now. */
    rule: z.string().min(1),
    /** Why, in one line. */
    reason: z.string(),
  }),
]);
export type CommandAvailability = z.infer<typeof CommandAvailability>;

/** Every command of one case for one principal, with the case's step. */
export const AvailableCommands = z.strictObject({
  caseId: z.string().min(1),
  /** The case's step, e.g. `contact.reached`. */
  status: z.string().min(1),
  commands: z.array(CommandAvailability),
});
export type AvailableCommands = z.infer<typeof AvailableCommands>;

/** What the computation needs besides the case and the principal: the clock's now and the fund's policy. */
export interface AvailabilityContext {
  /** The clock's now: what `execute` would decide at. */
  readonly now: Date;
  /** The policy of the case's fund (reopen window, unreachable threshold…). */
  readonly policy: FundPolicy;
}

const machineRules = (type: CaseCommandOffered, rule: string): BlockKind => {
  if (rule.startsWith('occurred-at-')) return 'time';
  return (businessRules[type] ?? []).some((known) => known.name === rule) ? 'rule' : 'lifecycle';
};

/** Whether one command can be sent now: its first probe accepted, or the first probe's refusal. */
function availabilityOf(type: CaseCommandOffered, state: CaseState, principal: Principal, context: AvailabilityContext): CommandAvailability {
  const file = caseFileOf(state);
  const actor = { role: principal.role, id: principal.id };
  let blocked: CommandAvailability | undefined;
  const now = context.now.toISOString();
  const payloads = probes[type]({ file, principal, today: dayOf(now), now });
  for (const data of payloads) {
    // Parsed like any command: a probe is a command a user could send, defaults filled in.
    const command = CaseCommand.parse({ type, caseId: 'available-commands', commandId: 'available-commands', actor, data });
    const access = authorizeCommand(principal, command, file);
    let refusal: { blockedBy: BlockKind; rule: string; reason: string } | undefined;
    if (!access.allowed) refusal = { blockedBy: 'access', rule: access.rule, reason: access.reason };
    else {
      // Ids drawn for the probe are never written: decide is pure and nothing is appended.
      const { sealed } = sealPersonalData(command, file, () => 'available-commands-probe');
      const decision = decide(state, sealed, { now: context.now, policy: context.policy, newId: () => 'available-commands-probe' });
      if (decision.ok) return { command: type, allowed: true };
      refusal = { blockedBy: machineRules(type, decision.rule), rule: decision.rule, reason: decision.reason };
    }
    blocked ??= { command: type, allowed: false, ...refusal };
  }
  if (!blocked) throw new Error(`no probe for ${type}`);
  return blocked;
}

/**
 * Every command a screen can offer on the case `state` is in, for `principal`: allowed, or the
 * rule that blocks it. Access comes first, as in `execute`: a command the role may not send is
 * blocked by access whatever the step.
 */
export function commandsAvailable(state: CaseState, principal: Principal, context: AvailabilityContext): CommandAvailability[] {
  return caseCommandTypes.map((type) => availabilityOf(type, state, principal, context));
}

/** The same, with the case's id and step, as `session.availableCommands` returns it. */
export function availableCommandsOf(caseId: string, state: CaseState, principal: Principal, context: AvailabilityContext): AvailableCommands {
  return { caseId, status: statusOf(state), commands: commandsAvailable(state, principal, context) };
}
