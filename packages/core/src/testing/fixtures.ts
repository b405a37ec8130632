/**
 * Ready-made inputs for tests and examples: a valid referral form and the events of a case
 * walked to each step. Override any field you care about.
 */
import type { z } from 'zod';
import type { AuditEntry } from '../application/ports/audit-trail.ts';
import type { DomainEvent } from '../domain/events/catalogue.ts';
import type { InternalReferralForm, ExternalReferralForm, ReferralFacts } from '../domain/referral.ts';
import { ReviewItem } from '../domain/vocabulary.ts';

/** A valid external referral form (no NIR), signed, for a care-renunciation case. */
export function sampleExternalForm(overrides: Partial<z.input<typeof ExternalReferralForm>> = {}): z.input<typeof ExternalReferralForm> {
  return {
    variant: 'external',
    referralDate: '2026-01-05',
    detectionMode: 'face-to-face',
    reasons: ['care-renunciation', 'rights-access'],
    person: { lastName: 'Martin', firstName: 'Alex', birthDate: '1989-04-12', phone: '06 12 34 56 78' },
    detector: { kind: 'external-partner', name: 'Camille Durand', service: 'CCAS', email: 'c.durand@example.org' },
    alreadyStarted: [],
    careRenunciation: { careTypes: ['specialist-acts-and-exams'], since: '3-to-12-months', causes: ['out-of-pocket-cost'] },
    consent: { kind: 'signed', signedOn: '2026-01-05' },
    ...overrides,
  };
}

/** A valid internal referral form with a NIR, detected by phone with consent to confirm. */
export function sampleInternalForm(overrides: Partial<z.input<typeof InternalReferralForm>> = {}): z.input<typeof InternalReferralForm> {
  return {
    variant: 'internal',
    referralDate: '2026-01-05',
    detectionMode: 'phone',
    reasons: ['rights-access'],
    person: { lastName: 'Martin', firstName: 'Alex', birthDate: '1989-04-12', nir: '189047512345655' },
    detector: { kind: 'health-insurance-service', name: 'Agent accueil', service: 'Accueil Saint-Brieuc' },
    alreadyStarted: ['c2s-application'],
    consent: { kind: 'remote-pending-confirmation' },
    ...overrides,
  };
}

/** The non-personal facts of a signed external referral, as `ReferralReceived` carries them. */
export function sampleReferralFacts(overrides: Partial<ReferralFacts> = {}): ReferralFacts {
  return {
    variant: 'external',
    referralDate: '2026-01-05',
    detectionMode: 'face-to-face',
    reasons: ['care-renunciation', 'rights-access'],
    detector: { kind: 'external-partner', service: 'CCAS' },
    alreadyStarted: [],
    careRenunciation: { careTypes: ['specialist-acts-and-exams'], since: '3-to-12-months', causes: ['out-of-pocket-cost'] },
    consent: { kind: 'signed', signedOn: '2026-01-05' },
    objectsToEvaluation: false,
    hasNir: false,
    ageBand: '26-39',
    ...overrides,
  };
}

/** Events that walk a case to a step of the lifecycle, for `given(...)`. */
export const historyUntil = {
  triage: (facts: ReferralFacts = sampleReferralFacts()): DomainEvent[] => [
    { type: 'ReferralReceived', data: { fundId: 'cpam-test', channel: 'external-form', subjectRef: 'subj_test', referral: facts } },
  ],
  review: (facts?: ReferralFacts): DomainEvent[] => [
    ...historyUntil.triage(facts),
    { type: 'ReferralAccepted', data: { counsellorId: 'counsellor-1', firstContactDueBy: '2026-01-15' } },
  ],
  contact: (facts?: ReferralFacts): DomainEvent[] => [
    ...historyUntil.review(facts),
    ...ReviewItem.options.map(
      (item): DomainEvent => ({ type: 'ReviewItemRecorded', data: { item, finding: item === 'complementary-cover' ? 'needs-action' : 'in-order' } }),
    ),
    { type: 'ReviewCompleted', data: { itemsNeedingAction: ['complementary-cover'] } },
  ],
  reached: (facts?: ReferralFacts): DomainEvent[] => [
    ...historyUntil.contact(facts),
    { type: 'ContactAttempted', data: { channel: 'phone', direction: 'outgoing', reached: true, attempt: 1, failedAttempts: 0 } },
  ],
  planning: (facts?: ReferralFacts): DomainEvent[] => [
    ...historyUntil.reached(facts),
    { type: 'NeedsIdentified', data: { problems: ['rights-and-procedures', 'care-and-health'], strands: ['rights', 'care'] } },
  ],
  accompaniment: (facts?: ReferralFacts): DomainEvent[] => [
    ...historyUntil.planning(facts),
    {
      type: 'ActionPlanned',
      data: { actionId: 'action-1', strand: 'rights', kind: 'c2s-application', owner: { kind: 'counsellor', counsellorId: 'counsellor-1' }, dueDate: '2026-02-01' },
    },
    { type: 'PlanAgreed', data: {} },
    { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-started', detectorKind: 'external-partner' } },
  ],
  closed: (facts?: ReferralFacts): DomainEvent[] => [
    ...historyUntil.accompaniment(facts),
    { type: 'OutcomeRecorded', data: { outcome: { kind: 'right-opened', right: 'c2s' } } },
    { type: 'CaseClosed', data: { reason: 'objectives-met', orientedTo: [] } },
    { type: 'DetectorNotificationRequested', data: { notice: 'accompaniment-ended', detectorKind: 'external-partner' } },
  ],
};

/** A valid audit entry (an auditor reading the trail); override any field you care about. */
export function sampleAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'audit-1',
    at: '2026-01-05T09:00:00.000Z',
    principal: { role: 'auditor', id: 'auditor-1', fundId: 'cpam-22' },
    action: 'read',
    name: 'audit-trail',
    outcome: 'allowed',
    fundId: 'cpam-22',
    caseId: null,
    subjectRef: null,
    personalData: false,
    rule: null,
    ...overrides,
  };
}
