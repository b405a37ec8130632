/**
 * Consent as a record (scope, withdrawal, override) and the person's rights (objection to the
 * evaluation, rectification, erasure on request), through the real handler.
 */
import { describe, expect, it } from 'vitest';
import { CaseCommandHandler } from '../../application/command-handler.ts';
import { VirtualClock } from '../../application/ports/clock.ts';
import { seededUlidGenerator } from '../../application/ports/id-generator.ts';
import { rectificationEntry } from '../../application/seal-personal-data.ts';
import { InMemoryEventStore } from '../../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../../in-memory/memory-vault.ts';
import { caseSpecification, historyUntil, sampleInternalForm, sampleReferralFacts } from '../../testing/index.ts';
import type { DomainEvent } from '../events/catalogue.ts';
import { caseFileOf } from './case-state.ts';

const remote = sampleReferralFacts({ detectionMode: 'phone', consent: { kind: 'remote-pending-confirmation' } });
const supervisor = { role: 'supervisor', id: 'supervisor-1' } as const;

describe('consent as a record', () => {
  it('given a signed form, then the consent record says signed-form, on the signing day, recorded by who filed it', async () => {
    const result = await caseSpecification({ actor: { role: 'detector', id: 'det-1' } })
      .given(historyUntil.triage())
      .when({ type: 'LogTime', data: { minutes: 5, activity: 'triage' } })
      .thenEvents([{ type: 'TimeSpentLogged' }]);
    const file = caseFileOf(result.state);
    expect(file.consentRecord).toEqual({
      mode: 'signed-form',
      givenOn: '2026-01-05',
      recordedAt: '2026-01-05T09:00:00.000Z',
      recordedBy: { role: 'detector', id: 'det-1' },
      sharingWith: [],
    });
    expect(file.referredBy).toEqual({ role: 'detector', id: 'det-1' });
  });

  it('given a person reached by phone, when consent is given with partners, then its scope names them once', async () => {
    const result = await caseSpecification()
      .given(historyUntil.reached(remote))
      .when({ type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas', 'caf-france-travail', 'ccas'] } })
      .thenEvents([
        { type: 'ConsentRecorded', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas', 'caf-france-travail'] } },
        { type: 'WelcomeLetterDue' },
      ]);
    expect(caseFileOf(result.state).consentRecord).toMatchObject({ mode: 'phone', recordedBy: { role: 'counsellor', id: 'counsellor-1' }, sharingWith: ['ccas', 'caf-france-travail'] });
  });

  it('given a pending consent, when needs are identified, then the case cannot pass contact', async () => {
    await caseSpecification()
      .given(historyUntil.reached(remote))
      .when({ type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } })
      .thenRejected({ rule: 'consent-valid' });
  });

  it('given a pending consent, when a supervisor overrides it, then the case passes contact and the override names them', async () => {
    const spec = caseSpecification({ actor: supervisor });
    const result = await spec
      .given(historyUntil.reached(remote))
      .when({ type: 'OverrideConsent', data: { purpose: 'accompaniment', justification: 'vital-interest' } })
      .thenEvents([{ type: 'ConsentOverridden', data: { purpose: 'accompaniment', justification: 'vital-interest' } }]);
    expect(caseFileOf(result.state).consentOverrides).toEqual([
      { purpose: 'accompaniment', justification: 'vital-interest', by: supervisor, at: '2026-01-05T09:00:00.000Z' },
    ]);
    await caseSpecification()
      .given([...historyUntil.reached(remote), { type: 'ConsentOverridden', data: { purpose: 'accompaniment', justification: 'vital-interest' } }])
      .when({ type: 'IdentifyNeeds', data: { problems: ['care-and-health'], strands: ['care'] } })
      .thenEvents([{ type: 'NeedsIdentified' }]);
  });

  it('when an override names a partner for accompaniment, then the command is invalid', async () => {
    await expect(
      caseSpecification({ actor: supervisor })
        .given(historyUntil.reached(remote))
        .when({ type: 'OverrideConsent', data: { purpose: 'accompaniment', partner: 'caf-france-travail', justification: 'vital-interest' } })
        .thenEvents([]),
    ).rejects.toThrow(/data\.partner/);
  });

  it('given consent scoped to a partner, when the person is referred to it sharing data, then it is allowed; to another, refused', async () => {
    const given: DomainEvent[] = [...historyUntil.planning(), { type: 'ConsentScopeChanged', data: { sharingWith: ['ccas'] } }];
    await caseSpecification()
      .given(given)
      .when({ type: 'ReferToPartner', data: { partner: 'ccas', strand: 'rights', sharesPersonalData: true } })
      .thenEvents([{ type: 'PartnerReferralMade' }]);
    await caseSpecification()
      .given(given)
      .when({ type: 'ReferToPartner', data: { partner: 'caf-france-travail', strand: 'rights', sharesPersonalData: true } })
      .thenRejected({ rule: 'partner-sharing-consented' });
  });

  it('given a sharing override for one partner, when the person is referred to it sharing data, then it is allowed', async () => {
    await caseSpecification()
      .given([
        ...historyUntil.planning(),
        { type: 'ConsentOverridden', data: { purpose: 'partner-sharing', partner: 'mdph', justification: 'legal-obligation' } },
      ])
      .when({ type: 'ReferToPartner', data: { partner: 'mdph', strand: 'rights', sharesPersonalData: true } })
      .thenEvents([{ type: 'PartnerReferralMade' }]);
  });

  it('given an accompaniment, when the person withdraws consent, then the case closes, the detector is told, and sharing ends', async () => {
    const result = await caseSpecification()
      .given([...historyUntil.accompaniment(), { type: 'ConsentScopeChanged', data: { sharingWith: ['ccas'] } }])
      .when({ type: 'WithdrawConsent', data: {} })
      .thenEvents([
        { type: 'ConsentWithdrawn' },
        { type: 'CaseClosed', data: { reason: 'consent-withdrawn', orientedTo: [] } },
        { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-ended', detectorKind: 'external-partner' } },
      ]);
    const file = caseFileOf(result.state);
    expect(file.consent).toBe('withdrawn');
    expect(file.consentRecord?.sharingWith).toEqual([]);
    expect(result.status).toBe('closed');
  });

  it('given a pending consent, when the person "withdraws", then there is nothing to withdraw', async () => {
    await caseSpecification().given(historyUntil.reached(remote)).when({ type: 'WithdrawConsent', data: {} }).thenRejected({ rule: 'consent-held' });
  });
});

describe('objection to the evaluation', () => {
  it('given a case, when the person objects, then the file says so; lifting it is recorded too', async () => {
    const result = await caseSpecification()
      .given(historyUntil.closed())
      .when({ type: 'RecordEvaluationObjection', data: { objects: true } })
      .thenEvents([{ type: 'EvaluationObjectionRecorded', data: { objects: true } }]);
    expect(caseFileOf(result.state).objectsToEvaluation).toBe(true);
  });
});

describe('rectification', () => {
  const clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  const setup = () => {
    const vault = new InMemoryVault();
    const handler = new CaseCommandHandler({ store: new InMemoryEventStore(), vault, clock, ids: seededUlidGenerator(3, clock) });
    return { vault, handler };
  };
  const counsellor = { role: 'counsellor', id: 'c-1' } as const;

  it('when the birth date and phone are rectified, then the event names the fields and the new age band, the vault keeps both versions', async () => {
    const { vault, handler } = setup();
    await handler.execute({ type: 'ReceiveReferral', caseId: 'k1', commandId: 'r', actor: counsellor, data: { fundId: 'f', form: sampleInternalForm() } });
    const result = await handler.execute({
      type: 'RectifyPersonalData',
      caseId: 'k1',
      commandId: 'x',
      actor: counsellor,
      data: { person: { birthDate: '1950-04-12', phone: '06 11 22 33 44' } },
    });
    const event = result.events[0];
    expect(event?.type).toBe('PersonalDataRectified');
    if (event?.type !== 'PersonalDataRectified') return;
    expect(event.data.fields).toEqual(['birthDate', 'phone']);
    expect(event.data.ageBand).toBe('70-79');
    expect(JSON.stringify(event)).not.toContain('06 11 22 33 44');
    const subjectRef = caseFileOf(result.state).subjectRef ?? '';
    const entries = await vault.entries(subjectRef);
    expect(entries.status).toBe('found');
    if (entries.status !== 'found') return;
    expect(entries.entries[rectificationEntry(event.data.rectificationId)]).toEqual({ sequence: 1, person: { birthDate: '1950-04-12', phone: '06 11 22 33 44' } });
    expect(entries.entries.referral).toMatchObject({ person: { birthDate: '1989-04-12' } });
  });

  it('when a rectified birth date is after the referral, then a validation error names the field and the vault is unchanged', async () => {
    const { vault, handler } = setup();
    const received = await handler.execute({ type: 'ReceiveReferral', caseId: 'k2', commandId: 'r', actor: counsellor, data: { fundId: 'f', form: sampleInternalForm() } });
    const subjectRef = caseFileOf(received.state).subjectRef ?? '';
    const before = await vault.entries(subjectRef);
    await expect(
      handler.execute({ type: 'RectifyPersonalData', caseId: 'k2', commandId: 'x', actor: counsellor, data: { person: { birthDate: '2030-01-01' } } }),
    ).rejects.toThrow(/data\.person\.birthDate/);
    expect(await vault.entries(subjectRef)).toEqual(before);
  });

  it('when a NIR is badly formed, then the error names the field and never echoes the value', async () => {
    const { handler } = setup();
    const error = await handler
      .execute({ type: 'RectifyPersonalData', caseId: 'k3', commandId: 'x', actor: counsellor, data: { person: { nir: '189047512345600' } } })
      .catch((caught: unknown) => caught);
    expect(String(error)).toContain('data.person.nir');
    expect(String(error)).not.toContain('189047512345600');
  });

  it('when nothing is given to rectify, then the command is invalid', async () => {
    const { handler } = setup();
    await expect(handler.execute({ type: 'RectifyPersonalData', caseId: 'k4', commandId: 'x', actor: counsellor, data: { person: {} } })).rejects.toThrow(
      /at least one field/,
    );
  });
});

describe('erasure on request', () => {
  const request = { type: 'RequestErasure', data: { requestedOn: '2026-01-05', channel: 'letter' } } as const;

  it('given a case in triage, when erasure is requested, then triage declines it and the key is destroyed', async () => {
    await caseSpecification()
      .given(historyUntil.triage())
      .when(request)
      .thenEvents([
        { type: 'ErasureRequested', data: { requestedOn: '2026-01-05', channel: 'letter' } },
        { type: 'ReferralDeclined', data: { reason: 'erasure-requested' } },
        { type: 'DetectorNotificationRequested' },
        { type: 'PersonalDataErased', data: { reason: 'erasure-request' } },
      ]);
  });

  it('given an accompaniment, when erasure is requested, then the case closes before the erasure', async () => {
    const result = await caseSpecification()
      .given(historyUntil.accompaniment())
      .when(request)
      .thenEvents([
        { type: 'ErasureRequested' },
        { type: 'CaseClosed', data: { reason: 'erasure-requested', orientedTo: [] } },
        { type: 'DetectorNotificationRequested' },
        { type: 'PersonalDataErased', data: { reason: 'erasure-request' } },
      ]);
    expect(caseFileOf(result.state).erasureRequest).toEqual({ requestedOn: '2026-01-05', channel: 'letter' });
  });

  it('given a closed case, when erasure is requested, then only the request and the erasure are recorded', async () => {
    await caseSpecification()
      .given(historyUntil.closed())
      .when(request)
      .thenEvents([{ type: 'ErasureRequested' }, { type: 'PersonalDataErased' }]);
  });

  it('given an erased case, when erasure is requested again, then it is refused', async () => {
    await caseSpecification()
      .given([...historyUntil.closed(), { type: 'PersonalDataErased', data: { reason: 'retention-expired' } }])
      .when(request)
      .thenRejected({ rule: 'erase-once' });
  });
});
