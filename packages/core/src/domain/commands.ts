/**
 * Every command a case accepts, as zod schemas: what a user of the library sends.
 * Commands are requests in the imperative; the events they produce are in `events/catalogue.ts`.
 */
import { z } from 'zod';
import {
  ActionOwner,
  ConsentMode,
  ConsentPurpose,
  ErasureReason,
  OverrideJustification,
  Outcome,
  ReminderKind,
  ReopenReason,
  RequestChannel,
  WorkActivity,
} from './events/catalogue.ts';
import { BusinessDay } from './business-dates.ts';
import { defineCommand } from './command-envelope.ts';
import { appointmentCommands } from './appointment-commands.ts';
import { reviewCommands } from './review-commands.ts';
import { ContactDirection } from './events/appointment-events.ts';
import { Id } from './id.ts';
import { ReferralForm, ReferralPerson } from './referral.ts';
import { GpSearchProfile } from './screening.ts';
import { freeText } from './text.ts';
import {
  ActionKind,
  ActionStatus,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReferralChannel,
  ReviewFinding,
  ReviewItem,
} from './vocabulary.ts';

export const ReceiveReferral = defineCommand(
  'ReceiveReferral',
  'Open a case from a referral form. Personal data is split off into the vault.',
  z.strictObject({
    fundId: Id,
    /** Defaults to the form's variant (`internal-form` / `external-form`). */
    channel: ReferralChannel.optional(),
    form: ReferralForm,
  }),
);
export const AcceptReferral = defineCommand(
  'AcceptReferral',
  'Triage: take the case on and assign it.',
  z.strictObject({ counsellorId: Id }),
);
export const RedirectReferral = defineCommand(
  'RedirectReferral',
  'Triage: send the referral to the social service.',
  z.strictObject({}),
);
export const DeclineReferral = defineCommand(
  'DeclineReferral',
  'Triage: decline the referral with a reason code.',
  z.strictObject({ reason: DeclineReason }),
);
export const AssignCounsellor = defineCommand(
  'AssignCounsellor',
  'Give the case to another counsellor.',
  z.strictObject({ counsellorId: Id }),
);
export const RecordReviewItem = defineCommand(
  'RecordReviewItem',
  'Record the finding for one item of the administrative review.',
  z.strictObject({ item: ReviewItem, finding: ReviewFinding }),
);
export const CompleteReview = defineCommand(
  'CompleteReview',
  'Close the administrative review once every item has a finding.',
  z.strictObject({}),
);
export const RecordContactAttempt = defineCommand(
  'RecordContactAttempt',
  'Record a call or a message with the person, at any open step: who started it (`direction`, the counsellor by default), how, whether it reached them, and an optional note (to the vault).',
  z.strictObject({
    channel: ContactChannel,
    reached: z.boolean(),
    direction: ContactDirection.default('outgoing'),
    note: freeText(10_000).optional(),
  }),
);
export const RecordConsent = defineCommand(
  'RecordConsent',
  "Record the person's consent, collected or confirmed at contact, or their refusal. `sharingWith` names the partners they agree their data may be shared with.",
  z.strictObject({ decision: z.enum(['given', 'refused']), mode: ConsentMode, sharingWith: z.array(Partner).default([]) }),
);
export const ChangeConsentScope = defineCommand(
  'ChangeConsentScope',
  'The person changes which partners their data may be shared with (the list replaces the earlier one).',
  z.strictObject({ sharingWith: z.array(Partner) }),
);
export const WithdrawConsent = defineCommand(
  'WithdrawConsent',
  'The person withdraws their consent: the case closes and nothing more is shared.',
  z.strictObject({}),
);
export const OverrideConsent = defineCommand(
  'OverrideConsent',
  'A supervisor or the data-protection officer lets the case go on without consent, on a legal ground (logged).',
  z
    .strictObject({ purpose: ConsentPurpose, partner: Partner.optional(), justification: OverrideJustification })
    .refine((data) => (data.purpose === 'partner-sharing') === (data.partner !== undefined), {
      path: ['partner'],
      message: "partner is required for purpose 'partner-sharing' and not allowed for 'accompaniment'",
    }),
);
export const RecordEvaluationObjection = defineCommand(
  'RecordEvaluationObjection',
  'The person objects to the use of their data for the national evaluation (or lifts the objection).',
  z.strictObject({ objects: z.boolean() }),
);

const personField = ReferralPerson.shape;

/** New values of the person's identity and contact details; `null` removes a phone or an email. */
export const RectifiedPerson = z
  .strictObject({
    lastName: personField.lastName.optional(),
    firstName: personField.firstName.optional(),
    birthDate: personField.birthDate.optional(),
    phone: personField.phone.unwrap().nullable().optional(),
    email: personField.email.unwrap().nullable().optional(),
    nir: personField.nir.unwrap().optional(),
  })
  .refine((person) => Object.keys(person).length > 0, { message: 'Give at least one field to rectify' });
export type RectifiedPerson = z.infer<typeof RectifiedPerson>;

export const RectifyPersonalData = defineCommand(
  'RectifyPersonalData',
  "Rectify the person's identity or contact details: the new values go to the vault, the history is kept.",
  z.strictObject({ person: RectifiedPerson }),
);
export const RecordWelcomeLetterSent = defineCommand(
  'RecordWelcomeLetterSent',
  'Record that the welcome letter was sent.',
  z.strictObject({}),
);
export const IdentifyNeeds = defineCommand(
  'IdentifyNeeds',
  'Record the problems and plan strands identified with the person.',
  z.strictObject({ problems: z.array(ProblemCategory).min(1), strands: z.array(PlanStrand).min(1) }),
);
export const AssessGpSearch = defineCommand(
  'AssessGpSearch',
  "Apply the fund's GP-search rule to the person's situation.",
  z.strictObject({ profile: GpSearchProfile }),
);
export const PlanAction = defineCommand(
  'PlanAction',
  'Add an action to a strand of the plan.',
  z.strictObject({ actionId: Id.optional(), strand: PlanStrand, kind: ActionKind, owner: ActionOwner, dueDate: BusinessDay }),
);
export const UpdateActionStatus = defineCommand(
  'UpdateActionStatus',
  'Move an action of the plan forward, complete or cancel it.',
  z.strictObject({ actionId: Id, status: ActionStatus }),
);
export const ReferToPartner = defineCommand(
  'ReferToPartner',
  'Refer the person to a partner of the catalogue.',
  z.strictObject({
    referralId: Id.optional(),
    partner: Partner,
    strand: PlanStrand,
    /** Defaults to today plus the fund's partner follow-up delay. */
    followUpBy: BusinessDay.optional(),
    sharesPersonalData: z.boolean().default(false),
  }),
);
export const UpdatePartnerReferral = defineCommand(
  'UpdatePartnerReferral',
  "Record a partner's answer to a referral.",
  z.strictObject({ referralId: Id, status: PartnerReferralStatus }),
);
export const AgreePlan = defineCommand(
  'AgreePlan',
  'The plan is agreed with the person: start the accompaniment.',
  z.strictObject({}),
);
export const RecordOutcome = defineCommand(
  'RecordOutcome',
  'Record a gain: right opened, care carried out, out-of-pocket cost saved.',
  z.strictObject({ outcome: Outcome }),
);
export const LogTime = defineCommand(
  'LogTime',
  'Log counsellor time spent on the case.',
  z.strictObject({ minutes: z.number().int().min(1).max(24 * 60), activity: WorkActivity, strand: PlanStrand.optional() }),
);
export const AddNote = defineCommand(
  'AddNote',
  'Write a free-text note; the text goes to the vault, never to the log.',
  z.strictObject({ text: freeText(10_000) }),
);
export const CloseCase = defineCommand(
  'CloseCase',
  'End the accompaniment with a reason, and the partners the person is oriented to.',
  z.strictObject({ reason: ClosureReason, orientedTo: z.array(Partner).default([]) }),
);
export const ReopenCase = defineCommand(
  'ReopenCase',
  "Reopen a closed case within the fund's reopen window.",
  z.strictObject({ reason: ReopenReason }),
);

export const IssueReminder = defineCommand(
  'IssueReminder',
  'Remind the counsellor of a deadline that came due (sent by the scheduler).',
  z.strictObject({ kind: ReminderKind, ref: Id.optional(), dueOn: BusinessDay }),
);
export const RequestErasure = defineCommand(
  'RequestErasure',
  "The person asks for their data to be erased: the request is recorded (without personal data), an open case closes, and the person's key is destroyed.",
  z.strictObject({ requestedOn: BusinessDay, channel: RequestChannel }),
);
export const ErasePersonalData = defineCommand(
  'ErasePersonalData',
  "Destroy the person's key: their personal data becomes unreadable everywhere, for good.",
  z.strictObject({ reason: ErasureReason }),
);

/** Any command of a case, validated. */
export const CaseCommand = z.discriminatedUnion('type', [
  ReceiveReferral,
  AcceptReferral,
  RedirectReferral,
  DeclineReferral,
  AssignCounsellor,
  RecordReviewItem,
  CompleteReview,
  ...reviewCommands,
  RecordContactAttempt,
  ...appointmentCommands,
  RecordConsent,
  ChangeConsentScope,
  WithdrawConsent,
  OverrideConsent,
  RecordEvaluationObjection,
  RectifyPersonalData,
  RecordWelcomeLetterSent,
  IdentifyNeeds,
  AssessGpSearch,
  PlanAction,
  UpdateActionStatus,
  ReferToPartner,
  UpdatePartnerReferral,
  AgreePlan,
  RecordOutcome,
  LogTime,
  AddNote,
  CloseCase,
  ReopenCase,
  IssueReminder,
  RequestErasure,
  ErasePersonalData,
]);
/** A validated command (defaults applied). */
export type CaseCommand = z.infer<typeof CaseCommand>;
/** A command as a caller may write it (defaulted fields optional). */
export type CaseCommandInput = z.input<typeof CaseCommand>;
/** The name of every command. */
export type CaseCommandType = CaseCommand['type'];
/** One command type, validated. */
export type CommandOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>;
