/**
 * Diego's case, from the seeds (example no. 1), from referral to closure.
 *
 * Diego, 37, is divorcing and has full custody of a seriously ill daughter. He moved to day shifts
 * to look after her and lost income; he is lost with online procedures; he gives up care because
 * of the out-of-pocket cost and the complexity — a radiology exam his GP prescribed.
 *
 * Run it with `pnpm example diego`. It uses only the public API of `@misas/core`, on the in-memory
 * store unless you pass your own.
 */
import {
  CaseCommandHandler,
  caseFileOf,
  InMemoryEventStore,
  InMemoryVault,
  ReferralPersonalData,
  requiredReviewItems,
  VirtualClock,
  referralEntry,
  seededUlidGenerator,
  type CaseCommandInput,
  type CommandResult,
  type EventStore,
  type PersonalDataVault,
} from '@misas/core';
import { formatIndicators } from '../shared/indicators.ts';
import { formatTimeline } from '../shared/timeline.ts';

/** The partners the seeds tick for Diego. */
export const diegoPartners = [
  'back-office',
  'social-service',
  'medical-service',
  'health-check-centre',
  'private-practitioners',
  'care-establishment',
  'association',
  'complementary-insurer',
  'caf-france-travail',
  'digital-mediator',
] as const;

export interface DiegoOptions {
  readonly store?: EventStore;
  readonly vault?: PersonalDataVault;
}

/** Plays Diego's case and returns the last command's result. */
export async function runDiego(options: DiegoOptions = {}): Promise<CommandResult & { readonly store: EventStore; readonly vault: PersonalDataVault }> {
  const store = options.store ?? new InMemoryEventStore();
  const vault = options.vault ?? new InMemoryVault();
  const clock = new VirtualClock('2026-03-02T10:15:00.000Z');
  const handler = new CaseCommandHandler({ store, vault, clock, ids: seededUlidGenerator(37, clock) });

  const caseId = 'case-diego';
  const counsellor = { role: 'counsellor', id: 'cas-saint-brieuc-04' } as const;
  let step = 0;
  let last: CommandResult | undefined;
  /** Sends one command at a given moment of the virtual clock. */
  const at = async (instant: string, command: Omit<CaseCommandInput, 'caseId' | 'commandId' | 'actor'> & { actor?: CaseCommandInput['actor'] }) => {
    clock.set(instant);
    last = await handler.execute({ caseId, commandId: `diego-${++step}`, actor: counsellor, ...command } as CaseCommandInput);
    return last;
  };

  // 1. His GP fills in the external referral form during a consultation; Diego signs it.
  await at('2026-03-02T10:15:00.000Z', {
    type: 'ReceiveReferral',
    actor: { role: 'detector', id: 'gp-dr-le-goff' },
    data: {
      fundId: 'cpam-22',
      form: {
        variant: 'external',
        referralDate: '2026-03-02',
        detectionMode: 'face-to-face',
        reasons: ['care-renunciation', 'rights-access', 'digital-fragility'],
        person: { lastName: 'R.', firstName: 'Diego', birthDate: '1988-09-14', phone: '06 71 22 43 18' },
        detector: { kind: 'health-professional', name: 'Dr Le Goff', service: 'Cabinet médical de Plérin', phone: '02 96 00 00 00' },
        alreadyStarted: [],
        careRenunciation: {
          careTypes: ['specialist-acts-and-exams'],
          since: '3-to-12-months',
          causes: ['out-of-pocket-cost', 'complex-procedures'],
        },
        consent: { kind: 'signed', signedOn: '2026-03-02' },
        comments: 'Radiologie prescrite non réalisée. Fille gravement malade, priorité pour lui.',
      },
    },
  });

  // 2. Triage: relevant, taken on.
  await at('2026-03-03T08:40:00.000Z', { type: 'AcceptReferral', data: { counsellorId: counsellor.id } });
  await at('2026-03-03T08:55:00.000Z', { type: 'LogTime', data: { minutes: 15, activity: 'triage' } });

  // 3. Administrative review: no complementary cover, no ameli account.
  const needsAction = new Set(['complementary-cover', 'ameli-account']);
  const notApplicable = new Set(['debts-or-overpayments', 'pending-ass-requests']);
  for (const item of requiredReviewItems) {
    await at('2026-03-04T09:30:00.000Z', {
      type: 'RecordReviewItem',
      data: { item, finding: needsAction.has(item) ? 'needs-action' : notApplicable.has(item) ? 'not-applicable' : 'in-order' },
    });
  }
  await at('2026-03-04T10:10:00.000Z', { type: 'CompleteReview', data: {} });
  await at('2026-03-04T10:10:00.000Z', { type: 'LogTime', data: { minutes: 40, activity: 'administrative-review' } });

  // 4. Contact: he works days; the second call, in the evening, reaches him.
  await at('2026-03-05T11:00:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } });
  await at('2026-03-05T18:30:00.000Z', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
  await at('2026-03-05T18:31:00.000Z', { type: 'AddNote', data: { text: 'Joignable après 18h. Garde de sa fille, hospitalisations fréquentes.' } });

  // 5. Needs and plan, built with him on the phone.
  await at('2026-03-05T18:50:00.000Z', {
    type: 'IdentifyNeeds',
    data: {
      problems: ['rights-and-procedures', 'care-and-health', 'digital-inclusion', 'complex-social-situation'],
      strands: ['rights', 'care', 'prevention', 'social', 'digital'],
    },
  });
  const actions = [
    { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner: { kind: 'counsellor', counsellorId: counsellor.id }, dueDate: '2026-03-20' },
    { actionId: 'ameli', strand: 'digital', kind: 'ameli-account-setup', owner: { kind: 'partner', partner: 'digital-mediator' }, dueDate: '2026-03-27' },
    { actionId: 'radiology', strand: 'care', kind: 'book-appointment', owner: { kind: 'counsellor', counsellorId: counsellor.id }, dueDate: '2026-04-10' },
    { actionId: 'health-check', strand: 'prevention', kind: 'prevention-offer', owner: { kind: 'partner', partner: 'health-check-centre' }, dueDate: '2026-05-15' },
  ] as const;
  for (const action of actions) await at('2026-03-05T19:00:00.000Z', { type: 'PlanAction', data: action });

  const strandOf: Record<(typeof diegoPartners)[number], 'rights' | 'care' | 'prevention' | 'social' | 'digital'> = {
    'back-office': 'rights',
    'social-service': 'social',
    'medical-service': 'care',
    'health-check-centre': 'prevention',
    'private-practitioners': 'care',
    'care-establishment': 'care',
    association: 'social',
    'complementary-insurer': 'rights',
    'caf-france-travail': 'social',
    'digital-mediator': 'digital',
  };
  for (const partner of diegoPartners) {
    await at('2026-03-06T09:00:00.000Z', { type: 'ReferToPartner', data: { referralId: partner, partner, strand: strandOf[partner] } });
  }
  await at('2026-03-06T09:30:00.000Z', { type: 'AgreePlan', data: {} });
  await at('2026-03-06T09:30:00.000Z', { type: 'LogTime', data: { minutes: 70, activity: 'planning' } });

  // 6. Accompaniment.
  await at('2026-03-12T14:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: 'back-office', status: 'acknowledged' } });
  await at('2026-03-19T10:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'c2s', status: 'done' } });
  await at('2026-03-26T16:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: 'back-office', status: 'completed' } });
  await at('2026-03-26T16:05:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } });
  await at('2026-03-27T11:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'ameli', status: 'done' } });
  await at('2026-03-27T11:05:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'ameli-account' } } });
  await at('2026-03-30T09:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'radiology', status: 'in-progress' } });
  await at('2026-04-09T17:00:00.000Z', { type: 'UpdateActionStatus', data: { actionId: 'radiology', status: 'done' } });
  await at('2026-04-09T17:05:00.000Z', { type: 'RecordOutcome', data: { outcome: { kind: 'care-carried-out', careType: 'specialist-acts-and-exams' } } });
  await at('2026-04-09T17:06:00.000Z', {
    type: 'RecordOutcome',
    data: { outcome: { kind: 'out-of-pocket-saved', amountCents: 6_900, careType: 'specialist-acts-and-exams' } },
  });
  await at('2026-04-09T17:10:00.000Z', { type: 'LogTime', data: { minutes: 95, activity: 'follow-up' } });
  for (const partner of ['social-service', 'caf-france-travail', 'association'] as const) {
    await at('2026-04-20T10:00:00.000Z', { type: 'UpdatePartnerReferral', data: { referralId: partner, status: 'in-progress' } });
  }

  // 7. Closure: objectives met, with a hand-over to the partners who carry on.
  await at('2026-05-04T15:00:00.000Z', {
    type: 'CloseCase',
    data: { reason: 'objectives-met', orientedTo: ['social-service', 'caf-france-travail', 'association', 'digital-mediator'] },
  });

  if (!last) throw new Error('Diego: no command was run');
  return { ...last, store, vault };
}

/** `pnpm example diego`: plays the case and prints its timeline. */
export async function main(): Promise<void> {
  const result = await runDiego();
  const { events } = await new CaseCommandHandler({ store: result.store, vault: result.vault }).load(result.caseId);
  const file = caseFileOf(result.state);
  const stored = await result.vault.get(file.subjectRef ?? '', referralEntry);
  const personal = stored.status === 'found' ? ReferralPersonalData.safeParse(stored.value) : undefined;
  const who = personal?.success
    ? `${personal.data.person.firstName} ${personal.data.person.lastName}, born ${personal.data.person.birthDate}`
    : `personal data ${stored.status}`;

  console.log(`Case ${result.caseId}: ${who} (read from the vault; the log holds only ${file.subjectRef})\n`);
  console.log(formatTimeline(events));
  console.log(`\nFinal state: ${result.status}`);
  console.log(`Outcomes: ${file.outcomes.map((o) => o.kind).join(', ')}`);
  console.log(`Partners solicited: ${Object.values(file.partnerReferrals).map((r) => r.partner).join(', ')}`);
  console.log(`Counsellor time: ${file.minutesSpent} min over ${events.length} events.`);
  console.log(`\n${await formatIndicators(result.store, { from: '2026-01-01', to: '2026-12-31' })}`);
}
