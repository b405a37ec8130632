/**
 * Every command against every role, through the real handler: a role the table below allows gets
 * the command applied; any other is denied before anything is decided or written. The table is
 * written out here, apart from `permissions.ts`, so that a change of the policy fails this test.
 */
import { describe, expect, it } from 'vitest';
import { authorize } from './authorize.ts';
import {
  caseSpecification,
  historyUntil,
  sampleExternalForm,
  sampleInternalForm,
  sampleReferralFacts,
  type CommandUnderTest,
  type ExpectedEvent,
} from '../../testing/index.ts';
import type { CaseCommandType } from '../../domain/commands.ts';
import type { DomainEvent } from '../../domain/events/catalogue.ts';
import type { PrincipalInput } from './principal.ts';

const fundId = 'cpam-test';
const principals = {
  detector: { role: 'detector', id: 'det-1', fundId, origin: 'health-insurance-service' },
  counsellor: { role: 'counsellor', id: 'counsellor-1', fundId },
  supervisor: { role: 'supervisor', id: 'sup-1', fundId },
  'data-protection-officer': { role: 'data-protection-officer', id: 'dpo-1', fundId },
  auditor: { role: 'auditor', id: 'aud-1', fundId },
  partner: { role: 'partner', id: 'ccas-1', fundId, partner: 'ccas' },
  'national-analyst': { role: 'national-analyst', id: 'cnam-1' },
  'national-auditor': { role: 'national-auditor', id: 'cnam-audit-1' },
  system: { role: 'system', id: 'scheduler' },
} as const satisfies Record<string, PrincipalInput>;
type Role = keyof typeof principals;

const caseWork: Role[] = ['counsellor', 'supervisor'];
const rights: Role[] = ['counsellor', 'supervisor', 'data-protection-officer'];

/** Who may send each command: the policy as the issue states it. */
const allowed: Record<CaseCommandType, Role[]> = {
  ReceiveReferral: ['detector', 'counsellor', 'supervisor'],
  AcceptReferral: caseWork,
  RedirectReferral: caseWork,
  DeclineReferral: caseWork,
  AssignCounsellor: ['supervisor'],
  RecordReviewItem: caseWork,
  PlanAppointment: caseWork,
  MoveAppointment: caseWork,
  RecordAppointmentHeld: caseWork,
  RecordAppointmentMissed: caseWork,
  CancelAppointment: caseWork,
  CompleteReview: caseWork,
  UpdateReviewFinding: caseWork,
  RecordPlaceholderGp: caseWork,
  RecordContactAttempt: caseWork,
  RecordConsent: caseWork,
  ChangeConsentScope: rights,
  WithdrawConsent: rights,
  OverrideConsent: ['supervisor', 'data-protection-officer'],
  RecordEvaluationObjection: rights,
  RectifyPersonalData: rights,
  RecordWelcomeLetterSent: caseWork,
  IdentifyNeeds: caseWork,
  AssessGpSearch: caseWork,
  PlanAction: caseWork,
  UpdateActionStatus: caseWork,
  ReferToPartner: caseWork,
  UpdatePartnerReferral: ['counsellor', 'supervisor', 'partner'],
  AgreePlan: caseWork,
  RecordOutcome: caseWork,
  LogTime: caseWork,
  AddNote: caseWork,
  CloseCase: ['counsellor', 'supervisor', 'system'],
  ReopenCase: caseWork,
  IssueReminder: ['system'],
  RequestErasure: ['data-protection-officer'],
  ErasePersonalData: ['data-protection-officer', 'system'],
};

const remote = sampleReferralFacts({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } });
const toCcas: DomainEvent = {
  type: 'PartnerReferralMade',
  data: { referralId: 'r1', partner: 'ccas', strand: 'rights', followUpBy: '2026-02-01', sharesPersonalData: false },
};
/** A case in planning with appointment `a-now` due now (the spec's clock) and `a-later` the day after. */
const withAppointments: DomainEvent[] = [
  ...historyUntil.planning(),
  { type: 'AppointmentPlanned', data: { appointmentId: 'a-now', at: '2026-01-05T09:00:00.000Z', place: 'branch', counsellorId: 'counsellor-1' } },
  { type: 'AppointmentPlanned', data: { appointmentId: 'a-later', at: '2026-01-06T09:00:00.000Z', place: 'local-drop-in', counsellorId: 'counsellor-1' } },
];
const placeholderGp: DomainEvent = { type: 'GpSearchAssessed', data: { outcome: 'placeholder-gp-and-letter', criteriaMet: [] } };
const reviewed = historyUntil.contact().filter((event) => event.type !== 'ReviewCompleted');

/** A case where each command is valid, and the command. */
const samples: { [T in CaseCommandType]: { given: DomainEvent[]; when: Extract<CommandUnderTest, { type: T }> } } = {
  ReceiveReferral: { given: [], when: { type: 'ReceiveReferral', data: { fundId, form: sampleExternalForm() } } },
  AcceptReferral: { given: historyUntil.triage(), when: { type: 'AcceptReferral', data: { counsellorId: 'counsellor-1' } } },
  RedirectReferral: { given: historyUntil.triage(), when: { type: 'RedirectReferral', data: {} } },
  DeclineReferral: { given: historyUntil.triage(), when: { type: 'DeclineReferral', data: { reason: 'not-relevant' } } },
  AssignCounsellor: { given: historyUntil.review(), when: { type: 'AssignCounsellor', data: { counsellorId: 'counsellor-2' } } },
  RecordReviewItem: { given: historyUntil.review(), when: { type: 'RecordReviewItem', data: { item: 'basic-cover', finding: 'in-order' } } },
  CompleteReview: { given: reviewed, when: { type: 'CompleteReview', data: {} } },
  UpdateReviewFinding: { given: historyUntil.planning(), when: { type: 'UpdateReviewFinding', data: { item: 'basic-cover', finding: 'needs-action' } } },
  RecordPlaceholderGp: { given: [...historyUntil.planning(), placeholderGp], when: { type: 'RecordPlaceholderGp', data: {} } },
  RecordContactAttempt: { given: historyUntil.contact(), when: { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } } },
  PlanAppointment: { given: historyUntil.review(), when: { type: 'PlanAppointment', data: { at: '2026-01-12T14:00:00Z', place: 'branch' } } },
  MoveAppointment: { given: withAppointments, when: { type: 'MoveAppointment', data: { appointmentId: 'a-later', at: '2026-01-07T09:00:00Z' } } },
  RecordAppointmentHeld: { given: withAppointments, when: { type: 'RecordAppointmentHeld', data: { appointmentId: 'a-now', note: 'Dossier C2S complété ensemble' } } },
  RecordAppointmentMissed: { given: withAppointments, when: { type: 'RecordAppointmentMissed', data: { appointmentId: 'a-now', missedBy: 'person' } } },
  CancelAppointment: { given: withAppointments, when: { type: 'CancelAppointment', data: { appointmentId: 'a-later', cancelledBy: 'person' } } },
  RecordConsent: { given: historyUntil.reached(remote), when: { type: 'RecordConsent', data: { decision: 'given', mode: 'phone' } } },
  ChangeConsentScope: { given: historyUntil.planning(), when: { type: 'ChangeConsentScope', data: { sharingWith: ['ccas'] } } },
  WithdrawConsent: { given: historyUntil.accompaniment(), when: { type: 'WithdrawConsent', data: {} } },
  OverrideConsent: {
    given: historyUntil.reached(remote),
    when: { type: 'OverrideConsent', data: { purpose: 'accompaniment', justification: 'vital-interest' } },
  },
  RecordEvaluationObjection: { given: historyUntil.review(), when: { type: 'RecordEvaluationObjection', data: { objects: true } } },
  RectifyPersonalData: { given: historyUntil.review(), when: { type: 'RectifyPersonalData', data: { person: { phone: '06 00 00 00 01' } } } },
  RecordWelcomeLetterSent: {
    given: [
      ...historyUntil.reached(remote),
      { type: 'ConsentRecorded', data: { decision: 'given', mode: 'phone', sharingWith: [] } },
      { type: 'WelcomeLetterDue', data: { dueBy: '2026-01-12' } },
    ],
    when: { type: 'RecordWelcomeLetterSent', data: {} },
  },
  IdentifyNeeds: { given: historyUntil.reached(), when: { type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } } },
  AssessGpSearch: {
    given: historyUntil.planning(),
    when: {
      type: 'AssessGpSearch',
      data: { profile: { hasScheduledOrUrgentCare: true, livesWithDisabilityOrInvalidity: false, isC2sBeneficiary: true, isDependent: false, age: 40 } },
    },
  },
  PlanAction: {
    given: historyUntil.planning(),
    when: { type: 'PlanAction', data: { strand: 'rights', kind: 'other', owner: { kind: 'person' }, dueDate: '2026-02-01' } },
  },
  UpdateActionStatus: { given: historyUntil.accompaniment(), when: { type: 'UpdateActionStatus', data: { actionId: 'action-1', status: 'done' } } },
  ReferToPartner: { given: historyUntil.planning(), when: { type: 'ReferToPartner', data: { partner: 'ccas', strand: 'rights' } } },
  UpdatePartnerReferral: {
    given: [...historyUntil.accompaniment(), toCcas],
    when: { type: 'UpdatePartnerReferral', data: { referralId: 'r1', status: 'acknowledged' } },
  },
  AgreePlan: { given: historyUntil.accompaniment().filter((event) => event.type !== 'PlanAgreed' && event.type !== 'DetectorNotificationRequested'), when: { type: 'AgreePlan', data: {} } },
  RecordOutcome: { given: historyUntil.accompaniment(), when: { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } } },
  LogTime: { given: historyUntil.review(), when: { type: 'LogTime', data: { minutes: 5, activity: 'paperwork' } } },
  AddNote: { given: historyUntil.review(), when: { type: 'AddNote', data: { text: 'Prefers calls after 5 pm.' } } },
  CloseCase: { given: historyUntil.accompaniment(), when: { type: 'CloseCase', data: { reason: 'objectives-partly-met' } } },
  ReopenCase: { given: historyUntil.closed(), when: { type: 'ReopenCase', data: { reason: 'new-need' } } },
  IssueReminder: { given: historyUntil.review(), when: { type: 'IssueReminder', data: { kind: 'first-contact', dueOn: '2026-01-15' } } },
  RequestErasure: { given: historyUntil.closed(), when: { type: 'RequestErasure', data: { requestedOn: '2026-01-05', channel: 'letter' } } },
  ErasePersonalData: { given: historyUntil.closed(), when: { type: 'ErasePersonalData', data: { reason: 'retention-expired' } } },
};

describe('every command against every role', () => {
  for (const [type, { given, when }] of Object.entries(samples) as [CaseCommandType, (typeof samples)[CaseCommandType]][]) {
    for (const role of Object.keys(principals) as Role[]) {
      const permitted = allowed[type].includes(role);
      it(`given a case ready for ${type}, when a ${role} sends it, then it is ${permitted ? 'applied' : 'denied'}`, async () => {
        const spec = caseSpecification({ principal: principals[role] }).given(given).when(when);
        if (permitted) await spec.thenEvents(applied[type]);
        else await spec.thenDenied({ rule: 'role-not-permitted' });
      });
    }
  }
});

/** The events each sample produces when applied. */
const applied: Record<CaseCommandType, ExpectedEvent[]> = {
  ReceiveReferral: [{ type: 'ReferralReceived' }],
  AcceptReferral: [{ type: 'ReferralAccepted' }],
  RedirectReferral: [{ type: 'ReferralRedirected' }, { type: 'DetectorNotificationRequested' }],
  DeclineReferral: [{ type: 'ReferralDeclined' }, { type: 'DetectorNotificationRequested' }],
  AssignCounsellor: [{ type: 'CounsellorAssigned' }],
  RecordReviewItem: [{ type: 'ReviewItemRecorded' }],
  CompleteReview: [{ type: 'ReviewCompleted' }],
  UpdateReviewFinding: [{ type: 'ReviewFindingUpdated' }],
  RecordPlaceholderGp: [{ type: 'PlaceholderGpRecorded' }],
  RecordContactAttempt: [{ type: 'ContactAttempted' }],
  PlanAppointment: [{ type: 'AppointmentPlanned' }],
  MoveAppointment: [{ type: 'AppointmentMoved' }],
  RecordAppointmentHeld: [{ type: 'AppointmentHeld' }],
  RecordAppointmentMissed: [{ type: 'AppointmentMissed' }],
  CancelAppointment: [{ type: 'AppointmentCancelled' }],
  RecordConsent: [{ type: 'ConsentRecorded' }, { type: 'WelcomeLetterDue' }],
  ChangeConsentScope: [{ type: 'ConsentScopeChanged' }],
  WithdrawConsent: [{ type: 'ConsentWithdrawn' }, { type: 'CaseClosed' }, { type: 'DetectorNotificationRequested' }],
  OverrideConsent: [{ type: 'ConsentOverridden' }],
  RecordEvaluationObjection: [{ type: 'EvaluationObjectionRecorded' }],
  RectifyPersonalData: [{ type: 'PersonalDataRectified' }],
  RecordWelcomeLetterSent: [{ type: 'WelcomeLetterSent' }],
  IdentifyNeeds: [{ type: 'NeedsIdentified' }],
  AssessGpSearch: [{ type: 'GpSearchAssessed' }],
  PlanAction: [{ type: 'ActionPlanned' }],
  UpdateActionStatus: [{ type: 'ActionStatusChanged' }],
  ReferToPartner: [{ type: 'PartnerReferralMade' }],
  UpdatePartnerReferral: [{ type: 'PartnerReferralUpdated' }],
  AgreePlan: [{ type: 'PlanAgreed' }, { type: 'DetectorNotificationRequested' }],
  RecordOutcome: [{ type: 'OutcomeRecorded' }],
  LogTime: [{ type: 'TimeSpentLogged' }],
  AddNote: [{ type: 'NoteAdded' }],
  CloseCase: [{ type: 'CaseClosed' }, { type: 'DetectorNotificationRequested' }],
  ReopenCase: [{ type: 'CaseReopened' }],
  IssueReminder: [{ type: 'ReminderIssued' }],
  RequestErasure: [{ type: 'ErasureRequested' }, { type: 'PersonalDataErased' }],
  ErasePersonalData: [{ type: 'PersonalDataErased' }],
};

describe('scope within a role', () => {
  const onCounsellor1sCase = historyUntil.review();
  const note: CommandUnderTest = { type: 'AddNote', data: { text: 'called back' } };

  it('given a case of counsellor-1, when a counsellor outside their team writes to it, then access is denied', async () => {
    await caseSpecification({ principal: { role: 'counsellor', id: 'counsellor-9', fundId } }).given(onCounsellor1sCase).when(note).thenDenied({ rule: 'not-own-case' });
  });

  it("given a case of counsellor-1, when a counsellor of counsellor-1's team writes to it, then it is applied", async () => {
    await caseSpecification({ principal: { role: 'counsellor', id: 'counsellor-9', fundId, team: ['counsellor-1'] } })
      .given(onCounsellor1sCase)
      .when(note)
      .thenEvents([{ type: 'NoteAdded' }]);
  });

  it('given an unassigned referral, when any counsellor of the fund triages it, then it is applied', async () => {
    await caseSpecification({ principal: { role: 'counsellor', id: 'counsellor-9', fundId } })
      .given(historyUntil.triage())
      .when({ type: 'AcceptReferral', data: { counsellorId: 'counsellor-9' } })
      .thenEvents([{ type: 'ReferralAccepted' }]);
  });

  it("given a case of one fund, when another fund's counsellor or supervisor acts on it, then access is denied", async () => {
    for (const principal of [
      { role: 'counsellor', id: 'counsellor-1', fundId: 'cpam-other' },
      { role: 'supervisor', id: 'sup-1', fundId: 'cpam-other' },
    ] as const) {
      await caseSpecification({ principal }).given(onCounsellor1sCase).when(note).thenDenied({ rule: 'other-fund' });
    }
  });

  it('when a health professional or an external partner files the internal form (NIR), then access is denied; an internal service may', async () => {
    const internal: CommandUnderTest = { type: 'ReceiveReferral', data: { fundId, form: sampleInternalForm() } };
    for (const origin of ['health-professional', 'external-partner'] as const) {
      await caseSpecification({ principal: { role: 'detector', id: 'det-2', fundId, origin } })
        .given([])
        .when(internal)
        .thenDenied({ rule: 'internal-form-internal-detector-only' });
    }
    await caseSpecification({ principal: { role: 'detector', id: 'det-3', fundId, origin: 'health-insurance-service' } })
      .given([])
      .when(internal)
      .thenEvents([{ type: 'ReferralReceived' }]);
  });

  it('when a detector files a referral for another fund, then access is denied', async () => {
    await caseSpecification({ principal: principals.detector })
      .given([])
      .when({ type: 'ReceiveReferral', data: { fundId: 'cpam-other', form: sampleExternalForm() } })
      .thenDenied({ rule: 'other-fund' });
  });

  it("when a partner answers a referral made to another partner, then access is denied", async () => {
    await caseSpecification({ principal: { role: 'partner', id: 'caf-1', fundId, partner: 'caf-france-travail' } })
      .given([...historyUntil.accompaniment(), toCcas])
      .when({ type: 'UpdatePartnerReferral', data: { referralId: 'r1', status: 'acknowledged' } })
      .thenDenied({ rule: 'not-own-partner-referral' });
  });

  it('when anyone files a referral under a taken case id, in its fund or another, then it is refused as case-id-taken, state and fund untold', async () => {
    for (const principal of [principals.detector, { role: 'counsellor', id: 'counsellor-1', fundId: 'cpam-other' }] as const) {
      const filing: CommandUnderTest = { type: 'ReceiveReferral', data: { fundId: principal.fundId, form: sampleExternalForm() } };
      const denied = await caseSpecification({ principal }).given(historyUntil.review()).when(filing).thenDenied({ rule: 'case-id-taken' });
      expect(denied.message).not.toMatch(/review|cpam-test/);
    }
  });

  it("when a detector of another fund has the same id as a case's detector, then the case is not their referral", () => {
    const target = { fundId, referredBy: 'det-1' };
    expect(authorize({ ...principals.detector }, { kind: 'query', name: 'detector-referrals' }, target)).toMatchObject({ allowed: true });
    expect(authorize({ ...principals.detector, fundId: 'cpam-other' }, { kind: 'query', name: 'detector-referrals' }, target)).toMatchObject({ rule: 'other-fund' });
  });

  it('when a national grant is asked about one fund, then it is refused: it reaches only what belongs to no fund', () => {
    const auditor = { role: 'national-auditor', id: 'cnam-audit-1' } as const;
    expect(authorize(auditor, { kind: 'query', name: 'audit-trail' }, { fundId: null })).toMatchObject({ allowed: true });
    expect(authorize(auditor, { kind: 'query', name: 'audit-trail' }, { fundId })).toMatchObject({ rule: 'national-only' });
  });

  it('when the command names another actor than the principal, then access is denied', async () => {
    await caseSpecification({ principal: principals.counsellor, actor: { role: 'supervisor', id: 'sup-1' } })
      .given(onCounsellor1sCase)
      .when(note)
      .thenDenied({ rule: 'actor-is-principal' });
  });
});
