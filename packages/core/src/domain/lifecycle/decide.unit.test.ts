import { describe, expect, it } from 'vitest';
import { caseSpecification, historyUntil, sampleExternalForm, sampleReferralFacts } from '../../testing/index.ts';
import { defaultPolicy, parsePolicy } from '../policy.ts';
import { ReviewItem } from '../vocabulary.ts';
import { caseFileOf, type CaseState } from './case-state.ts';

/** The redirection hands the referral off to the social service: a partner referral, sent, due back within the policy's 30 days. */
function expectHandOff(event: { data: unknown } | undefined, automatic: boolean, state: CaseState): void {
  expect(event?.data).toEqual({ to: 'social-service', automatic, handOff: { referralId: 'social-service-hand-off', followUpBy: '2026-02-04' } });
  const { handOff } = event?.data as { handOff: { referralId: string } };
  expect(caseFileOf(state).partnerReferrals[handOff.referralId]).toMatchObject({ partner: 'social-service', strand: 'social', status: 'sent', followUpBy: '2026-02-04' });
}

const spec = (options: Parameters<typeof caseSpecification>[0] = {}) => caseSpecification(options);

describe('referral received', () => {
  it('given no case, when a referral arrives, then the case opens in triage', async () => {
    const result = await spec()
      .given([])
      .when({ type: 'ReceiveReferral', data: { fundId: 'cpam-22', form: sampleExternalForm() } })
      .thenEvents([{ type: 'ReferralReceived' }]);
    expect(result.status).toBe('triage');
    expect(result.events[0]?.data).toMatchObject({ fundId: 'cpam-22', channel: 'external-form' });
  });

  it('given no case, when a complex social situation is referred, then it goes straight to the social service', async () => {
    const result = await spec()
      .given([])
      .when({ type: 'ReceiveReferral', data: { fundId: 'cpam-22', form: sampleExternalForm({ reasons: ['complex-social-situation'] }) } })
      .thenEvents([
        { type: 'ReferralReceived' },
        { type: 'ReferralRedirected' },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'redirected' } },
      ]);
    expect(result.status).toBe('redirected');
    expectHandOff(result.events[1], true, result.state);
  });

  it('given a case, when the same case id receives another referral, then it is refused', async () => {
    await spec()
      .given(historyUntil.triage())
      .when({ type: 'ReceiveReferral', data: { fundId: 'cpam-22', form: sampleExternalForm() } })
      .thenRejected({ rule: 'allowed-in-state', state: 'triage' });
  });
});

describe('triage', () => {
  it('when accepted, then the case moves to review and the first contact is due; the detector is not told yet (nothing started)', async () => {
    const result = await spec()
      .given(historyUntil.triage())
      .when({ type: 'AcceptReferral', data: { counsellorId: 'counsellor-7' } })
      .thenEvents([{ type: 'ReferralAccepted', data: { counsellorId: 'counsellor-7', firstContactDueBy: '2026-01-15' } }]);
    expect(result.status).toBe('review');
  });

  it("the first-contact deadline follows the fund's policy", async () => {
    await spec({ policy: parsePolicy({ fundId: 'cpam-x', firstContactWithinDays: 3 }) })
      .given(historyUntil.triage())
      .when({ type: 'AcceptReferral', data: { counsellorId: 'c' } })
      .thenEvents([{ type: 'ReferralAccepted', data: { counsellorId: 'c', firstContactDueBy: '2026-01-08' } }]);
  });

  it('when redirected, then it ends at the social service', async () => {
    const result = await spec()
      .given(historyUntil.triage())
      .when({ type: 'RedirectReferral', data: {} })
      .thenEvents([
        { type: 'ReferralRedirected' },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'redirected' } },
      ]);
    expect(result.status).toBe('redirected');
    expectHandOff(result.events[0], false, result.state);
  });

  it('when declined with a reason code, then it ends declined', async () => {
    const result = await spec()
      .given(historyUntil.triage())
      .when({ type: 'DeclineReferral', data: { reason: 'duplicate' } })
      .thenEvents([
        { type: 'ReferralDeclined', data: { reason: 'duplicate' } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'declined' } },
      ]);
    expect(result.status).toBe('declined');
  });

  it('a declined referral accepts nothing more', async () => {
    await spec()
      .given([...historyUntil.triage(), { type: 'ReferralDeclined', data: { reason: 'not-relevant' } }])
      .when({ type: 'AcceptReferral', data: { counsellorId: 'c' } })
      .thenRejected({ rule: 'allowed-in-state', state: 'declined' });
  });
});

describe('administrative review', () => {
  it('records each checklist item with its finding', async () => {
    await spec()
      .given(historyUntil.review())
      .when({ type: 'RecordReviewItem', data: { item: 'carte-vitale', finding: 'needs-action' } })
      .thenEvents([{ type: 'ReviewItemRecorded', data: { item: 'carte-vitale', finding: 'needs-action' } }]);
  });

  it('cannot complete while an item has no finding', async () => {
    const error = await spec()
      .given([...historyUntil.review(), { type: 'ReviewItemRecorded', data: { item: 'basic-cover', finding: 'in-order' } }])
      .when({ type: 'CompleteReview', data: {} })
      .thenRejected({ rule: 'review-checklist-complete', state: 'review' });
    expect(error.message).toContain('complementary-cover');
  });

  it('completes once every item has a finding, listing those needing action', async () => {
    const items = ReviewItem.options.map((item) => ({
      type: 'ReviewItemRecorded' as const,
      data: { item, finding: item === 'declared-gp' ? ('needs-action' as const) : ('in-order' as const) },
    }));
    const result = await spec()
      .given([...historyUntil.review(), ...items])
      .when({ type: 'CompleteReview', data: {} })
      .thenEvents([{ type: 'ReviewCompleted', data: { itemsNeedingAction: ['declared-gp'] } }]);
    expect(result.status).toBe('contact.awaiting');
  });

  it('a review item cannot be recorded at triage', async () => {
    await spec()
      .given(historyUntil.triage())
      .when({ type: 'RecordReviewItem', data: { item: 'carte-vitale', finding: 'in-order' } })
      .thenRejected({ rule: 'allowed-in-state', state: 'triage' });
  });
});

describe('contact', () => {
  const failedCall = { type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } } as const;

  it('a failed attempt is counted', async () => {
    await spec()
      .given(historyUntil.contact())
      .when(failedCall)
      .thenEvents([{ type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: false, attempt: 1, failedAttempts: 1 } }]);
  });

  it('the attempt that reaches the unreachable threshold closes the case', async () => {
    const twoFailures = [
      { type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: false, attempt: 1, failedAttempts: 1 } },
      { type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: false, attempt: 2, failedAttempts: 2 } },
    ] as const;
    const result = await spec()
      .given([...historyUntil.contact(), ...twoFailures])
      .when(failedCall)
      .thenEvents([
        { type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: false, attempt: 3, failedAttempts: 3 } },
        { type: 'CaseClosed', data: { reason: 'unreachable', orientedTo: [] } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'unreachable' } },
      ]);
    expect(result.status).toBe('closed');
  });

  it('the threshold is the fund’s: with 1 attempt, the first failure closes', async () => {
    await spec({ policy: parsePolicy({ fundId: 'f', unreachableAfterAttempts: 1 }) })
      .given(historyUntil.contact())
      .when(failedCall)
      .thenEvents([{ type: 'ContactAttempted' }, { type: 'CaseClosed' }, { type: 'DetectorNotificationRequested' }]);
  });

  it('reaching the person moves to contact.reached', async () => {
    const result = await spec()
      .given(historyUntil.contact())
      .when({ type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } })
      .thenEvents([{ type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: true, attempt: 1, failedAttempts: 0 } }]);
    expect(result.status).toBe('contact.reached');
  });

  it('consent cannot be recorded before the person is reached', async () => {
    await spec()
      .given(historyUntil.contact())
      .when({ type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: [] } })
      .thenRejected({ rule: 'allowed-in-state', state: 'contact.awaiting' });
  });

  it('a refusal of consent closes the case', async () => {
    const result = await spec()
      .given(historyUntil.reached())
      .when({ type: 'RecordConsent', data: { decision: 'refused', mode: 'phone', sharingWith: [] } })
      .thenEvents([
        { type: 'ConsentRecorded', data: { decision: 'refused', mode: 'phone', sharingWith: [] } },
        { type: 'CaseClosed', data: { reason: 'consent-refused', orientedTo: [] } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'person-declined' } },
      ]);
    expect(result.status).toBe('closed');
  });

  it('consent confirmed by phone after a remote detection makes a welcome letter due', async () => {
    const remote = sampleReferralFacts({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } });
    await spec({ policy: parsePolicy({ fundId: 'f', welcomeLetterWithinDays: 5 }) })
      .given(historyUntil.reached(remote))
      .when({ type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: [] } })
      .thenEvents([
        { type: 'ConsentRecorded', data: { decision: 'given', mode: 'phone', sharingWith: [] } },
        { type: 'WelcomeLetterDue', data: { dueBy: '2026-01-10' } },
      ]);
  });

  it('without valid consent, needs cannot be identified', async () => {
    const remote = sampleReferralFacts({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } });
    await spec()
      .given(historyUntil.reached(remote))
      .when({ type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } })
      .thenRejected({ rule: 'consent-valid', state: 'contact.reached' });
  });

  it('with consent signed on the form, needs move the case to planning', async () => {
    const result = await spec()
      .given(historyUntil.reached())
      .when({ type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care', 'care'] } })
      .thenEvents([{ type: 'NeedsIdentified', data: { problems: ['care-and-health'], strands: ['care'] } }]);
    expect(result.status).toBe('planning');
  });
});

describe('welcome letter', () => {
  it('cannot be sent when none is due', async () => {
    await spec().given(historyUntil.planning()).when({ type: 'RecordWelcomeLetterSent', data: {} }).thenRejected({ rule: 'welcome-letter-due' });
  });

  it('is recorded once due', async () => {
    const remote = sampleReferralFacts({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } });
    await spec()
      .given([
        ...historyUntil.reached(remote),
        { type: 'ConsentRecorded', data: { decision: 'given', mode: 'phone', sharingWith: [] } },
        { type: 'WelcomeLetterDue', data: { dueBy: '2026-01-12' } },
      ])
      .when({ type: 'RecordWelcomeLetterSent', data: {} })
      .thenEvents([{ type: 'WelcomeLetterSent', data: {} }]);
  });
});

describe('needs and plan', () => {
  const action = {
    type: 'PlanAction',
    data: { actionId: 'a-2', strand: 'care', kind: 'book-appointment', owner: { kind: 'person' }, dueDate: '2026-02-10' },
  } as const;

  it('plans an action on a strand of the plan', async () => {
    await spec().given(historyUntil.planning()).when(action).thenEvents([{ type: 'ActionPlanned', data: action.data }]);
  });

  it('refuses an action outside the strands identified', async () => {
    await spec()
      .given(historyUntil.planning())
      .when({ ...action, data: { ...action.data, strand: 'digital' } })
      .thenRejected({ rule: 'strand-in-plan', state: 'planning' });
  });

  it('refuses an action id already used', async () => {
    await spec()
      .given(historyUntil.accompaniment())
      .when({ ...action, data: { ...action.data, actionId: 'action-1' } })
      .thenRejected({ rule: 'action-id-unique' });
  });

  it('refers to a partner, with a follow-up date from the policy', async () => {
    await spec()
      .given(historyUntil.planning())
      .when({ type: 'ReferToPartner', data: { referralId: 'r-1', partner: 'complementary-insurer', strand: 'rights' } })
      .thenEvents([
        {
          type: 'PartnerReferralMade',
          data: { referralId: 'r-1', partner: 'complementary-insurer', strand: 'rights', followUpBy: '2026-02-04', sharesPersonalData: false },
        },
      ]);
  });

  it('an empty plan cannot be agreed', async () => {
    await spec().given(historyUntil.planning()).when({ type: 'AgreePlan', data: {} }).thenRejected({ rule: 'plan-has-items', state: 'planning' });
  });

  it('a plan with an action is agreed and the accompaniment starts: now the detector is told it started', async () => {
    const result = await spec()
      .given([...historyUntil.planning(), { type: 'ActionPlanned', data: { ...action.data } }])
      .when({ type: 'AgreePlan', data: {} })
      .thenEvents([
        { type: 'PlanAgreed', data: {} },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-started', detectorKind: 'external-partner' } },
      ]);
    expect(result.status).toBe('accompaniment');
  });

  it('a detector told "started" at triage (a stream of v1 notices) is not told it again when the plan is agreed', async () => {
    const [received, ...afterTriage] = historyUntil.planning();
    const toldAtTriage = { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-started', detectorKind: 'external-partner' } } as const;
    await spec()
      .given([received!, afterTriage[0]!, toldAtTriage, ...afterTriage.slice(1), { type: 'ActionPlanned', data: { ...action.data } }])
      .when({ type: 'AgreePlan', data: {} })
      .thenEvents([{ type: 'PlanAgreed', data: {} }]);
  });

  it('a case closed before its plan was agreed tells the detector it never started, and why', async () => {
    await spec()
      .given(historyUntil.planning())
      .when({ type: 'CloseCase', data: { reason: 'moved-away' } })
      .thenEvents([
        { type: 'CaseClosed', data: { reason: 'moved-away', orientedTo: [] } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'closed-before-start' } },
      ]);
    await spec()
      .given(historyUntil.planning())
      .when({ type: 'WithdrawConsent', data: {} })
      .thenEvents([
        { type: 'ConsentWithdrawn' },
        { type: 'CaseClosed', data: { reason: 'consent-withdrawn', orientedTo: [] } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'person-declined' } },
      ]);
  });

  it('applies the GP-search rule of the fund', async () => {
    const profile = {
      hasScheduledOrUrgentCare: false,
      livesWithDisabilityOrInvalidity: false,
      isC2sBeneficiary: true,
      isDependent: true,
      age: 72,
    };
    await spec()
      .given(historyUntil.planning())
      .when({ type: 'AssessGpSearch', data: { profile } })
      .thenEvents([{ type: 'GpSearchAssessed', data: { outcome: 'systematic-accompaniment', criteriaMet: ['dependent-elderly'] } }]);
    await spec({ policy: parsePolicy({ fundId: 'f', gpSearch: { systematicWhen: { dependentFromAge: null } } }) })
      .given(historyUntil.planning())
      .when({ type: 'AssessGpSearch', data: { profile } })
      .thenEvents([{ type: 'GpSearchAssessed', data: { outcome: 'placeholder-gp-and-letter', criteriaMet: [] } }]);
  });
});

describe('accompaniment', () => {
  it('moves an action forward', async () => {
    await spec()
      .given(historyUntil.accompaniment())
      .when({ type: 'UpdateActionStatus', data: { actionId: 'action-1', status: 'done' } })
      .thenEvents([{ type: 'ActionStatusChanged', data: { actionId: 'action-1', status: 'done' } }]);
  });

  it('refuses an unknown action', async () => {
    await spec()
      .given(historyUntil.accompaniment())
      .when({ type: 'UpdateActionStatus', data: { actionId: 'nope', status: 'done' } })
      .thenRejected({ rule: 'action-exists', state: 'accompaniment' });
  });

  it('refuses to change a done action', async () => {
    await spec()
      .given([...historyUntil.accompaniment(), { type: 'ActionStatusChanged', data: { actionId: 'action-1', status: 'done' } }])
      .when({ type: 'UpdateActionStatus', data: { actionId: 'action-1', status: 'in-progress' } })
      .thenRejected({ rule: 'action-status-final' });
  });

  it('follows a partner referral and refuses to change a completed one', async () => {
    const referred = [
      ...historyUntil.accompaniment(),
      { type: 'PartnerReferralMade', data: { referralId: 'r', partner: 'mdph', strand: 'rights', followUpBy: '2026-03-01', sharesPersonalData: false } },
    ] as const;
    await spec()
      .given(referred)
      .when({ type: 'UpdatePartnerReferral', data: { referralId: 'r', status: 'completed' } })
      .thenEvents([{ type: 'PartnerReferralUpdated', data: { referralId: 'r', status: 'completed' } }]);
    await spec()
      .given([...referred, { type: 'PartnerReferralUpdated', data: { referralId: 'r', status: 'completed' } }])
      .when({ type: 'UpdatePartnerReferral', data: { referralId: 'r', status: 'refused' } })
      .thenRejected({ rule: 'partner-referral-final' });
    await spec()
      .given(referred)
      .when({ type: 'UpdatePartnerReferral', data: { referralId: 'unknown', status: 'completed' } })
      .thenRejected({ rule: 'partner-referral-exists' });
  });

  it('records outcomes and time spent', async () => {
    await spec()
      .given(historyUntil.accompaniment())
      .when({ type: 'RecordOutcome', data: { outcome: { kind: 'out-of-pocket-saved', amountCents: 45_000, careType: 'medical-devices' } } })
      .thenEvents([{ type: 'OutcomeRecorded' }]);
    await spec()
      .given(historyUntil.accompaniment())
      .when({ type: 'LogTime', data: { minutes: 35, activity: 'follow-up', strand: 'care' } })
      .thenEvents([{ type: 'TimeSpentLogged', data: { minutes: 35, activity: 'follow-up', strand: 'care' } }]);
  });

  it('outcomes cannot be recorded before the plan is agreed', async () => {
    await spec()
      .given(historyUntil.planning())
      .when({ type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } })
      .thenRejected({ rule: 'allowed-in-state', state: 'planning' });
  });
});

describe('closure and reopening', () => {
  it("'objectives met' needs an outcome", async () => {
    await spec()
      .given(historyUntil.accompaniment())
      .when({ type: 'CloseCase', data: { reason: 'objectives-met' } })
      .thenRejected({ rule: 'objectives-met-needs-outcome' });
  });

  it('closes with the partners the person is oriented to, and tells the detector', async () => {
    const result = await spec()
      .given([...historyUntil.accompaniment(), { type: 'OutcomeRecorded', data: { outcome: { kind: 'care-carried-out', careType: 'consultation' } } }])
      .when({ type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: ['association', 'association', 'ccas'] } })
      .thenEvents([
        { type: 'CaseClosed', data: { reason: 'objectives-met', orientedTo: ['association', 'ccas'] } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-ended', detectorKind: 'external-partner' } },
      ]);
    expect(result.status).toBe('closed');
  });

  it("'consent refused' is reserved for a recorded refusal", async () => {
    await spec()
      .given(historyUntil.accompaniment())
      .when({ type: 'CloseCase', data: { reason: 'consent-refused' } })
      .thenRejected({ rule: 'consent-refused-needs-refusal' });
  });

  it('reopens within the window, back to the accompaniment when a plan was agreed', async () => {
    const result = await spec()
      .given(historyUntil.closed())
      .at('2026-03-01T10:00:00.000Z')
      .when({ type: 'ReopenCase', data: { reason: 'new-need' } })
      .thenEvents([{ type: 'CaseReopened', data: { reason: 'new-need' } }]);
    expect(result.status).toBe('accompaniment');
  });

  it('refuses to reopen after the window', async () => {
    const lastDay = `2026-01-05 + ${defaultPolicy.reopenWithinDays} days`;
    const error = await spec()
      .given(historyUntil.closed())
      .at('2026-06-01T10:00:00.000Z')
      .when({ type: 'ReopenCase', data: { reason: 'new-need' } })
      .thenRejected({ rule: 'reopen-window', state: 'closed' });
    expect(error.message, lastDay).toContain('2026-04-05');
  });

  it('a case closed as unreachable reopens to contact', async () => {
    const result = await spec()
      .given([...historyUntil.contact(), { type: 'CaseClosed', data: { reason: 'unreachable', orientedTo: [] } }])
      .when({ type: 'ReopenCase', data: { reason: 'person-request' } })
      .thenEvents([{ type: 'CaseReopened' }]);
    expect(result.status).toBe('contact.awaiting');
  });

  it('never reopens a case closed because the person died', async () => {
    await spec()
      .given([...historyUntil.accompaniment(), { type: 'CaseClosed', data: { reason: 'deceased', orientedTo: [] } }])
      .when({ type: 'ReopenCase', data: { reason: 'closed-in-error' } })
      .thenRejected({ rule: 'no-reopen-after-death' });
  });
});

describe('bookkeeping and time', () => {
  it('reassigns a case, but not to its current counsellor', async () => {
    await spec().given(historyUntil.review()).when({ type: 'AssignCounsellor', data: { counsellorId: 'counsellor-2' } }).thenEvents([{ type: 'CounsellorAssigned' }]);
    await spec().given(historyUntil.review()).when({ type: 'AssignCounsellor', data: { counsellorId: 'counsellor-1' } }).thenRejected({ rule: 'counsellor-changes' });
  });

  it('a note keeps its text out of the log', async () => {
    const result = await spec().given(historyUntil.review()).when({ type: 'AddNote', data: { text: 'Rappeler après 18h' } }).thenEvents([{ type: 'NoteAdded' }]);
    expect(JSON.stringify(result.events)).not.toContain('Rappeler');
  });

  it('refuses a fact dated in the future', async () => {
    await spec()
      .given(historyUntil.review())
      .when({ type: 'LogTime', occurredAt: '2027-01-01T00:00:00.000Z', data: { minutes: 5, activity: 'paperwork' } })
      .thenRejected({ rule: 'occurred-at-not-in-future' });
  });

  it('refuses a fact dated before the latest one', async () => {
    await spec()
      .given(historyUntil.review())
      .at('2026-01-06T09:00:00.000Z')
      .when({ type: 'LogTime', occurredAt: '2026-01-01T00:00:00.000Z', data: { minutes: 5, activity: 'paperwork' } })
      .thenRejected({ rule: 'occurred-at-in-order' });
  });
});
