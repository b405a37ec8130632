/**
 * The case register projection: one row per case, kept up to date event by event, plus an index
 * by fund so that a fund's register is read without scanning the others.
 */
import {
  type CaseEvent,
  type EventData,
  type EventMetadata,
  WorkActivity,
} from '@misas/core';
import { caseProjection } from '../../engine/case-projection.ts';
import type { Projection } from '../../engine/projection.ts';
import { stepAfter } from '../shared/case-step.ts';
import { wholeDaysBetween } from '../shared/fast-calendar.ts';
import { decodeDocument, keyPart } from '../shared/documents.ts';
import { CaseRegisterRow, StrandOrNone, type RegisterDates, type RegisterDurations } from './register-row.ts';

/** Name (and checkpoint) of the case register projection. */
export const caseRegisterName = 'case-register';
/** The rows, keyed by case id. */
export const caseRegisterCollection = 'cases';
/** Index `fund/caseId` → `{ caseId }`, in case-id order within a fund. */
export const caseRegisterByFundCollection = 'cases-by-fund';

/** The key of a case in the fund index. */
export function fundIndexKey(fundId: string, caseId: string): string {
  return `${keyPart(fundId)}/${caseId}`;
}

/** The events that change a row besides the referral that creates it. */
type Updating =
  | 'ReferralAccepted'
  | 'ReferralRedirected'
  | 'ReferralDeclined'
  | 'CounsellorAssigned'
  | 'ReviewCompleted'
  | 'ContactAttempted'
  | 'ConsentRecorded'
  | 'ConsentScopeChanged'
  | 'ConsentWithdrawn'
  | 'ConsentOverridden'
  | 'EvaluationObjectionRecorded'
  | 'PersonalDataRectified'
  | 'ErasureRequested'
  | 'NeedsIdentified'
  | 'PartnerReferralMade'
  | 'PartnerReferralUpdated'
  | 'PlanAgreed'
  | 'OutcomeRecorded'
  | 'TimeSpentLogged'
  | 'CaseClosed'
  | 'CaseReopened'
  | 'PersonalDataErased';
/**
 * Changes a working row (see `InPlaceEvolution` and {@link ownRow}): its own fields, and in place
 * only the parts `ownRow` copies (counters, minutes, outcomes); any other object or array it holds
 * is given a new value, never changed, and nothing of an event is stored without a copy.
 */
type Reducer<T extends Updating> = (row: CaseRegisterRow, data: EventData<T>, meta: EventMetadata) => void;

/** The dates an event may set. */
type EventDate = 'triagedAt' | 'firstContactAt' | 'planAgreedAt' | 'closedAt';

/** Sets one date of a working row; its very dates when the date is set already, so the durations stay. */
function setDate(row: CaseRegisterRow, field: EventDate, value: string | null): void {
  if (row.dates[field] === value) return;
  // Copied, then set: a computed key after a spread sends V8 down its slow path.
  const dates = { ...row.dates };
  dates[field] = value;
  row.dates = dates;
}
const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
/** The minutes of a new row, built once: rows copy them. */
const noActivity = zeroes(WorkActivity.options);
const noStrand = zeroes(StrandOrNone.options);

/**
 * What each event changes in a working row; the step, durations and `updatedAt` follow for every
 * event. A rebuild runs these for every event of the register: a field set in place costs nothing
 * next to a copy of the row's 45 fields per event.
 */
const reducers: { readonly [T in Updating]: Reducer<T> } = {
  ReferralAccepted: (row, data, meta) => {
    row.counsellorId = data.counsellorId;
    row.triageDecision = 'accepted';
    setDate(row, 'triagedAt', meta.occurredAt);
  },
  ReferralRedirected: (row, _data, meta) => {
    row.triageDecision = 'redirected';
    setDate(row, 'triagedAt', meta.occurredAt);
  },
  ReferralDeclined: (row, data, meta) => {
    row.triageDecision = 'declined';
    row.declineReason = data.reason;
    setDate(row, 'triagedAt', meta.occurredAt);
  },
  CounsellorAssigned: (row, data) => {
    row.counsellorId = data.counsellorId;
  },
  ReviewCompleted: () => undefined,
  ContactAttempted: (row, data, meta) => {
    row.contactAttempts.total += 1;
    if (data.reached) row.contactAttempts.reached += 1;
    row.lastContactAttemptAt = meta.occurredAt;
    setDate(row, 'firstContactAt', row.dates.firstContactAt ?? (data.reached ? meta.occurredAt : null));
  },
  // A refusal leaves no consent to share under, whatever an earlier consent said.
  ConsentRecorded: (row, data) => {
    row.consent = data.decision;
    row.consentSharingWith = data.decision === 'given' ? [...data.sharingWith] : [];
  },
  ConsentScopeChanged: (row, data) => {
    row.consentSharingWith = [...data.sharingWith];
  },
  // Withdrawal takes everything back, overrides included (as in core's case file).
  ConsentWithdrawn: (row) => {
    row.consent = 'withdrawn';
    row.consentSharingWith = [];
    row.consentOverridden = false;
  },
  ConsentOverridden: (row) => {
    row.consentOverridden = true;
  },
  EvaluationObjectionRecorded: (row, data) => {
    row.objectsToEvaluation = data.objects;
  },
  // The new values stay in the vault; only the age band, a statistic, changes here.
  PersonalDataRectified: (row, data) => {
    row.ageBand = data.ageBand ?? row.ageBand;
    row.rectificationCount += 1;
  },
  ErasureRequested: (row, data) => {
    row.erasureRequestedOn = data.requestedOn;
  },
  NeedsIdentified: (row, data) => {
    row.problems = [...data.problems];
    row.strands = [...data.strands];
  },
  PartnerReferralMade: (row, data, meta) => {
    row.partnerReferrals = [
      ...row.partnerReferrals,
      { referralId: data.referralId, partner: data.partner, strand: data.strand, status: 'sent', madeAt: meta.occurredAt, followUpBy: data.followUpBy },
    ];
    row.partnersSolicited = unique([...row.partnersSolicited, data.partner]);
  },
  PartnerReferralUpdated: (row, data) => {
    row.partnerReferrals = row.partnerReferrals.map((referral) => (referral.referralId === data.referralId ? { ...referral, status: data.status } : referral));
  },
  // Only the first agreement starts the accompaniment; a reopened case keeps its start.
  PlanAgreed: (row, _data, meta) => setDate(row, 'planAgreedAt', row.dates.planAgreedAt ?? meta.occurredAt),
  OutcomeRecorded: (row, { outcome }) => {
    const { outcomes } = row;
    switch (outcome.kind) {
      case 'right-opened':
        outcomes.rightsOpened.push(outcome.right);
        return;
      case 'care-carried-out':
        outcomes.careCarriedOut.push(outcome.careType);
        return;
      case 'out-of-pocket-saved':
        outcomes.savingsRecorded += 1;
        outcomes.outOfPocketSavedCents += outcome.amountCents;
    }
  },
  // The register's most frequent event: three counters, nothing allocated.
  TimeSpentLogged: (row, data) => {
    const { minutes } = row;
    minutes.total += data.minutes;
    minutes.byActivity[data.activity] += data.minutes;
    minutes.byStrand[data.strand ?? 'none'] += data.minutes;
  },
  CaseClosed: (row, data, meta) => {
    row.closureReason = data.reason;
    row.orientedTo = [...data.orientedTo];
    setDate(row, 'closedAt', meta.occurredAt);
  },
  // The closure is undone; the next one gives the case its final reason, orientation and date.
  CaseReopened: (row) => {
    row.closureReason = null;
    row.orientedTo = [];
    row.reopenCount += 1;
    setDate(row, 'closedAt', null);
  },
  // The facts stay for statistics; only the reference now points at nothing readable.
  PersonalDataErased: (row, _data, meta) => {
    row.personalDataErasedAt = meta.occurredAt;
  },
};

const updatingTypes = Object.keys(reducers) as Updating[];

function between(from: string | null, to: string | null): number | null {
  return from === null || to === null ? null : wholeDaysBetween(from, to);
}

/** The durations of a row, recomputed from its dates. */
export function durationsOf(dates: RegisterDates): RegisterDurations {
  return {
    referralToTriage: between(dates.referralDate, dates.triagedAt),
    referralToFirstContact: between(dates.referralDate, dates.firstContactAt),
    firstContactToPlan: between(dates.firstContactAt, dates.planAgreedAt),
    planToClosure: between(dates.planAgreedAt, dates.closedAt),
    referralToClosure: between(dates.referralDate, dates.closedAt),
  };
}

/** The durations of `dates`, reusing those of `durations` (computed from `old`) whose two ends did not move. */
function durationsAfter(old: RegisterDates, durations: RegisterDurations, dates: RegisterDates): RegisterDurations {
  const moved = (a: keyof RegisterDates, b: keyof RegisterDates) => old[a] !== dates[a] || old[b] !== dates[b];
  return {
    referralToTriage: moved('referralDate', 'triagedAt') ? between(dates.referralDate, dates.triagedAt) : durations.referralToTriage,
    referralToFirstContact: moved('referralDate', 'firstContactAt') ? between(dates.referralDate, dates.firstContactAt) : durations.referralToFirstContact,
    firstContactToPlan: moved('firstContactAt', 'planAgreedAt') ? between(dates.firstContactAt, dates.planAgreedAt) : durations.firstContactToPlan,
    planToClosure: moved('planAgreedAt', 'closedAt') ? between(dates.planAgreedAt, dates.closedAt) : durations.planToClosure,
    referralToClosure: moved('referralDate', 'closedAt') ? between(dates.referralDate, dates.closedAt) : durations.referralToClosure,
  };
}

function newRow(event: Extract<CaseEvent, { type: 'ReferralReceived' }>): CaseRegisterRow {
  const { fundId, channel, subjectRef, referral } = event.data;
  const dates: RegisterDates = {
    referralDate: referral.referralDate,
    receivedAt: event.meta.occurredAt,
    triagedAt: null,
    firstContactAt: null,
    planAgreedAt: null,
    closedAt: null,
  };
  return {
    caseId: event.meta.caseId,
    fundId,
    subjectRef,
    status: 'triage',
    counsellorId: null,
    channel,
    detectionMode: referral.detectionMode,
    detectorKind: referral.detector.kind,
    detectorService: referral.detector.service,
    reasons: [...referral.reasons],
    alreadyStarted: [...referral.alreadyStarted],
    careTypes: [...(referral.careRenunciation?.careTypes ?? [])],
    renunciationSince: referral.careRenunciation?.since ?? null,
    renunciationCauses: [...(referral.careRenunciation?.causes ?? [])],
    ageBand: referral.ageBand,
    objectsToEvaluation: referral.objectsToEvaluation,
    consent: referral.consent.kind === 'signed' ? 'on-form' : 'pending-confirmation',
    // A signature on the form consents to the accompaniment only: sharing is asked for at contact.
    consentSharingWith: [],
    consentOverridden: false,
    triageDecision: null,
    declineReason: null,
    problems: [],
    strands: [],
    dates,
    durations: durationsOf(dates),
    outcomes: { rightsOpened: [], careCarriedOut: [], savingsRecorded: 0, outOfPocketSavedCents: 0 },
    closureReason: null,
    orientedTo: [],
    partnerReferrals: [],
    partnersSolicited: [],
    minutes: { total: 0, byActivity: { ...noActivity }, byStrand: { ...noStrand } },
    contactAttempts: { total: 0, reached: 0 },
    lastContactAttemptAt: null,
    reopenCount: 0,
    rectificationCount: 0,
    erasureRequestedOn: null,
    personalDataErasedAt: null,
    updatedAt: event.meta.occurredAt,
  };
}

/** Applies to a working row an event that updates it; the step, durations and `updatedAt` follow. */
function update(row: CaseRegisterRow, event: CaseEvent): CaseRegisterRow {
  const { status, dates } = row;
  const reducer = reducers[event.type as Updating] as Reducer<Updating>;
  reducer(row, event.data as never, event.meta);
  row.status = stepAfter(status, event, dates.planAgreedAt !== null);
  // Durations follow the dates alone: most events leave them be, and one date moves two at most.
  if (row.dates !== dates) row.durations = durationsAfter(dates, row.durations, row.dates);
  row.updatedAt = event.meta.occurredAt;
  return row;
}

/** The register's evolution of a working row (see `InPlaceEvolution`). */
function evolveInPlace(row: CaseRegisterRow | undefined, event: CaseEvent): CaseRegisterRow {
  if (event.type === 'ReferralReceived') return newRow(event);
  // Every stream starts with its referral: a row missing here means a corrupt log or store.
  if (row === undefined) throw new Error(`${caseRegisterName}: ${event.type} for case ${event.meta.caseId}, which has no ReferralReceived`);
  return update(row, event);
}

/**
 * A working copy of a row: its fields, and the parts reducers change in place (counters, minutes,
 * outcomes). Everything else it shares with `row` is only ever replaced.
 */
export function ownRow(row: CaseRegisterRow): CaseRegisterRow {
  const { minutes, outcomes } = row;
  return {
    ...row,
    contactAttempts: { ...row.contactAttempts },
    minutes: { total: minutes.total, byActivity: { ...minutes.byActivity }, byStrand: { ...minutes.byStrand } },
    outcomes: { ...outcomes, rightsOpened: [...outcomes.rightsOpened], careCarriedOut: [...outcomes.careCarriedOut] },
  };
}

/** The case register: one {@link CaseRegisterRow} per case, in collection {@link caseRegisterCollection}. */
export function caseRegisterProjection(): Projection {
  return caseProjection<CaseRegisterRow>({
    name: caseRegisterName,
    handles: ['ReferralReceived', ...updatingTypes],
    collections: [caseRegisterCollection, caseRegisterByFundCollection],
    load: async (source, caseId) => decodeDocument(CaseRegisterRow, await source.get(caseRegisterCollection, caseId), caseRegisterCollection, caseId),
    evolve: (row, event) => evolveInPlace(row === undefined ? undefined : ownRow(row), event),
    inPlace: { own: ownRow, evolve: evolveInPlace },
    documents: (caseId, row) => [
      { collection: caseRegisterCollection, key: caseId, value: row },
      { collection: caseRegisterByFundCollection, key: fundIndexKey(row.fundId, caseId), value: { caseId } },
    ],
  });
}
