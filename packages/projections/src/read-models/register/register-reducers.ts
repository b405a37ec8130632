/**
 * What each event changes in a case register row, in place on a working row (see
 * `InPlaceEvolution`): the projection adds the step, durations and `updatedAt` that follow.
 */
import type { EventData, EventMetadata } from '@misas/core';
import type { CaseRegisterRow } from './register-row.ts';

/** The events that change a row besides the referral that creates it. */
export type Updating =
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
export type Reducer<T extends Updating> = (row: CaseRegisterRow, data: EventData<T>, meta: EventMetadata) => void;

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

/**
 * What each event changes in a working row; the step, durations and `updatedAt` follow for every
 * event. A rebuild runs these for every event of the register: a field set in place costs nothing
 * next to a copy of the row's 45 fields per event.
 */
export const registerReducers: { readonly [T in Updating]: Reducer<T> } = {
  ReferralAccepted: (row, data, meta) => {
    row.counsellorId = data.counsellorId;
    row.triageDecision = 'accepted';
    setDate(row, 'triagedAt', meta.occurredAt);
  },
  ReferralRedirected: (row, data, meta) => {
    row.triageDecision = 'redirected';
    setDate(row, 'triagedAt', meta.occurredAt);
    // The hand-off to the social service is followed like a partner referral (v1 redirections had none).
    if (data.handOff) {
      const { referralId, followUpBy } = data.handOff;
      row.partnerReferrals = [...row.partnerReferrals, { referralId, partner: 'social-service', strand: 'social', status: 'sent', madeAt: meta.occurredAt, followUpBy }];
      row.partnersSolicited = unique([...row.partnersSolicited, 'social-service']);
    }
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

/** The event types that update a row. */
export const updatingTypes = Object.keys(registerReducers) as Updating[];
