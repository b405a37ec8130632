/**
 * The one place where access is decided, for commands and queries alike: the command handler
 * asks it before deciding, the query service before reading. It reads the grants of
 * `permissions.ts` and the facts of the target; it never looks at personal data.
 */
import type { CaseCommand, CaseCommandType } from '../../domain/commands.ts';
import type { CaseFile } from '../../domain/lifecycle/case-file.ts';
import { ownValue } from '../../domain/id.ts';
import type { Partner } from '../../domain/vocabulary.ts';
import { commandGrants, queryGrants, type AccessScope, type Grant, type QueryName } from './permissions.ts';
import { fundOf, type Principal } from './principal.ts';

/** What is being accessed, as far as access rules care. */
export interface AccessTarget {
  /** The fund of the case, or of the figures; `null` for figures across funds. */
  readonly fundId: string | null;
  /** The case's counsellor (`null` while unassigned). */
  readonly counsellorId?: string | null;
  /** The id of whoever filed the referral. */
  readonly referredBy?: string | null;
  /** The partner a referral goes to. */
  readonly partner?: Partner | null;
}

/** A command or a query, by name. */
export type AccessRequest = { readonly kind: 'command'; readonly name: CaseCommandType } | { readonly kind: 'query'; readonly name: QueryName };

/** The answer: the grant that allows it, or the rule that refuses it. */
export type AccessDecision =
  | { readonly allowed: true; readonly grant: Grant }
  | { readonly allowed: false; readonly rule: string; readonly reason: string };

const deny = (rule: string, reason: string): AccessDecision => ({ allowed: false, rule, reason });

function scopeRefusal(principal: Principal, scope: AccessScope, target: AccessTarget): AccessDecision | undefined {
  if (scope === 'any') return undefined;
  // A national grant reaches what belongs to no fund (figures across funds, entries filed under
  // no fund), never one fund's data.
  if (scope === 'national') return target.fundId === null ? undefined : deny('national-only', 'a national grant covers what belongs to no fund, not one fund');
  // Every other scope is within the principal's fund first: a principal id means something only
  // in its fund, so the (fund, id) pair is what the scopes below compare.
  const fundId = fundOf(principal);
  if (target.fundId !== fundId) return deny('other-fund', `the target belongs to another fund than ${fundId ?? 'none'}`);
  switch (scope) {
    case 'fund':
      return undefined;
    case 'own-or-team': {
      if (principal.role !== 'counsellor' || target.counsellorId === null || target.counsellorId === undefined) return undefined;
      const mine = target.counsellorId === principal.id || principal.team.includes(target.counsellorId);
      return mine ? undefined : deny('not-own-case', `the case belongs to a counsellor outside ${principal.id}'s team`);
    }
    case 'own-referral':
      return target.referredBy === principal.id ? undefined : deny('not-own-referral', `the referral was not filed by ${principal.id}`);
    case 'own-partner-referral':
      return principal.role === 'partner' && target.partner === principal.partner
        ? undefined
        : deny('not-own-partner-referral', 'the referral was not made to this partner');
  }
}

/** Whether `principal` may do `request` on `target`. */
export function authorize(principal: Principal, request: AccessRequest, target: AccessTarget): AccessDecision {
  const grants = (request.kind === 'command' ? commandGrants[request.name] : queryGrants[request.name]).filter((g) => g.role === principal.role);
  if (grants.length === 0) {
    return deny('role-not-permitted', `role '${principal.role}' may not ${request.kind === 'command' ? 'send' : 'ask'} ${request.name}`);
  }
  let refusal: AccessDecision | undefined;
  for (const candidate of grants) {
    const refused = scopeRefusal(principal, candidate.scope, target);
    if (!refused) return { allowed: true, grant: candidate };
    refusal ??= refused;
  }
  return refusal ?? deny('role-not-permitted', 'no grant applies');
}

/**
 * Whether `principal` may send `command` to the case whose file is `file`. Besides the grants: the
 * command's actor must be the principal, and only an internal service may file the internal form
 * (the one that carries a NIR).
 */
export function authorizeCommand(principal: Principal, command: CaseCommand, file: CaseFile): AccessDecision {
  if (command.actor.role !== principal.role || command.actor.id !== principal.id) {
    return deny('actor-is-principal', `the command's actor (${command.actor.role} ${command.actor.id}) is not the principal`);
  }
  if (
    command.type === 'ReceiveReferral' &&
    command.data.form.variant === 'internal' &&
    principal.role === 'detector' &&
    principal.origin !== 'health-insurance-service'
  ) {
    return deny('internal-form-internal-detector-only', 'only a health-insurance service may file the internal form (the one that carries a NIR)');
  }
  const target: AccessTarget =
    command.type === 'ReceiveReferral'
      ? { fundId: command.data.fundId, referredBy: principal.id }
      : {
          fundId: file.fundId,
          counsellorId: file.counsellorId,
          referredBy: file.referredBy?.id ?? null,
          partner: command.type === 'UpdatePartnerReferral' ? (ownValue(file.partnerReferrals, command.data.referralId)?.partner ?? null) : null,
        };
  return authorize(principal, { kind: 'command', name: command.type }, target);
}
