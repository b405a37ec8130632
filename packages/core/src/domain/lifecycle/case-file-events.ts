/**
 * How each event changes the case file. The machine decides *whether* an event may happen; the
 * recorders here only write *what* it changes, into a `CaseFileDraft`: `applyEvent` records one
 * event into a draft of its own (pure, the file given is never written); `replay` records a whole
 * stream into one draft, so that each event changes only what it must.
 */
import type { CaseEventType, EventData } from '../events/catalogue.ts';
import type { Actor } from '../events/metadata.ts';
import { ownValue } from '../id.ts';
import { appointmentReducers } from './appointment-file.ts';
import type { CaseFile, LifecycleEvent } from './case-file.ts';
import { CaseFileDraft } from './case-file-draft.ts';

type Recorder<T extends CaseEventType> = (draft: CaseFileDraft, data: EventData<T>, occurredAt: string, actor: Actor) => void;

/** One recorder per event type: it writes what the event changes into the draft. */
const recorders: { readonly [T in CaseEventType]: Recorder<T> } = {
  ReferralReceived: (draft, data, at, actor) => {
    const signed = data.referral.consent;
    const file = draft.fields;
    file.fundId = data.fundId;
    file.subjectRef = data.subjectRef;
    file.channel = data.channel;
    file.referral = data.referral;
    file.receivedAt = at;
    file.referredBy = actor;
    file.consent = signed.kind === 'signed' ? 'on-form' : 'pending-confirmation';
    file.consentRecord =
      signed.kind === 'signed' ? { mode: 'signed-form', givenOn: signed.signedOn, recordedAt: at, recordedBy: actor, sharingWith: [] } : null;
    file.objectsToEvaluation = data.referral.objectsToEvaluation;
  },
  ReferralAccepted: (draft, data, at) => {
    const file = draft.fields;
    file.counsellorId = data.counsellorId;
    file.triagedAt = at;
    file.firstContactDueBy = data.firstContactDueBy;
  },
  ReferralRedirected: (draft, data, at) => {
    draft.fields.triagedAt = at;
    // The hand-off is the referral's own: it goes to the social service whole, with every reason
    // ticked on the form (kept in `referral`), and the person's data only as consent allows.
    if (data.handOff) {
      draft.setPartnerReferral(data.handOff.referralId, {
        partner: 'social-service',
        strand: 'social',
        status: 'sent',
        followUpBy: data.handOff.followUpBy,
        sharesPersonalData: true,
        madeAt: at,
      });
    }
  },
  ReferralDeclined: (draft, data, at) => {
    draft.fields.triagedAt = at;
    draft.fields.declineReason = data.reason;
  },
  CounsellorAssigned: (draft, data) => {
    draft.fields.counsellorId = data.counsellorId;
  },
  ReviewItemRecorded: (draft, data) => draft.setReviewFinding(data.item, data.finding),
  ReviewCompleted: (draft, _data, at) => {
    draft.fields.reviewCompletedAt = at;
  },
  ReviewFindingUpdated: (draft, data, at) => {
    draft.setReviewFinding(data.item, data.finding);
    draft.fields.reviewUpdatedAt = at;
  },
  PlaceholderGpRecorded: (draft, data) => {
    draft.fields.placeholderGpSetOn = data.setOn;
  },
  ContactAttempted: (draft, data, at) => {
    const file = draft.fields;
    file.contactAttempts = data.attempt;
    file.failedContactAttempts = data.failedAttempts;
    file.firstContactAt = file.firstContactAt ?? (data.reached ? at : null);
  },
  // Appointments are few: each event gives the record a new value (the pure reducers), never written in place.
  AppointmentPlanned: (draft, data) => {
    draft.fields.appointments = appointmentReducers.AppointmentPlanned(draft.file.appointments, data);
  },
  AppointmentMoved: (draft, data) => {
    draft.fields.appointments = appointmentReducers.AppointmentMoved(draft.file.appointments, data);
  },
  // Meeting the person is reaching them: failed calls no longer make them "unreachable".
  AppointmentHeld: (draft, data, at) => {
    draft.fields.appointments = appointmentReducers.AppointmentHeld(draft.file.appointments, data);
    draft.fields.firstContactAt = draft.fields.firstContactAt ?? at;
  },
  AppointmentMissed: (draft, data) => {
    draft.fields.appointments = appointmentReducers.AppointmentMissed(draft.file.appointments, data);
  },
  AppointmentCancelled: (draft, data) => {
    draft.fields.appointments = appointmentReducers.AppointmentCancelled(draft.file.appointments, data);
  },
  ConsentRecorded: (draft, data, at, actor) => {
    const file = draft.fields;
    file.consent = data.decision;
    file.consentMode = data.mode;
    if (data.decision === 'given') {
      // The day of a `BusinessInstant` (UTC, `Z`) is its first ten characters, as its schema reads it:
      // `dayOf`'s round trip through `Date` gives the same, at a cost replay pays on every load.
      file.consentRecord = { mode: data.mode, givenOn: at.slice(0, 10), recordedAt: at, recordedBy: actor, sharingWith: data.sharingWith };
    }
  },
  ConsentScopeChanged: (draft, data) => {
    const file = draft.fields;
    if (file.consentRecord) file.consentRecord = { ...file.consentRecord, sharingWith: data.sharingWith };
  },
  ConsentWithdrawn: (draft, _data, at) => {
    const file = draft.fields;
    file.consent = 'withdrawn';
    file.consentRecord = file.consentRecord ? { ...file.consentRecord, sharingWith: [] } : null;
    file.consentWithdrawnAt = at;
    draft.replaceConsentOverrides([]);
  },
  ConsentOverridden: (draft, data, at, actor) => draft.appendConsentOverride({ ...data, by: actor, at }),
  WelcomeLetterDue: (draft, data) => {
    draft.fields.welcomeLetterDueBy = data.dueBy;
  },
  WelcomeLetterSent: (draft, _data, at) => {
    draft.fields.welcomeLetterSentAt = at;
  },
  NeedsIdentified: (draft, data) => {
    draft.fields.problems = data.problems;
    draft.fields.strands = data.strands;
  },
  GpSearchAssessed: (draft, data) => {
    draft.fields.gpSearch = data;
  },
  ActionPlanned: (draft, data) =>
    draft.setAction(data.actionId, { strand: data.strand, kind: data.kind, owner: data.owner, dueDate: data.dueDate, status: 'planned' }),
  ActionStatusChanged: (draft, data) => {
    const action = ownValue(draft.file.actions, data.actionId);
    if (action) draft.setAction(data.actionId, { ...action, status: data.status });
  },
  PartnerReferralMade: (draft, data, at) =>
    draft.setPartnerReferral(data.referralId, {
      partner: data.partner,
      strand: data.strand,
      status: 'sent',
      followUpBy: data.followUpBy,
      sharesPersonalData: data.sharesPersonalData,
      madeAt: at,
    }),
  PartnerReferralUpdated: (draft, data) => {
    const referral = ownValue(draft.file.partnerReferrals, data.referralId);
    if (referral) draft.setPartnerReferral(data.referralId, { ...referral, status: data.status });
  },
  PlanAgreed: (draft, _data, at) => {
    draft.fields.planAgreedAt = draft.fields.planAgreedAt ?? at;
  },
  OutcomeRecorded: (draft, data) => draft.appendOutcome(data.outcome),
  TimeSpentLogged: (draft, data) => {
    draft.fields.minutesSpent += data.minutes;
  },
  NoteAdded: (draft, data) => draft.appendId('noteIds', data.noteId),
  CaseClosed: (draft, data, at) => {
    draft.fields.closure = { reason: data.reason, at, orientedTo: data.orientedTo };
  },
  // A reopened case gets a fresh set of tries before it counts as unreachable again.
  CaseReopened: (draft) => {
    const file = draft.fields;
    file.closure = null;
    file.reopenCount += 1;
    file.failedContactAttempts = 0;
  },
  // The first "started" the detector was told (v1 at triage, v2 with the plan): closures after it are "ended".
  DetectorNotificationRequested: (draft, data, at) => {
    if (data.notice === 'accompaniment-started' && draft.fields.detectorToldStartedAt === null) draft.fields.detectorToldStartedAt = at;
  },
  ReminderIssued: (draft, data) => draft.appendId('reminders', reminderKey(data)),
  EvaluationObjectionRecorded: (draft, data) => {
    draft.fields.objectsToEvaluation = data.objects;
  },
  PersonalDataRectified: (draft, data) => draft.appendId('rectificationIds', data.rectificationId),
  ErasureRequested: (draft, data) => {
    draft.fields.erasureRequest = data;
  },
  PersonalDataErased: (draft) => {
    draft.fields.personalDataErased = true;
  },
};

/** The identity of a reminder: one per kind, subject (action, referral) and due date. */
export function reminderKey(reminder: { readonly kind: string; readonly ref?: string | undefined; readonly dueOn: string }): string {
  return `${reminder.kind}/${reminder.ref ?? ''}/${reminder.dueOn}`;
}

/** Records one event into `draft`, which the caller owns, and stamps the fact's time on it. */
export function recordEvent(draft: CaseFileDraft, event: LifecycleEvent): void {
  const recorder = recorders[event.type] as Recorder<typeof event.type>;
  recorder(draft, event.data as never, event.occurredAt, event.actor);
  draft.fields.lastOccurredAt = event.occurredAt;
}

/** Records one event in the file (pure): a new file, the one given is never written. */
export function applyEvent(file: CaseFile, event: LifecycleEvent): CaseFile {
  const draft = new CaseFileDraft(file);
  recordEvent(draft, event);
  return draft.file;
}
