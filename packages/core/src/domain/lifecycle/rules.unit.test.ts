/**
 * One given/when/then case per business rule, and a check that no rule is left without one.
 */
import { describe, expect, it } from 'vitest';
import { caseSpecification, historyUntil, sampleExternalForm, sampleReferralFacts, type CommandUnderTest } from '../../testing/index.ts';
import type { DomainEvent } from '../events/catalogue.ts';
import { businessRules } from './rules.ts';

const remote = sampleReferralFacts({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } });
const referred: DomainEvent = {
  type: 'PartnerReferralMade',
  data: { referralId: 'r1', partner: 'ccas', strand: 'rights', followUpBy: '2026-02-01', sharesPersonalData: false },
};

/** Planning, with appointment `a-now` at the clock's time and `a-later` the next day. */
const withAppointments: DomainEvent[] = [
  ...historyUntil.planning(),
  { type: 'AppointmentPlanned', data: { appointmentId: 'a-now', at: '2026-01-05T09:00:00.000Z', place: 'branch', counsellorId: 'counsellor-1' } },
  { type: 'AppointmentPlanned', data: { appointmentId: 'a-later', at: '2026-01-06T09:00:00.000Z', place: 'phone', counsellorId: 'counsellor-1' } },
];

const cases: Record<string, { given: DomainEvent[]; when: CommandUnderTest; at?: string }> = {
  'appointment-id-unique': { given: withAppointments, when: { type: 'PlanAppointment', data: { appointmentId: 'a-now', at: '2026-01-09T09:00:00Z', place: 'branch' } } },
  'appointment-counsellor-known': { given: historyUntil.triage(), when: { type: 'PlanAppointment', data: { at: '2026-01-09T09:00:00Z', place: 'phone' } } },
  'appointment-not-before-planning': { given: historyUntil.review(), when: { type: 'PlanAppointment', data: { at: '2026-01-05T08:59:00Z', place: 'branch' } } },
  'review-completed': { given: historyUntil.review(), when: { type: 'UpdateReviewFinding', data: { item: 'caf-rights', finding: 'needs-action' } } },
  'review-finding-changes': { given: historyUntil.planning(), when: { type: 'UpdateReviewFinding', data: { item: 'basic-cover', finding: 'in-order' } } },
  'placeholder-gp-due': { given: historyUntil.planning(), when: { type: 'RecordPlaceholderGp', data: {} } },
  'placeholder-gp-once': {
    given: [...historyUntil.planning(), { type: 'GpSearchAssessed', data: { outcome: 'placeholder-gp-and-letter', criteriaMet: [] } }, { type: 'PlaceholderGpRecorded', data: { setOn: '2026-01-05' } }],
    when: { type: 'RecordPlaceholderGp', data: {} },
  },
  'appointment-exists': { given: withAppointments, when: { type: 'RecordAppointmentHeld', data: { appointmentId: 'a-unknown' } } },
  'appointment-still-planned': {
    given: [...withAppointments, { type: 'AppointmentHeld', data: { appointmentId: 'a-now' } }],
    when: { type: 'RecordAppointmentMissed', data: { appointmentId: 'a-now', missedBy: 'person' } },
  },
  // The same instant written without milliseconds is the same time: no move.
  'appointment-move-changes': { given: withAppointments, when: { type: 'MoveAppointment', data: { appointmentId: 'a-later', at: '2026-01-06T09:00:00Z', place: 'phone' } } },
  'appointment-time-reached': { given: withAppointments, when: { type: 'RecordAppointmentHeld', data: { appointmentId: 'a-later' } } },
  'appointment-cancelled-beforehand': { given: withAppointments, when: { type: 'CancelAppointment', data: { appointmentId: 'a-now', cancelledBy: 'person' } } },
  // The clock reads 2026-01-05T09:00Z: it is 2026-01-05 everywhere on Earth, 2026-01-06 nowhere yet.
  'referral-dates-not-in-future': { given: [], when: { type: 'ReceiveReferral', data: { fundId: 'cpam-test', form: sampleExternalForm({ referralDate: '2026-01-06' }) } } },
  'request-date-not-in-future': { given: historyUntil.closed(), when: { type: 'RequestErasure', data: { requestedOn: '2026-01-06', channel: 'letter' } } },
  'counsellor-changes': { given: historyUntil.review(), when: { type: 'AssignCounsellor', data: { counsellorId: 'counsellor-1' } } },
  'review-checklist-complete': { given: historyUntil.review(), when: { type: 'CompleteReview', data: {} } },
  'welcome-letter-due': {
    given: [
      ...historyUntil.reached(remote),
      { type: 'ConsentRecorded', data: { decision: 'given', mode: 'phone', sharingWith: [] } },
      { type: 'WelcomeLetterDue', data: { dueBy: '2026-01-12' } },
      { type: 'WelcomeLetterSent', data: {} },
    ],
    when: { type: 'RecordWelcomeLetterSent', data: {} },
  },
  'action-id-unique': {
    given: historyUntil.accompaniment(),
    when: { type: 'PlanAction', data: { actionId: 'action-1', strand: 'rights', kind: 'other', owner: { kind: 'person' }, dueDate: '2026-02-01' } },
  },
  'strand-in-plan': { given: historyUntil.planning(), when: { type: 'ReferToPartner', data: { partner: 'mdph', strand: 'social' } } },
  'partner-referral-id-unique': {
    given: [...historyUntil.planning(), referred],
    when: { type: 'ReferToPartner', data: { referralId: 'r1', partner: 'mdph', strand: 'rights' } },
  },
  'action-status-final': {
    given: [...historyUntil.accompaniment(), { type: 'ActionStatusChanged', data: { actionId: 'action-1', status: 'cancelled' } }],
    when: { type: 'UpdateActionStatus', data: { actionId: 'action-1', status: 'planned' } },
  },
  'action-status-changes': { given: historyUntil.accompaniment(), when: { type: 'UpdateActionStatus', data: { actionId: 'action-1', status: 'planned' } } },
  'partner-referral-final': {
    given: [...historyUntil.accompaniment(), referred, { type: 'PartnerReferralUpdated', data: { referralId: 'r1', status: 'refused' } }],
    when: { type: 'UpdatePartnerReferral', data: { referralId: 'r1', status: 'completed' } },
  },
  'objectives-met-needs-outcome': { given: historyUntil.accompaniment(), when: { type: 'CloseCase', data: { reason: 'objectives-met' } } },
  'consent-refused-needs-refusal': { given: historyUntil.planning(), when: { type: 'CloseCase', data: { reason: 'consent-refused' } } },
  'refusal-closes-as-refused': {
    given: [...historyUntil.reached(), { type: 'ConsentRecorded', data: { decision: 'refused', mode: 'phone', sharingWith: [] } }],
    when: { type: 'CloseCase', data: { reason: 'person-withdrew' } },
  },
  'reopen-window': { given: historyUntil.closed(), when: { type: 'ReopenCase', data: { reason: 'new-need' } }, at: '2026-12-01T09:00:00.000Z' },
  'no-reopen-after-erasure': {
    given: [...historyUntil.closed(), { type: 'PersonalDataErased', data: { reason: 'erasure-request' } }],
    when: { type: 'ReopenCase', data: { reason: 'person-request' } },
  },
  'reminder-once': {
    given: [...historyUntil.review(), { type: 'ReminderIssued', data: { kind: 'first-contact', dueOn: '2026-01-15' } }],
    when: { type: 'IssueReminder', data: { kind: 'first-contact', dueOn: '2026-01-15' } },
  },
  'erase-once': {
    given: [...historyUntil.closed(), { type: 'PersonalDataErased', data: { reason: 'retention-expired' } }],
    when: { type: 'ErasePersonalData', data: { reason: 'erasure-request' } },
  },
  'reason-reserved': { given: historyUntil.accompaniment(), when: { type: 'CloseCase', data: { reason: 'consent-withdrawn' } } },
  'consent-scope-changes': { given: historyUntil.planning(), when: { type: 'ChangeConsentScope', data: { sharingWith: [] } } },
  'override-needs-privileged-role': {
    given: historyUntil.reached(remote),
    when: { type: 'OverrideConsent', data: { purpose: 'accompaniment', justification: 'vital-interest' } },
  },
  'override-only-without-consent': {
    given: historyUntil.reached(),
    when: {
      type: 'OverrideConsent',
      actor: { role: 'supervisor', id: 'supervisor-1' },
      data: { purpose: 'accompaniment', justification: 'paper-consent-not-yet-recorded' },
    },
  },
  'partner-sharing-consented': {
    given: historyUntil.planning(),
    when: { type: 'ReferToPartner', data: { partner: 'ccas', strand: 'rights', sharesPersonalData: true } },
  },
  'objection-changes': { given: historyUntil.review(), when: { type: 'RecordEvaluationObjection', data: { objects: false } } },
  'no-rectify-after-erasure': {
    given: [...historyUntil.closed(), { type: 'PersonalDataErased', data: { reason: 'retention-expired' } }],
    when: { type: 'RectifyPersonalData', data: { person: { phone: '06 00 00 00 00' } } },
  },
  'nir-internal-only': { given: historyUntil.review(), when: { type: 'RectifyPersonalData', data: { person: { nir: '189047512345655' } } } },
  'no-note-after-erasure': {
    given: [...historyUntil.closed(), { type: 'PersonalDataErased', data: { reason: 'erasure-request' } }],
    when: { type: 'AddNote', data: { text: 'called again' } },
  },
  'no-reopen-after-withdrawal': {
    given: [...historyUntil.accompaniment(), { type: 'ConsentWithdrawn', data: {} }, { type: 'CaseClosed', data: { reason: 'consent-withdrawn', orientedTo: [] } }],
    when: { type: 'ReopenCase', data: { reason: 'person-request' } },
  },
  'no-reopen-after-death': {
    given: [...historyUntil.accompaniment(), { type: 'CaseClosed', data: { reason: 'deceased', orientedTo: [] } }],
    when: { type: 'ReopenCase', data: { reason: 'closed-in-error' } },
  },
};

describe('business rules', () => {
  for (const [rule, { given, when, at }] of Object.entries(cases)) {
    it(`given a case that breaks '${rule}', when the command is sent, then it is refused by that rule`, async () => {
      const given$ = caseSpecification().given(given);
      await (at ? given$.at(at) : given$).when(when).thenRejected({ rule });
    });
  }

  it('every rule of the rule book has a case above', () => {
    const names = Object.values(businessRules).flatMap((rules) => (rules ?? []).map((rule) => rule.name));
    expect(new Set(Object.keys(cases))).toEqual(new Set(names));
  });

  it('every rule says what it is for', () => {
    for (const rules of Object.values(businessRules)) {
      for (const rule of rules ?? []) expect(rule.description.length, rule.name).toBeGreaterThan(20);
    }
  });
});
