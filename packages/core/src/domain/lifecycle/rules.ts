/**
 * Business rules: what a command must satisfy besides being allowed in the current state.
 * They are data — a name, a description, a check — so they can be listed in docs and tests,
 * and they read the fund's policy, which is configuration. The state machine is consulted first.
 */
import { dateAfterRecordingDay } from '../business-dates.ts';
import { addDays, dayOf } from '../calendar.ts';
import { ownValue } from '../id.ts';
import type { FundPolicy } from '../policy.ts';
import { requiredReviewItems, type PlanStrand } from '../vocabulary.ts';
import { consentAllowsAccompaniment, consentAllowsSharingWith, type CaseFile } from './case-file.ts';
import { reminderKey } from './case-file-events.ts';
import type { DecidableCommand } from './sealed-command.ts';
import { appointmentRules } from './appointment-rules.ts';
import { reviewFollowUpRules } from './review-follow-up.ts';
import type { BusinessRule, RuleBook, RuleContext } from './rule-types.ts';

export type { BusinessRule, RuleContext } from './rule-types.ts';


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

/** Roles that may let a case go on without consent: the decision is theirs, and it is logged. */
export const consentOverrideRoles: readonly string[] = ['supervisor', 'data-protection-officer'];

/** Closure and decline reasons that only their own command may use. */
const reservedReasons: Readonly<Record<string, string>> = {
  'consent-withdrawn': 'WithdrawConsent',
  'erasure-requested': 'RequestErasure',
};

function reservedReason(reason: string): string | undefined {
  const owner = reservedReasons[reason];
  return owner ? `the reason '${reason}' is recorded by ${owner}, not given by hand` : undefined;
}

const eraseOnce = {
  name: 'erase-once',
  description: 'Personal data is erased once; erasing it again would record a second erasure that did nothing.',
  check: (_command: unknown, { file }: RuleContext) => (file.personalDataErased ? 'the personal data was already erased' : undefined),
} as const;

/** Every rule, by command. */
export const businessRules: RuleBook = {
  ...appointmentRules,
  ...reviewFollowUpRules,
  ReceiveReferral: [
    {
      name: 'referral-dates-not-in-future',
      description:
        'The referral date and the day the consent was signed are not after the day the referral is recorded (in any time zone, so a form dated today in Paris just after midnight is accepted).',
      check: (command, { now }) => {
        const { referralDate, consent } = command.data.facts;
        return dateAfterRecordingDay({ 'form.referralDate': referralDate, 'form.consent.signedOn': consent.kind === 'signed' ? consent.signedOn : undefined }, now);
      },
    },
  ],
  DeclineReferral: [
    {
      name: 'reason-reserved',
      description: "Reasons recorded by a person's request ('erasure-requested') are not given by hand.",
      check: (command) => reservedReason(command.data.reason),
    },
  ],
  ChangeConsentScope: [
    {
      name: 'consent-scope-changes',
      description: 'A change of scope must change the partners the data may be shared with.',
      check: (command, { file }) => {
        const current = [...(file.consentRecord?.sharingWith ?? [])].sort();
        const next = [...new Set(command.data.sharingWith)].sort();
        return current.join() === next.join() ? 'the consent already has this scope' : undefined;
      },
    },
  ],
  OverrideConsent: [
    {
      name: 'override-needs-privileged-role',
      description: 'Only a supervisor or the data-protection officer may let a case go on without consent.',
      check: (command) =>
        consentOverrideRoles.includes(command.actor.role) ? undefined : `role '${command.actor.role}' may not override consent`,
    },
    {
      name: 'override-only-without-consent',
      description: 'An override is for what consent does not already allow.',
      check: (command, { file }) => {
        const allowed =
          command.data.purpose === 'accompaniment'
            ? consentAllowsAccompaniment(file)
            : command.data.partner !== undefined && consentAllowsSharingWith(file, command.data.partner);
        return allowed ? 'consent already allows it' : undefined;
      },
    },
  ],
  RecordEvaluationObjection: [
    {
      name: 'objection-changes',
      description: 'Recording the objection the person already made (or lifting one never made) changes nothing.',
      check: (command, { file }) =>
        command.data.objects === file.objectsToEvaluation
          ? `the person ${file.objectsToEvaluation ? 'already objects' : 'does not object'} to the evaluation`
          : undefined,
    },
  ],
  RectifyPersonalData: [
    {
      name: 'no-rectify-after-erasure',
      description: 'Erased data cannot be rectified: there is nothing left to correct.',
      check: (_command, { file }) => (file.personalDataErased ? "the person's data was erased" : undefined),
    },
    {
      name: 'nir-internal-only',
      description: 'A NIR is held only for a case referred on the internal form.',
      check: (command, { file }) =>
        command.data.fields.includes('nir') && file.referral?.variant !== 'internal'
          ? 'the case came from an external referral: no NIR may be recorded'
          : undefined,
    },
  ],
  RequestErasure: [
    eraseOnce,
    {
      name: 'request-date-not-in-future',
      description: 'An erasure request is not dated after the day it is recorded (in any time zone).',
      check: (command, { now }) => dateAfterRecordingDay({ requestedOn: command.data.requestedOn }, now),
    },
  ],
  AddNote: [
    {
      name: 'no-note-after-erasure',
      description: "Once the person's data is erased, no free text about them is written again: a note would need their key.",
      check: (_command, { file }) => (file.personalDataErased ? "the person's data was erased" : undefined),
    },
  ],
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
      description: 'The administrative review ends only when every required checklist item has a finding (the CAF items are optional).',
      check: (_command, { file }) => {
        const missing = requiredReviewItems.filter((item) => file.review[item] === undefined);
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
        command.data.actionId !== undefined && ownValue(file.actions, command.data.actionId)
          ? `action ${command.data.actionId} already exists`
          : undefined,
    },
    { ...strandRule, check: (command, { file }) => strandOutsidePlan(command.data.strand, file) },
  ],
  ReferToPartner: [
    {
      name: 'partner-sharing-consented',
      description:
        "Personal data goes to a partner only when the person's consent names that partner, or a privileged role overrode it for that partner.",
      check: (command, { file }) =>
        command.data.sharesPersonalData && !consentAllowsSharingWith(file, command.data.partner)
          ? `the person's consent does not cover sharing with ${command.data.partner}`
          : undefined,
    },
    {
      name: 'partner-referral-id-unique',
      description: 'A referral id names one partner referral.',
      check: (command, { file }) =>
        command.data.referralId !== undefined && ownValue(file.partnerReferrals, command.data.referralId)
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
        const status = ownValue(file.actions, command.data.actionId)?.status;
        return status && finalActionStatuses.has(status) ? `action ${command.data.actionId} is already ${status}` : undefined;
      },
    },
    {
      name: 'action-status-changes',
      description: 'A status update must change the status.',
      check: (command, { file }) =>
        ownValue(file.actions, command.data.actionId)?.status === command.data.status
          ? `action ${command.data.actionId} is already ${command.data.status}`
          : undefined,
    },
  ],
  UpdatePartnerReferral: [
    {
      name: 'partner-referral-final',
      description: 'A completed or refused partner referral does not change any more.',
      check: (command, { file }) => {
        const status = ownValue(file.partnerReferrals, command.data.referralId)?.status;
        return status && finalReferralStatuses.has(status)
          ? `partner referral ${command.data.referralId} is already ${status}`
          : undefined;
      },
    },
  ],
  CloseCase: [
    {
      name: 'reason-reserved',
      description: "Reasons recorded by a person's decision ('consent-withdrawn', 'erasure-requested') are not given by hand.",
      check: (command) => reservedReason(command.data.reason),
    },
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
      name: 'no-reopen-after-withdrawal',
      description: 'A person who withdrew their consent comes back through a new referral, with a new consent.',
      check: (_command, { file }) => (file.consent === 'withdrawn' ? 'the person withdrew their consent' : undefined),
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
  ErasePersonalData: [eraseOnce],
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
