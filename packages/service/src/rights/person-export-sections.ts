/**
 * The sections of a person's export, built from what was loaded: the case's events and state,
 * what the vault answered, the fund's retention and the audit trail's entries. Pure, so that each
 * section can be reasoned about (and tested) without storage.
 *
 * The events are the authority on when and by whom; the vault adds the values (rectified fields,
 * note texts) while it holds them. After erasure every section is still given, without values.
 */
import {
  addMonths,
  applyRectifications,
  caseFileOf,
  dayOf,
  describeEvent,
  statusOf,
  type CaseEvent,
  type CaseFile,
  type CaseState,
  type PersonalDataRead,
  type PersonalDataRecord,
  type ReferralPersonalData,
} from '@misas/core';
import type {
  ExportedAccess,
  ExportedCase,
  ExportedConsent,
  ExportedNote,
  ExportedPersonalData,
  ExportedRecipients,
  ExportedRectification,
  ExportedRetention,
  FieldChange,
  PersonExportData,
  TimelineEntry,
} from './person-export-data.ts';
import { contactsSection } from './person-export-contacts.ts';

/** What an export is assembled from. */
export interface PersonExportSources {
  readonly exportId: string;
  readonly generatedAt: string;
  readonly caseId: string;
  readonly fundId: string;
  readonly state: CaseState;
  readonly events: readonly CaseEvent[];
  /** What the vault answered; `erased` whenever the case says the data was erased. */
  readonly personal: PersonalDataRead;
  readonly retentionMonths: number;
  readonly accesses: readonly ExportedAccess[];
}

/** Assembles the export's data (validated by the caller). */
export function assemblePersonExport(sources: PersonExportSources): PersonExportData {
  const file = caseFileOf(sources.state);
  const record = sources.personal.status === 'found' ? sources.personal.record : null;
  return {
    exportId: sources.exportId,
    generatedAt: sources.generatedAt,
    case: caseSection(sources.caseId, sources.fundId, sources.state),
    personalData: personalDataSection(sources.personal, sources.events),
    rectifications: rectificationHistory(sources.events, record),
    notes: notesSection(sources.events, record),
    contacts: contactsSection(sources.events, record),
    consent: consentSection(file, sources.events),
    evaluation: { objects: file.objectsToEvaluation },
    recipients: recipientsSection(file, sources.events),
    timeline: timeline(sources.events),
    retention: retentionSection(sources.events, sources.retentionMonths),
    accesses: [...sources.accesses],
  };
}

function caseSection(caseId: string, fundId: string, state: CaseState): ExportedCase {
  const file = caseFileOf(state);
  return {
    caseId,
    fundId,
    step: statusOf(state),
    channel: file.channel,
    receivedAt: file.receivedAt,
    referredBy: file.referredBy,
    counsellorId: file.counsellorId,
    referral: file.referral,
    review: file.review,
    reviewUpdatedAt: file.reviewUpdatedAt,
    problems: file.problems,
    strands: file.strands,
    gpSearch: file.gpSearch,
    placeholderGpSetOn: file.placeholderGpSetOn,
    actions: Object.entries(file.actions).map(([actionId, action]) => ({ actionId, ...action })),
    outcomes: file.outcomes,
    closure: file.closure,
  };
}

function personalDataSection(personal: PersonalDataRead, events: readonly CaseEvent[]): ExportedPersonalData {
  if (personal.status === 'found') return { status: 'held', current: personal.record.current, asFiled: personal.record.asFiled };
  if (personal.status === 'missing') return { status: 'missing' };
  const erasure = events.findLast((event) => event.type === 'PersonalDataErased');
  return {
    status: 'erased',
    erasedAt: erasure?.meta.occurredAt ?? null,
    reason: erasure?.type === 'PersonalDataErased' ? erasure.data.reason : null,
  };
}

/**
 * Each rectification with the value of each field before and after it. The values before are
 * rebuilt by applying the rectifications in order to the data as filed, as the vault's reader does.
 */
export function rectificationHistory(events: readonly CaseEvent[], record: PersonalDataRecord | null): ExportedRectification[] {
  const stored = new Map(record?.rectifications.map((rectification) => [rectification.rectificationId, rectification]));
  let before: ReferralPersonalData | null = record?.asFiled ?? null;
  const history: ExportedRectification[] = [];
  for (const event of events) {
    if (event.type !== 'PersonalDataRectified') continue;
    const { rectificationId, fields } = event.data;
    const values = stored.get(rectificationId);
    let changes: FieldChange[] | null = null;
    if (before !== null && values !== undefined) {
      const after = applyRectifications(before, [values]);
      const from = before.person;
      changes = fields.map((field) => ({ field, from: from[field] ?? null, to: after.person[field] ?? null }));
      before = after;
    } else {
      // Without this step's values, later "before" values would be wrong: give none rather than a false one.
      before = null;
    }
    history.push({ rectificationId, at: event.meta.occurredAt, by: event.meta.actor, fields, changes });
  }
  return history;
}

function notesSection(events: readonly CaseEvent[], record: PersonalDataRecord | null): ExportedNote[] {
  const texts = new Map(record?.notes.map((note) => [note.noteId, note.text]));
  return events.flatMap((event) =>
    event.type === 'NoteAdded'
      ? [{ noteId: event.data.noteId, at: event.meta.occurredAt, by: event.meta.actor, text: texts.get(event.data.noteId) ?? null }]
      : [],
  );
}

/**
 * The consent as the file holds it, with every override taken from the events: the file keeps
 * only the overrides in force, and a withdrawal clears them, but the person is owed all of them.
 */
function consentSection(file: CaseFile, events: readonly CaseEvent[]): ExportedConsent {
  const overrides = events.flatMap((event) => {
    if (event.type !== 'ConsentOverridden') return [];
    const { purpose, partner, justification } = event.data;
    const by = event.meta.actor;
    const at = event.meta.occurredAt;
    const inForce = file.consentOverrides.some(
      (o) => o.at === at && o.purpose === purpose && o.partner === partner && o.by.id === by.id && o.by.role === by.role,
    );
    return [{ purpose, ...(partner ? { partner } : {}), justification, by, at, inForce }];
  });
  return { status: file.consent, record: file.consentRecord, withdrawnAt: file.consentWithdrawnAt, overrides };
}

function recipientsSection(file: CaseFile, events: readonly CaseEvent[]): ExportedRecipients {
  const notices = events.flatMap((event) =>
    event.type === 'DetectorNotificationRequested'
      ? [{ notice: event.data.notice, ...(event.data.reason === undefined ? {} : { reason: event.data.reason }), at: event.meta.occurredAt }]
      : [],
  );
  const detector = file.referral ? { kind: file.referral.detector.kind, service: file.referral.detector.service, notices } : null;
  const partners = Object.entries(file.partnerReferrals).map(([referralId, referral]) => {
    const { sharesPersonalData, ...rest } = referral;
    return { referralId, ...rest, personalDataShared: sharesPersonalData };
  });
  return { detector, partners };
}

function timeline(events: readonly CaseEvent[]): TimelineEntry[] {
  return events.map((event) => ({ at: event.meta.occurredAt, type: event.type, description: describeEvent(event), actorRole: event.meta.actor.role }));
}

/**
 * The retention as the retention schedule counts it: from the latest end of the case (closure, or
 * a triage decision that never became an accompaniment), which a reopening cancels.
 */
export function retentionSection(events: readonly CaseEvent[], retentionMonths: number): ExportedRetention {
  let end: { by: 'closed' | 'declined' | 'redirected'; on: string } | null = null;
  let erasedOn: string | null = null;
  for (const event of events) {
    const on = dayOf(event.meta.occurredAt);
    if (event.type === 'CaseClosed') end = { by: 'closed', on };
    else if (event.type === 'ReferralDeclined') end = { by: 'declined', on };
    else if (event.type === 'ReferralRedirected') end = { by: 'redirected', on };
    else if (event.type === 'CaseReopened') end = null;
    else if (event.type === 'PersonalDataErased') erasedOn = on;
  }
  return {
    retentionMonths,
    endedBy: end?.by ?? null,
    endedOn: end?.on ?? null,
    eraseBy: end ? addMonths(end.on, retentionMonths) : null,
    erasedOn,
  };
}
