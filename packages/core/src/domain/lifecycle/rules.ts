/**
 * Business rules: what a command must satisfy besides being allowed in the current state.
 * They are data — a name, a description, a check — so they can be listed in docs and tests,
 * and they read the fund's policy, which is configuration. The state machine is consulted first.
 */
import { addDays, dayOf } from '../calendar.ts';
import type { FundPolicy } from '../policy.ts';
import { ReviewItem, type PlanStrand } from '../vocabulary.ts';
import { reminderKey, type CaseFile } from './case-file.ts';
import type { DecidableCommand, DecidableOf } from './sealed-command.ts';

/** What a rule may look at. */
export interface RuleContext {
  readonly file: CaseFile;
  readonly policy: FundPolicy;
  /** When the command's facts happen (`occurredAt`, defaulting to now). */
  readonly occurredAt: string;
}

/** One rule of one command. */
export interface BusinessRule<T extends DecidableCommand['type']> {
  readonly name: string;
  readonly description: string;
  /** Why the command breaks the rule, or undefined when the rule holds. */
  check(command: DecidableOf<T>, context: RuleContext): string | undefined;
}

type RuleBook = { readonly [T in DecidableCommand['type']]?: readonly BusinessRule<T>[] };

const finalActionStatuses = new Set(['done', 'cancelled']);
const finalReferralStatuses = new Set(['completed', 'refused']);

const strandRule = {
  name: 'strand-in-plan',
  description: 'Actions and partner referrals belong to a strand identified with the person.',
} as const;

function strandOutsidePlan(strand: PlanStrand, file: CaseFile): string | undefined {
  return file.strands.includes(strand)
    ? undefined
    : `strand '${strand}' is not in the plan (strands: ${file.strands.join(', ') || 'none'})`;
}

/** Every rule, by command. */
export const businessRules: RuleBook = {
  AssignCounsellor: [
    {
      name: 'counsellor-changes',
      description: 'Assigning a case to the counsellor who already owns it is a mistake, not a change.',
      check: (command, { file }) =>
        command.data.counsellorId === file.counsellorId ? `the case is already assigned to ${file.counsellorId}` : undefined,
    },
  ],
  CompleteReview: [
    {
      name: 'review-checklist-complete',
      description: 'The administrative review ends only when every checklist item has a finding.',
      check: (_command, { file }) => {
        const missing = ReviewItem.options.filter((item) => file.review[item] === undefined);
        return missing.length > 0 ? `items without a finding: ${missing.join(', ')}` : undefined;
      },
    },
  ],
  RecordWelcomeLetterSent: [
    {
      name: 'welcome-letter-due',
      description: 'A welcome letter is sent once, and only when remote consent made it due.',
      check: (_command, { file }) => {
        if (file.welcomeLetterDueBy === null) return 'no welcome letter is due: consent was not given remotely';
        return file.welcomeLetterSentAt !== null ? 'the welcome letter was already sent' : undefined;
      },
    },
  ],
  PlanAction: [
    {
      name: 'action-id-unique',
      description: 'An action id names one action of the plan.',
      check: (command, { file }) =>
        command.data.actionId !== undefined && file.actions[command.data.actionId]
          ? `action ${command.data.actionId} already exists`
          : undefined,
    },
    { ...strandRule, check: (command, { file }) => strandOutsidePlan(command.data.strand, file) },
  ],
  ReferToPartner: [
    {
      name: 'partner-referral-id-unique',
      description: 'A referral id names one partner referral.',
      check: (command, { file }) =>
        command.data.referralId !== undefined && file.partnerReferrals[command.data.referralId]
          ? `partner referral ${command.data.referralId} already exists`
          : undefined,
    },
    { ...strandRule, check: (command, { file }) => strandOutsidePlan(command.data.strand, file) },
  ],
  UpdateActionStatus: [
    {
      name: 'action-status-final',
      description: 'A done or cancelled action does not change any more; plan a new one instead.',
      check: (command, { file }) => {
        const status = file.actions[command.data.actionId]?.status;
        return status && finalActionStatuses.has(status) ? `action ${command.data.actionId} is already ${status}` : undefined;
      },
    },
    {
      name: 'action-status-changes',
      description: 'A status update must change the status.',
      check: (command, { file }) =>
        file.actions[command.data.actionId]?.status === command.data.status
          ? `action ${command.data.actionId} is already ${command.data.status}`
          : undefined,
    },
  ],
  UpdatePartnerReferral: [
    {
      name: 'partner-referral-final',
      description: 'A completed or refused partner referral does not change any more.',
      check: (command, { file }) => {
        const status = file.partnerReferrals[command.data.referralId]?.status;
        return status && finalReferralStatuses.has(status)
          ? `partner referral ${command.data.referralId} is already ${status}`
          : undefined;
      },
    },
  ],
  CloseCase: [
    {
      name: 'objectives-met-needs-outcome',
      description: "A case closes with 'objectives met' only when at least one outcome was recorded.",
      check: (command, { file }) =>
        command.data.reason === 'objectives-met' && file.outcomes.length === 0
          ? 'no outcome (right opened, care carried out, saving) was recorded'
          : undefined,
    },
    {
      name: 'consent-refused-needs-refusal',
      description: "The 'consent refused' reason is reserved for a recorded refusal.",
      check: (command, { file }) =>
        command.data.reason === 'consent-refused' && file.consent !== 'refused'
          ? 'the person has not refused consent'
          : undefined,
    },
    {
      name: 'refusal-closes-as-refused',
      description: "After a refusal of consent the case closes with the 'consent refused' reason.",
      check: (command, { file }) =>
        file.consent === 'refused' && command.data.reason !== 'consent-refused'
          ? "the person refused consent: close with reason 'consent-refused'"
          : undefined,
    },
  ],
  ReopenCase: [
    {
      name: 'reopen-window',
      description: "A closed case can be reopened within the fund's `reopenWithinDays` of its closure.",
      check: (_command, { file, policy, occurredAt }) => {
        if (!file.closure) return undefined;
        const lastDay = addDays(dayOf(file.closure.at), policy.reopenWithinDays);
        return dayOf(occurredAt) > lastDay
          ? `the reopen window of ${policy.reopenWithinDays} days ended on ${lastDay}`
          : undefined;
      },
    },
    {
      name: 'no-reopen-after-erasure',
      description: "A case whose personal data was erased cannot be reopened: there is nobody left to accompany.",
      check: (_command, { file }) => (file.personalDataErased ? "the person's data was erased" : undefined),
    },
    {
      name: 'no-reopen-after-death',
      description: 'A case closed because the person died is never reopened.',
      check: (_command, { file }) => (file.closure?.reason === 'deceased' ? 'the case was closed because the person died' : undefined),
    },
  ],
  IssueReminder: [
    {
      name: 'reminder-once',
      description: 'Each deadline is reminded once: same kind, same action or referral, same due date.',
      check: (command, { file }) =>
        file.reminders.includes(reminderKey(command.data)) ? `reminder ${reminderKey(command.data)} was already issued` : undefined,
    },
  ],
  ErasePersonalData: [
    {
      name: 'erase-once',
      description: 'Personal data is erased once; erasing it again would record a second erasure that did nothing.',
      check: (_command, { file }) => (file.personalDataErased ? 'the personal data was already erased' : undefined),
    },
  ],
};

/** The first rule the command breaks, if any. */
export function brokenRule(
  command: DecidableCommand,
  context: RuleContext,
): { readonly rule: string; readonly reason: string } | undefined {
  const rules = (businessRules[command.type] ?? []) as readonly BusinessRule<typeof command.type>[];
  for (const rule of rules) {
    const reason = rule.check(command as never, context);
    if (reason !== undefined) return { rule: rule.name, reason };
  }
  return undefined;
}
