/**
 * The export as a document the person can read: Markdown in plain, short English sentences (easy
 * to translate into French), one heading per question the person may ask. Pure: the same data
 * always gives the same document.
 */
import type { Actor, AgeBand, ConsentStatus, RectifiableField, ReferralPersonalData } from '@misas/core';
import { bullets, inline, quote, when, wordList, words } from './markdown.ts';
import { renderContacts } from './person-export-contacts.ts';
import type { ExportedAccess, ExportedRectification, PersonExportData, TimelineEntry } from './person-export-data.ts';

/** Renders the export as a Markdown document. */
export function renderPersonExport(data: PersonExportData): string {
  return [
    header(data),
    caseSection(data),
    yourDataSection(data),
    changesSection(data),
    renderContacts(data.contacts),
    consentSection(data),
    recipientsSection(data),
    timelineSection(data.timeline),
    retentionSection(data),
    accessesSection(data.accesses),
  ].join('\n\n') + '\n';
}

/** Consent statuses in words. */
const consentStatusLabels: Readonly<Record<ConsentStatus, string>> = {
  'pending-confirmation': 'waiting for your confirmation',
  'on-form': 'given on the referral form',
  given: 'given',
  refused: 'refused',
  withdrawn: 'withdrawn',
};

/** An age band in words: `26-39` → `26 to 39`. */
function ageGroup(band: AgeBand): string {
  if (band === '80-plus') return '80 or more';
  if (band === 'under-18') return 'under 18';
  return band.replace('-', ' to ');
}

function by(actor: Actor): string {
  return `${words(actor.role)} ${inline(actor.id)}`;
}

function header(data: PersonExportData): string {
  return [
    '# Your data at the Mission accompagnement santé',
    `This document answers your request to access your data. It lists everything the health-insurance fund ${inline(data.case.fundId)} holds about you for case ${inline(data.case.caseId)}.`,
    `Export ${inline(data.exportId)}, made on ${when(data.generatedAt)}.`,
    'Staff members are shown by their role and a staff number, not by their name.',
  ].join('\n\n');
}

function caseSection(data: PersonExportData): string {
  const c = data.case;
  const referral = c.referral;
  const lines = [
    `Case number: ${inline(c.caseId)}`,
    `Fund: ${inline(c.fundId)}`,
    `Current step: ${words(c.step)}`,
    ...(c.receivedAt ? [`Received on: ${when(c.receivedAt)}${c.channel ? ` (${words(c.channel)})` : ''}`] : []),
    ...(referral
      ? [
          `Date on the referral form: ${referral.referralDate}`,
          `How you were met: ${words(referral.detectionMode)}`,
          `Reasons for the referral: ${wordList(referral.reasons)}`,
          `Referred by: ${words(referral.detector.kind)} (${inline(referral.detector.service)})`,
          `Already started by them: ${wordList(referral.alreadyStarted)}`,
          ...(referral.careRenunciation
            ? [
                `Care given up: ${wordList(referral.careRenunciation.careTypes)}; since ${words(referral.careRenunciation.since)}; because of: ${wordList(referral.careRenunciation.causes)}`,
              ]
            : []),
          `Your age group at the referral: ${ageGroup(referral.ageBand)}`,
        ]
      : []),
    `Your counsellor: ${c.counsellorId ? inline(c.counsellorId) : 'none yet'}`,
    `Problems identified: ${wordList(c.problems)}`,
    `Parts of your plan: ${wordList(c.strands)}`,
    ...c.actions.map((a) => `Action ${inline(a.actionId)}: ${words(a.kind)} (${words(a.strand)}), due ${a.dueDate}, ${words(a.status)}`),
    ...c.outcomes.map((o) =>
      o.kind === 'right-opened'
        ? `Result: right opened (${words(o.right)})`
        : o.kind === 'care-carried-out'
          ? `Result: care carried out (${words(o.careType)})`
          : `Result: you saved €${(o.amountCents / 100).toFixed(2)} on what you pay yourself`,
    ),
    ...(c.closure ? [`Closed on ${when(c.closure.at)}: ${words(c.closure.reason)}; directed to: ${wordList(c.closure.orientedTo)}`] : []),
  ];
  return `## The case\n\n${bullets(lines, '')}`;
}

function personLines(data: ReferralPersonalData): string[] {
  const { person, detectorContact } = data;
  const optional = (label: string, value: string | undefined) => (value === undefined ? [] : [`${label}: ${inline(value)}`]);
  return [
    `Last name: ${inline(person.lastName)}`,
    `First name: ${inline(person.firstName)}`,
    `Birth date: ${inline(person.birthDate)}`,
    ...optional('Phone', person.phone),
    ...optional('Email', person.email),
    ...optional('Social-security number (NIR)', person.nir),
    `Person who referred you: ${inline(detectorContact.name)}`,
    ...optional('Their email', detectorContact.email),
    ...optional('Their phone', detectorContact.phone),
    ...optional('Other action they started', data.alreadyStartedOther),
    ...optional('Details about the care given up', data.careOtherDetails),
    ...optional('Comments on the form', data.comments),
  ];
}

function yourDataSection(data: PersonExportData): string {
  const personal = data.personalData;
  const parts = ['## Your data'];
  if (personal.status === 'held') {
    parts.push('### As it is today', bullets(personLines(personal.current), ''));
    parts.push('### As written on the referral form', bullets(personLines(personal.asFiled), ''));
  } else if (personal.status === 'erased') {
    const on = personal.erasedAt ? ` on ${when(personal.erasedAt)}` : '';
    const why = personal.reason ? ` (${words(personal.reason)})` : '';
    parts.push(
      `Your personal data was erased${on}${why}. We no longer hold your name, your contact details, your social-security number or the notes about you. The facts below hold no personal data.`,
    );
  } else {
    parts.push('We hold no personal data for this case.');
  }
  const notes = data.notes.map((note) => {
    const head = `- ${when(note.at)}, by ${by(note.by)}:`;
    return note.text === null ? `${head} the text was erased.` : `${head}\n\n${indent(quote(note.text))}`;
  });
  parts.push('### Notes about you', notes.length === 0 ? 'There are no notes.' : notes.join('\n'));
  return parts.join('\n\n');
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The fields of a rectification, as the person reads them. */
const fieldLabels: Readonly<Record<RectifiableField, string>> = {
  lastName: 'last name',
  firstName: 'first name',
  birthDate: 'birth date',
  phone: 'phone',
  email: 'email',
  nir: 'social-security number (NIR)',
};

function changeLines(rectification: ExportedRectification): string[] {
  if (rectification.changes === null) return rectification.fields.map((field) => `${fieldLabels[field]}: changed (the values were erased)`);
  const value = (v: string | null) => (v === null ? '(none)' : `"${inline(v)}"`);
  return rectification.changes.map((change) => `${fieldLabels[change.field]}: ${value(change.from)} → ${value(change.to)}`);
}

function changesSection(data: PersonExportData): string {
  const parts = ['## Changes to your data'];
  if (data.rectifications.length === 0) parts.push('Your data was never changed.');
  for (const rectification of data.rectifications) {
    parts.push(`### ${when(rectification.at)}, by ${by(rectification.by)}`, bullets(changeLines(rectification), ''));
  }
  return parts.join('\n\n');
}

function consentSection(data: PersonExportData): string {
  const { consent, evaluation } = data;
  const record = consent.record;
  const lines = [
    `Where your consent stands: ${consentStatusLabels[consent.status]}`,
    ...(record
      ? [
          `Given on ${record.givenOn} (${words(record.mode)}), recorded by ${by(record.recordedBy)} on ${when(record.recordedAt)}`,
          `Partners you agreed your data may be shared with: ${wordList(record.sharingWith)}`,
        ]
      : ['No consent was recorded.']),
    ...(consent.withdrawnAt ? [`You withdrew your consent on ${when(consent.withdrawnAt)}.`] : []),
    ...consent.overrides.map(
      (o) =>
        `On ${when(o.at)}, ${by(o.by)} decided to go on without your consent for ${words(o.purpose)}${o.partner ? ` (${words(o.partner)})` : ''}. Reason: ${words(o.justification)}.${o.inForce ? '' : ' This decision is no longer in force.'}`,
    ),
    evaluation.objects
      ? 'You object to the use of your data for the national evaluation: it is not used for it.'
      : 'You do not object to the use of your data, without your name, for the national evaluation.',
  ];
  return `## Your consent\n\n${bullets(lines, '')}`;
}

function recipientsSection(data: PersonExportData): string {
  const { detector, partners } = data.recipients;
  const lines: string[] = [];
  if (detector) {
    const notices = detector.notices.map((n) => `${words(n.notice)}${n.reason ? `: ${words(n.reason)}` : ''} (${when(n.at)})`);
    lines.push(
      `The ${words(detector.kind)} that referred you (${inline(detector.service)}) is told only that your accompaniment started and ended, or that it never started and why. Told so far: ${notices.length === 0 ? 'nothing' : notices.join(', ')}.`,
    );
  }
  for (const p of partners) {
    const shared = p.personalDataShared ? 'Your name and contact details were shared with them.' : 'Your name and contact details were not shared with them.';
    lines.push(`${words(p.partner)}: you were referred to them on ${when(p.madeAt)} (${words(p.strand)}); their answer: ${words(p.status)}. ${shared}`);
  }
  return `## Who received your data\n\n${bullets(lines, 'Nobody received your data.')}`;
}

function timelineSection(timeline: readonly TimelineEntry[]): string {
  const lines = timeline.map((entry) => `${when(entry.at)}: ${inline(entry.description)} (by: ${words(entry.actorRole)})`);
  return `## What happened\n\n${bullets(lines, 'Nothing was recorded.')}`;
}

function retentionSection(data: PersonExportData): string {
  const r = data.retention;
  const lines = [`We keep your personal data for ${r.retentionMonths} months after the end of your case, and no longer.`];
  if (r.erasedOn) lines.push(`Your personal data was erased on ${r.erasedOn}.`);
  else if (r.endedOn && r.eraseBy && r.endedBy) lines.push(`Your case ended on ${r.endedOn} (${words(r.endedBy)}). Your personal data will be erased by ${r.eraseBy} at the latest.`);
  else lines.push('Your case is still open. The months are counted from the day it ends.');
  return `## How long we keep it\n\n${lines.join('\n\n')}`;
}

function accessesSection(accesses: readonly ExportedAccess[]): string {
  const lines = accesses.map((a) => {
    const what = `${a.action === 'read' ? 'read' : 'changed'} the case (${inline(a.what)})${a.personalData ? ', with your personal data' : ''}`;
    return `${when(a.at)}: ${words(a.role)} ${inline(a.principalId)}, ${what}${a.outcome === 'denied' ? ' (refused)' : ''}`;
  });
  return `## Who accessed it\n\n${bullets(lines, 'Nobody accessed your case.')}`;
}
