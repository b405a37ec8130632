/**
 * A valid payload for each command on a given case, drawn at random among the payloads a careful
 * user could send now — written apart from the probes of `commandsAvailable`, so that the property
 * test checks the listing against `execute` rather than against itself. "Careful" means: an action
 * or a referral that can still move when there is one, a consent scope that changes, a closure
 * reason the rules allow here; when there is no such choice, any well-formed payload.
 */
import {
  ActionKind,
  AppointmentParty,
  AppointmentPlace,
  caseFileOf,
  ClosureReason,
  ContactChannel,
  DeclineReason,
  ErasureReason,
  Partner,
  PartnerReferralStatus,
  PlanStrand,
  ProblemCategory,
  ReminderKind,
  ReopenReason,
  RequestChannel,
  ReviewFinding,
  ReviewItem,
  WorkActivity,
  consentAllowsAccompaniment,
  consentAllowsSharingWith,
  type CaseCommandOffered,
  type CaseFile,
  type CaseState,
} from '@misas/core';
import type { SessionCommand } from '../session.ts';

/** A small deterministic source of choices, fed by the property test's random numbers. */
export class Choices {
  #seed: number;
  constructor(seed: number) {
    this.#seed = seed >>> 0 || 1;
  }
  /** A number in [0, n). */
  below(n: number): number {
    // xorshift32: enough to vary choices; the property test draws the seed.
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed % n;
  }
  one<T>(values: readonly T[]): T {
    const value = values[this.below(values.length)];
    if (value === undefined) throw new Error('no value to choose from');
    return value;
  }
  some<T>(values: readonly T[], min = 0): T[] {
    const picked = values.filter(() => this.below(2) === 0);
    return picked.length >= min ? picked : [this.one(values)];
  }
}

type Data<T extends CaseCommandOffered> = Extract<SessionCommand, { type: T }>['data'];

const finalActions = new Set(['done', 'cancelled']);
const finalReferrals = new Set(['completed', 'refused']);
const reserved = new Set<string>(['consent-withdrawn', 'erasure-requested']);

function closureReason(file: CaseFile, c: Choices): ClosureReason {
  if (file.consent === 'refused') return 'consent-refused';
  const allowed = ClosureReason.options.filter((r) => !reserved.has(r) && r !== 'consent-refused' && (r !== 'objectives-met' || file.outcomes.length > 0));
  return c.one(allowed);
}

/** One valid payload of `type` for the case in `state`, sent by `counsellorIds` (the ids the case may be given to). */
export function validPayload<T extends CaseCommandOffered>(type: T, state: CaseState, c: Choices, now: string): Data<T> {
  const today = now.slice(0, 10);
  const file = caseFileOf(state);
  const strands = file.strands.length > 0 ? file.strands : PlanStrand.options;
  const inDays = (days: number) => new Date(Date.parse(now) + days * 86_400_000).toISOString();
  /** A planned appointment whose time fits, else any planned one, else any, else an unknown id. */
  const appointmentWhere = (fits: (at: string) => boolean): [string, { readonly at: string } | undefined] => {
    const all = Object.entries(file.appointments);
    const planned = all.filter(([, a]) => a.status === 'planned');
    const fitting = planned.filter(([, a]) => fits(a.at));
    const pool = fitting.length > 0 ? fitting : planned.length > 0 ? planned : all;
    return pool.length > 0 ? c.one(pool) : ['no-such-appointment', undefined];
  };
  const payloads: { readonly [K in CaseCommandOffered]: () => Data<K> } = {
    AcceptReferral: () => ({ counsellorId: 'c1' }),
    RedirectReferral: () => ({}),
    DeclineReferral: () => ({ reason: c.one(DeclineReason.options.filter((r) => !reserved.has(r))) }),
    AssignCounsellor: () => ({ counsellorId: file.counsellorId === 'c1' ? 'c2' : 'c1' }),
    RecordReviewItem: () => {
      const missing = ReviewItem.options.filter((item) => file.review[item] === undefined);
      return { item: c.one(missing.length > 0 ? missing : ReviewItem.options), finding: c.one(ReviewFinding.options) };
    },
    CompleteReview: () => ({}),
    UpdateReviewFinding: () => {
      const item = c.one(ReviewItem.options);
      return { item, finding: c.one(ReviewFinding.options.filter((finding) => finding !== file.review[item])) };
    },
    RecordPlaceholderGp: () => ({}),
    RecordContactAttempt: () => ({ channel: c.one(ContactChannel.options), reached: c.below(3) > 0 }),
    RecordConsent: () => ({ decision: c.below(6) === 0 ? 'refused' : 'given', mode: 'phone', sharingWith: c.some(Partner.options.slice(0, 4)) }),
    ChangeConsentScope: () => {
      const current = file.consentRecord?.sharingWith ?? [];
      const next = c.some(Partner.options.slice(0, 4));
      const same = [...current].sort().join() === [...next].sort().join();
      return { sharingWith: same ? (next.includes('mdph') ? next.filter((p) => p !== 'mdph') : [...next, 'mdph']) : next };
    },
    WithdrawConsent: () => ({}),
    OverrideConsent: () => {
      if (!consentAllowsAccompaniment(file)) return { purpose: 'accompaniment', justification: 'vital-interest' };
      const uncovered = Partner.options.filter((p) => !consentAllowsSharingWith(file, p));
      return { purpose: 'partner-sharing', partner: c.one(uncovered.length > 0 ? uncovered : Partner.options), justification: 'legal-obligation' };
    },
    RecordEvaluationObjection: () => ({ objects: !file.objectsToEvaluation }),
    RectifyPersonalData: () => ({ person: c.one([{ phone: '07 98 76 54 32' }, { lastName: 'Le Goff' }, { email: null }, { firstName: 'Maël' }]) }),
    RecordWelcomeLetterSent: () => ({}),
    IdentifyNeeds: () => ({ problems: c.some(ProblemCategory.options, 1), strands: c.some(PlanStrand.options, 1) }),
    AssessGpSearch: () => ({
      profile: { hasScheduledOrUrgentCare: c.below(2) === 0, livesWithDisabilityOrInvalidity: false, isC2sBeneficiary: c.below(2) === 0, isDependent: false, age: 20 + c.below(60) },
    }),
    PlanAction: () => ({ strand: c.one(strands), kind: c.one(ActionKind.options), owner: { kind: 'person' }, dueDate: today }),
    UpdateActionStatus: () => {
      const actions = Object.entries(file.actions);
      const movable = actions.filter(([, a]) => !finalActions.has(a.status));
      const [actionId, action] = movable.length > 0 ? c.one(movable) : (actions[0] ?? ['no-such-action', undefined]);
      const next = (['in-progress', 'done', 'cancelled'] as const).filter((s) => s !== action?.status);
      return { actionId, status: c.one(next) };
    },
    ReferToPartner: () => {
      const partner = c.one(Partner.options);
      return { partner, strand: c.one(strands), sharesPersonalData: consentAllowsSharingWith(file, partner) && c.below(2) === 0 };
    },
    UpdatePartnerReferral: () => {
      const referrals = Object.entries(file.partnerReferrals);
      const open = referrals.filter(([, r]) => !finalReferrals.has(r.status));
      const [referralId] = open.length > 0 ? c.one(open) : (referrals[0] ?? ['no-such-referral']);
      return { referralId, status: c.one(PartnerReferralStatus.options) };
    },
    AgreePlan: () => ({}),
    RecordOutcome: () => ({ outcome: c.one([{ kind: 'right-opened', right: 'c2s' }, { kind: 'care-carried-out', careType: 'consultation' }, { kind: 'out-of-pocket-saved', amountCents: 1 + c.below(9000) }] as const) }),
    LogTime: () => ({ minutes: 1 + c.below(90), activity: c.one(WorkActivity.options) }),
    AddNote: () => ({ text: c.one(['Rappeler après 17 h.', 'Dossier C2S envoyé.', 'RDV pris au centre d’examens de santé.']) }),
    CloseCase: () => ({ reason: closureReason(file, c), orientedTo: c.some(Partner.options.slice(0, 3)) }),
    ReopenCase: () => ({ reason: c.one(ReopenReason.options) }),
    IssueReminder: () => ({ kind: c.one(ReminderKind.options), dueOn: today }),
    RequestErasure: () => ({ requestedOn: today, channel: c.one(RequestChannel.options) }),
    ErasePersonalData: () => ({ reason: c.one(ErasureReason.options) }),
    PlanAppointment: () => ({ at: inDays(1 + c.below(10)), place: c.one(AppointmentPlace.options), ...(file.counsellorId === null ? { counsellorId: 'c1' } : {}) }),
    MoveAppointment: () => {
      const [appointmentId, appointment] = appointmentWhere((at) => at > now);
      return { appointmentId, at: new Date(Math.max(Date.parse(appointment?.at ?? now), Date.parse(now)) + (1 + c.below(5)) * 86_400_000).toISOString() };
    },
    RecordAppointmentHeld: () => ({ appointmentId: appointmentWhere((at) => at <= now)[0] }),
    RecordAppointmentMissed: () => ({ appointmentId: appointmentWhere((at) => at <= now)[0], missedBy: c.one(AppointmentParty.options) }),
    CancelAppointment: () => ({ appointmentId: appointmentWhere((at) => at > now)[0], cancelledBy: c.one(AppointmentParty.options) }),
  };
  return payloads[type]();
}
