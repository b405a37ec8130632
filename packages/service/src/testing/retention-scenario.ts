/**
 * One person's whole stay in misas, from an internal referral to erasure at the end of retention,
 * run through `createMisas` sessions on a given storage: the SQLite and PostgreSQL proofs of
 * erasure play this same story. Runner-agnostic (node's assert, no vitest), like the
 * conformance suites.
 *
 * The person's data is ASCII on purpose: the raw-file scans look for UTF-8 bytes, and an ASCII
 * value has one spelling only, so a copy cannot hide behind an escape.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { z } from 'zod';
import {
  addDays,
  addMonths,
  dayOf,
  decodeEvent,
  defaultPolicies,
  ReviewItem,
  seededUlidGenerator,
  ValidationError,
  VirtualClock,
  type CaseEvent,
  type IdGenerator,
  type MisasStorage,
  type PrincipalInput,
} from '@misas/core';
import { sampleInternalForm } from '@misas/core/testing';
import { deliverOutbox, detectorNoticeRelay, erasureRelay, runReactor, Scheduler } from '@misas/projections';
import { createMisas, type Misas } from '../misas.ts';
import { exportEntry } from '../rights/person-export.ts';
import type { MisasSession, SessionCommand } from '../session.ts';

export const fund = 'cpam-29';
export const caseId = 'case-retention';
/** A valid NIR (its key matches), on the internal form only. */
export const nir = '283062901904461';
/** The same number with a wrong key: refused, and never echoed by the refusal. */
export const badNir = '283062901904462';
/** What a copy of either would show: the 13-digit number before the key. */
export const nirNumber = nir.slice(0, 13);
export const person = { lastName: 'Kerdoncuff-Quemener', firstName: 'Gwenola', birthDate: '1983-06-17', phone: '06 47 81 29 53', nir } as const;
export const rectifiedPhone = '07 58 36 92 14';
export const noteText = 'Craint les aiguilles depuis un accident de ferme a Plougastel en 2019.';

/** Every value of the person that no file, log, view or message may show in clear. */
export const secrets: Readonly<Record<string, string>> = {
  lastName: person.lastName,
  firstName: person.firstName,
  birthDate: person.birthDate,
  /** The number without its key: found in any copy of the NIR, well-formed or not. */
  nir: nirNumber,
  phone: person.phone,
  phoneDigits: person.phone.replaceAll(' ', ''),
  rectifiedPhone,
  rectifiedPhoneDigits: rectifiedPhone.replaceAll(' ', ''),
  note: noteText,
};

export const principals = {
  detector: { role: 'detector', id: 'det-accueil-brest', fundId: fund, origin: 'health-insurance-service' },
  counsellor: { role: 'counsellor', id: 'counsellor-29', fundId: fund },
  supervisor: { role: 'supervisor', id: 'sup-29', fundId: fund },
  dpo: { role: 'data-protection-officer', id: 'dpo-29', fundId: fund },
  partner: { role: 'partner', id: 'ccas-brest', fundId: fund, partner: 'ccas' },
} as const satisfies Record<string, PrincipalInput>;
type Role = keyof typeof principals;

/** A command of the story's case, without the envelope the story adds. */
type Step = SessionCommand extends infer C ? (C extends unknown ? Omit<C, 'caseId' | 'commandId'> : never) : never;

/** What a view answered, kept to look for the NIR in it afterwards. */
export interface ViewAnswer {
  readonly query: 'case-detail' | 'person-export' | 'partner-referrals' | 'detector-referrals';
  readonly json: string;
}

const NoticePayload = z.object({ caseId: z.string(), notice: z.string() });

/** Everything a thrown value says about itself: message, stack, and every own property (a zod issue's `input`…). */
export function everythingSaidBy(error: unknown): string {
  return error instanceof Error ? [error.message, error.stack ?? '', inspect(error, { depth: null })].join('\n') : inspect(error, { depth: null });
}

/** The story on one storage; its state is what the proofs look at. */
export class RetentionStory {
  storage: MisasStorage;
  misas: Misas;
  readonly clock = new VirtualClock('2026-01-05T09:00:00.000Z');
  /** Kept across a reopening, so ids never repeat. */
  readonly ids: IdGenerator = seededUlidGenerator(29, this.clock);
  subjectRef = '';
  exportId = '';
  /** When the counsellor closed the case. */
  closedAt = '';
  readonly answers: ViewAnswer[] = [];
  /** Every outbox message delivered, as JSON, and the notices they carried. */
  readonly delivered: string[] = [];
  readonly notices: string[] = [];
  /** Everything said by the refusals of a badly-formed NIR. */
  readonly refusals: string[] = [];
  #commands = 0;

  private constructor(storage: MisasStorage) {
    this.storage = storage;
    this.misas = createMisas({ storage, clock: this.clock, ids: this.ids });
  }

  /** Runs the case from referral to closure, reading every view on the way, and relays its notices. */
  static async live(storage: MisasStorage): Promise<RetentionStory> {
    const story = new RetentionStory(storage);
    await story.#live();
    return story;
  }

  /** Goes on with the same clock and ids on `storage` (the same data, reopened). */
  reattach(storage: MisasStorage): void {
    this.storage = storage;
    this.misas = createMisas({ storage, clock: this.clock, ids: this.ids });
  }

  as(role: Role): MisasSession {
    return this.misas.as(principals[role]);
  }

  /** The day the policy says the person must be erased by: the closure plus the fund's retention. */
  get eraseBy(): string {
    return addMonths(dayOf(this.closedAt), defaultPolicies(fund).retentionMonthsAfterClosure);
  }

  /** Sends one command of the case as `role`, ten minutes after the previous one. */
  async send(role: Role, step: Step): Promise<void> {
    this.clock.advance({ minutes: 10 });
    await this.as(role).execute({ ...step, caseId, commandId: `${caseId}:${++this.#commands}` });
  }

  /** Runs the relays the deployment runs: detector notices to the outbox and out of it, and the erasure safety net. */
  async relay(): Promise<void> {
    const { events, projections, outbox, vault } = this.storage;
    await runReactor(events, projections, detectorNoticeRelay(outbox));
    await runReactor(events, projections, erasureRelay(vault, projections));
    await deliverOutbox({
      outbox,
      now: this.clock.now(),
      deliver: async (message) => {
        this.delivered.push(JSON.stringify(message));
        this.notices.push(NoticePayload.parse(message.payload).notice);
      },
    });
  }

  /**
   * Runs the scheduler day by day until two days past the day the person must be erased by.
   * Returns the days on which an erasure was applied.
   */
  async runSchedulerPastRetention(): Promise<string[]> {
    const scheduler = new Scheduler({ storage: this.storage, handler: this.misas.handler, clock: this.clock });
    const erasedOn: string[] = [];
    await scheduler.runDaily(this.clock, addDays(this.eraseBy, 2), (day, result) => {
      for (const { deadline, outcome } of result.fired) if (deadline.kind === 'retention-expiry' && outcome === 'applied') erasedOn.push(day);
    });
    return erasedOn;
  }

  /** The case's events, decoded (and so validated). */
  async events(): Promise<CaseEvent[]> {
    return (await this.storage.events.readStream(caseId)).map((record) => decodeEvent(record));
  }

  /** Reads a view and keeps what it answered. */
  async read<T>(query: ViewAnswer['query'], answer: Promise<T>): Promise<T> {
    const value = await answer;
    this.answers.push({ query, json: JSON.stringify(value) });
    return value;
  }

  /** Sends what must be refused, and keeps everything the refusal says. */
  async refuse(attempt: () => Promise<unknown>): Promise<void> {
    const error: unknown = await attempt().then(
      () => assert.fail('a badly-formed NIR was accepted'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${inspect(error)}`);
    this.refusals.push(everythingSaidBy(error));
  }

  async #live(): Promise<void> {
    const form = sampleInternalForm({ detectionMode: 'face-to-face', consent: { kind: 'signed', signedOn: '2026-01-05' }, person });
    await this.send('detector', { type: 'ReceiveReferral', data: { fundId: fund, form } });
    const received = (await this.events())[0];
    this.subjectRef = received?.type === 'ReferralReceived' ? received.data.subjectRef : '';
    assert.notEqual(this.subjectRef, '');

    await this.send('counsellor', { type: 'AcceptReferral', data: { counsellorId: principals.counsellor.id } });
    for (const item of ReviewItem.options) await this.send('counsellor', { type: 'RecordReviewItem', data: { item, finding: 'in-order' } });
    await this.send('counsellor', { type: 'CompleteReview', data: {} });
    await this.send('counsellor', { type: 'RecordContactAttempt', data: { channel: 'phone', reached: true } });
    await this.send('counsellor', { type: 'RecordConsent', data: { decision: 'given', mode: 'phone', sharingWith: ['ccas'] } });
    await this.send('counsellor', { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: ['rights'] } });
    await this.send('counsellor', { type: 'ReferToPartner', data: { referralId: 'ref-ccas', partner: 'ccas', strand: 'rights', sharesPersonalData: true } });
    await this.send('counsellor', { type: 'AddNote', data: { text: noteText } });
    const owner = { kind: 'counsellor', counsellorId: principals.counsellor.id } as const;
    await this.send('counsellor', { type: 'PlanAction', data: { actionId: 'c2s', strand: 'rights', kind: 'c2s-application', owner, dueDate: '2026-02-01' } });
    await this.send('counsellor', { type: 'AgreePlan', data: {} });
    await this.send('counsellor', { type: 'UpdateActionStatus', data: { actionId: 'c2s', status: 'done' } });
    await this.send('counsellor', { type: 'RecordOutcome', data: { outcome: { kind: 'right-opened', right: 'c2s' } } });
    await this.send('dpo', { type: 'RectifyPersonalData', data: { person: { phone: rectifiedPhone } } });

    // A badly-formed NIR, in a command and in a query: refused without being repeated.
    const badForm = sampleInternalForm({ detectionMode: 'face-to-face', consent: { kind: 'signed', signedOn: '2026-01-05' }, person: { ...person, nir: badNir } });
    await this.refuse(() => this.as('detector').execute({ type: 'ReceiveReferral', caseId: 'case-bad-nir', commandId: 'bad-nir:1', data: { fundId: fund, form: badForm } }));
    await this.refuse(() => this.as('dpo').execute({ type: 'RectifyPersonalData', caseId, commandId: 'bad-nir:2', data: { person: { nir: badNir } } }));
    await this.refuse(() => this.as('dpo').findPerson({ kind: 'nir', nir: badNir }));

    // Every view, read while the data is held: the positive controls of what erasure must undo.
    const exported = await this.read('person-export', this.as('dpo').exportPerson(caseId));
    this.exportId = exported.exportId;
    assert.equal((await this.storage.vault.get(this.subjectRef, exportEntry(this.exportId))).status, 'found');
    const detail = await this.read('case-detail', this.as('counsellor').caseDetail(caseId));
    assert.equal(detail?.person.status === 'found' && detail.person.record.current.person.nir, nir);
    const shared = await this.read('partner-referrals', this.as('partner').partnerReferrals());
    assert.equal(shared[0]?.person?.phone, rectifiedPhone);
    assert.deepEqual(await this.as('dpo').findPerson({ kind: 'nir', nir }), [caseId]);
    await this.relay();

    this.clock.set('2026-02-16T10:00:00.000Z');
    await this.send('counsellor', { type: 'CloseCase', data: { reason: 'objectives-met', orientedTo: ['ccas'] } });
    this.closedAt = (await this.events()).find((event) => event.type === 'CaseClosed')?.meta.occurredAt ?? '';
    const told = await this.read('detector-referrals', this.as('detector').detectorReferrals());
    assert.deepEqual(told, [{ caseId, referralDate: '2026-01-05', startedOn: '2026-01-05', endedOn: '2026-02-16', notStartedOn: null, notStartedReason: null }]);
    await this.relay();
    assert.deepEqual([...this.notices].sort(), ['accompaniment-ended', 'accompaniment-started']);
  }
}
