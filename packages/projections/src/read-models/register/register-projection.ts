/**
 * The case register projection: one row per case, kept up to date event by event, plus an index
 * by fund so that a fund's register is read without scanning the others.
 */
import { type CaseEvent, WorkActivity } from '@misas/core';
import { caseProjection } from '../../engine/case-projection.ts';
import type { Projection } from '../../engine/projection.ts';
import { stepAfter } from '../shared/case-step.ts';
import { wholeDaysBetween } from '../shared/fast-calendar.ts';
import { decodeDocument, keyPart } from '../shared/documents.ts';
import { registerReducers, updatingTypes, type Reducer, type Updating } from './register-reducers.ts';
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

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
/** The minutes of a new row, built once: rows copy them. */
const noActivity = zeroes(WorkActivity.options);
const noStrand = zeroes(StrandOrNone.options);


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
  const reducer = registerReducers[event.type as Updating] as Reducer<Updating>;
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
