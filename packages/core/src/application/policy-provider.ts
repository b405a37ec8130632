/**
 * Which local rules apply to which fund.
 */
import { MisasError } from '../errors.ts';
import { defaultPolicy, type FundPolicy } from '../domain/policy.ts';

/** Gives the policy of a fund; throws for a fund it does not know. */
export type PolicyProvider = (fundId: string) => FundPolicy;

/** Every fund gets the seeds' default rules (under its own fund id). */
export const defaultPolicies: PolicyProvider = (fundId) => ({ ...defaultPolicy, fundId });

/** A fixed set of funds, each with its own validated policy. */
export function policiesByFund(policies: readonly FundPolicy[]): PolicyProvider {
  const byFund = new Map(policies.map((policy) => [policy.fundId, policy]));
  return (fundId) => {
    const policy = byFund.get(fundId);
    if (!policy) {
      throw new MisasError('unknown-fund', `no policy configured for fund '${fundId}' (known: ${[...byFund.keys()].join(', ')})`);
    }
    return policy;
  };
}
