/**
 * The case register projection: one row per case, kept up to date event by event, plus an index
 * by fund so that a fund's register is read without scanning the others.
 */
import {
  daysBetween,
  type CaseEvent,
  type EventData,
  type EventMetadata,
  WorkActivity,
} from '@misas/core';
import type { Projection } from '../../engine/projection.ts';
import { stepAfter } from '../shared/case-step.ts';
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
type Reducer<T extends Updating> = (row: CaseRegisterRow, data: EventData<T>, meta: EventMetadata) => CaseRegisterRow;

const withDates = (row: CaseRegisterRow, dates: Partial<RegisterDates>): CaseRegisterRow => ({ ...row, dates: { ...row.dates, ...dates } });
const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/** What each event changes in a row; the step, durations and `updatedAt` follow for every event. */
const reducers: { readonly [T in Updating]: Reducer<T> } = {
  ReferralAccepted: (row, data, meta) =>
    withDates({ ...row, counsellorId: data.counsellorId, triageDecision: 'accepted' }, { triagedAt: meta.occurredAt }),
  ReferralRedirected: (row, _data, meta) => withDates({ ...row, triageDecision: 'redirected' }, { triagedAt: meta.occurredAt }),
  ReferralDeclined: (row, data, meta) =>
    withDates({ ...row, triageDecision: 'declined', declineReason: data.reason }, { triagedAt: meta.occurredAt }),
  CounsellorAssigned: (row, data) => ({ ...row, counsellorId: data.counsellorId }),
  ReviewCompleted: (row) => row,
  ContactAttempted: (row, data, meta) =>
    withDates(
      {
        ...row,
        contactAttempts: { total: row.contactAttempts.total + 1, reached: row.contactAttempts.reached + (data.reached ? 1 : 0) },
        lastContactAttemptAt: meta.occurredAt,
      },
      { firstContactAt: row.dates.firstContactAt ?? (data.reached ? meta.occurredAt : null) },
    ),
  // A refusal leaves no consent to share under, whatever an earlier consent said.
  ConsentRecorded: (row, data) => ({ ...row, consent: data.decision, consentSharingWith: data.decision === 'given' ? [...data.sharingWith] : [] }),
  ConsentScopeChanged: (row, data) => ({ ...row, consentSharingWith: [...data.sharingWith] }),
  // Withdrawal takes everything back, overrides included (as in core's case file).
  ConsentWithdrawn: (row) => ({ ...row, consent: 'withdrawn', consentSharingWith: [], consentOverridden: false }),
  ConsentOverridden: (row) => ({ ...row, consentOverridden: true }),
  EvaluationObjectionRecorded: (row, data) => ({ ...row, objectsToEvaluation: data.objects }),
  // The new values stay in the vault; only the age band, a statistic, changes here.
  PersonalDataRectified: (row, data) => ({ ...row, ageBand: data.ageBand ?? row.ageBand, rectificationCount: row.rectificationCount + 1 }),
  ErasureRequested: (row, data) => ({ ...row, erasureRequestedOn: data.requestedOn }),
  NeedsIdentified: (row, data) => ({ ...row, problems: [...data.problems], strands: [...data.strands] }),
  PartnerReferralMade: (row, data, meta) => ({
    ...row,
    partnerReferrals: [
      ...row.partnerReferrals,
      { referralId: data.referralId, partner: data.partner, strand: data.strand, status: 'sent', madeAt: meta.occurredAt, followUpBy: data.followUpBy },
    ],
    partnersSolicited: unique([...row.partnersSolicited, data.partner]),
  }),
  PartnerReferralUpdated: (row, data) => ({
    ...row,
    partnerReferrals: row.partnerReferrals.map((referral) => (referral.referralId === data.referralId ? { ...referral, status: data.status } : referral)),
  }),
  // Only the first agreement starts the accompaniment; a reopened case keeps its start.
  PlanAgreed: (row, _data, meta) => withDates(row, { planAgreedAt: row.dates.planAgreedAt ?? meta.occurredAt }),
  OutcomeRecorded: (row, { outcome }) => {
    const outcomes = row.outcomes;
    switch (outcome.kind) {
      case 'right-opened':
        return { ...row, outcomes: { ...outcomes, rightsOpened: [...outcomes.rightsOpened, outcome.right] } };
      case 'care-carried-out':
        return { ...row, outcomes: { ...outcomes, careCarriedOut: [...outcomes.careCarriedOut, outcome.careType] } };
      case 'out-of-pocket-saved':
        return {
          ...row,
          outcomes: { ...outcomes, savingsRecorded: outcomes.savingsRecorded + 1, outOfPocketSavedCents: outcomes.outOfPocketSavedCents + outcome.amountCents },
        };
    }
  },
  TimeSpentLogged: (row, data) => {
    const strand = data.strand ?? 'none';
    const { minutes } = row;
    return {
      ...row,
      minutes: {
        total: minutes.total + data.minutes,
        byActivity: { ...minutes.byActivity, [data.activity]: minutes.byActivity[data.activity] + data.minutes },
        byStrand: { ...minutes.byStrand, [strand]: minutes.byStrand[strand] + data.minutes },
      },
    };
  },
  CaseClosed: (row, data, meta) =>
    withDates({ ...row, closureReason: data.reason, orientedTo: [...data.orientedTo] }, { closedAt: meta.occurredAt }),
  // The closure is undone; the next one gives the case its final reason, orientation and date.
  CaseReopened: (row) => withDates({ ...row, closureReason: null, orientedTo: [], reopenCount: row.reopenCount + 1 }, { closedAt: null }),
  // The facts stay for statistics; only the reference now points at nothing readable.
  PersonalDataErased: (row, _data, meta) => ({ ...row, personalDataErasedAt: meta.occurredAt }),
};

const updatingTypes = Object.keys(reducers) as Updating[];

function between(from: string | null, to: string | null): number | null {
  return from === null || to === null ? null : daysBetween(from, to);
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
    minutes: { total: 0, byActivity: zeroes(WorkActivity.options), byStrand: zeroes(StrandOrNone.options) },
    contactAttempts: { total: 0, reached: 0 },
    lastContactAttemptAt: null,
    reopenCount: 0,
    rectificationCount: 0,
    erasureRequestedOn: null,
    personalDataErasedAt: null,
    updatedAt: event.meta.occurredAt,
  };
}

/** The case register: one {@link CaseRegisterRow} per case, in collection {@link caseRegisterCollection}. */
export function caseRegisterProjection(): Projection {
  return {
    name: caseRegisterName,
    handles: ['ReferralReceived', ...updatingTypes],
    collections: [caseRegisterCollection, caseRegisterByFundCollection],
    async apply(event, tx) {
      const { caseId } = event.meta;
      if (event.type === 'ReferralReceived') {
        await tx.put(caseRegisterCollection, caseId, newRow(event));
        await tx.put(caseRegisterByFundCollection, fundIndexKey(event.data.fundId, caseId), { caseId });
        return;
      }
      const row = decodeDocument(CaseRegisterRow, await tx.get(caseRegisterCollection, caseId), caseRegisterCollection, caseId);
      // Every stream starts with its referral: a row missing here means a corrupt log or store.
      if (row === undefined) throw new Error(`${caseRegisterName}: ${event.type} for case ${caseId}, which has no ReferralReceived`);
      const reducer = reducers[event.type as Updating] as Reducer<Updating>;
      const changed = reducer(row, event.data as never, event.meta);
      await tx.put(caseRegisterCollection, caseId, {
        ...changed,
        status: stepAfter(row.status, event, row.dates.planAgreedAt !== null),
        durations: durationsOf(changed.dates),
        updatedAt: event.meta.occurredAt,
      });
    },
  };
}
