/**
 * The deadlines projection: every date by which something must happen, derived from events.
 * A deadline appears with the fact that sets it and disappears with the fact that meets it (or
 * the reminder that was issued for it). Documents are keyed by due date, so the scheduler reads
 * them in order.
 */
import { z } from 'zod';
import {
  dayOf,
  defaultPolicies,
  type CaseEvent,
  type PolicyProvider,
  type ProjectionTransaction,
} from '@misas/core';
import { writeChanges, type CaseDocument } from '../engine/case-documents.ts';
import { caseProjection } from '../engine/case-projection.ts';
import type { Projection } from '../engine/projection.ts';
import { decodeDocument } from '../read-models/shared/documents.ts';
import { plusDays, plusMonths, utcDayOf } from '../read-models/shared/fast-calendar.ts';

/** What comes due: a reminder to the counsellor, the closure of an unreachable case, or erasure. */
export const DeadlineKind = z.enum([
  'first-contact',
  'action-due',
  'partner-follow-up',
  'welcome-letter',
  'ald-protocol-expiry',
  'unreachable-closure',
  'retention-expiry',
]);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

/** One open deadline. */
export const Deadline = z.strictObject({
  caseId: z.string(),
  kind: DeadlineKind,
  /** The action or partner referral it is about. */
  ref: z.string().optional(),
  /** The day it comes due; it fires at the start of that day (UTC). */
  dueOn: z.iso.date(),
});
export type Deadline = z.infer<typeof Deadline>;

const CaseDeadlines = z.strictObject({ fundId: z.string(), keys: z.array(z.string()) });

/** The name of the deadlines projection (its checkpoint and lease). */
export const deadlinesProjectionName = 'deadlines';
const dueCollection = 'due';
const byCaseCollection = 'by-case';

/** The document key of a deadline: due date first, so that listing walks them in time order. */
export function deadlineKey(deadline: Deadline): string {
  return `${deadline.dueOn}|${deadline.caseId}|${deadline.kind}|${deadline.ref ?? ''}`;
}

/** The open deadlines of one case, in the order they were set, and the fund whose policy dates them. */
interface CaseDeadlineState {
  readonly fundId: string;
  readonly deadlines: readonly Deadline[];
}

const reminderKinds = new Set<DeadlineKind>(['first-contact', 'action-due', 'partner-follow-up', 'welcome-letter', 'ald-protocol-expiry']);
const answeredReferral = new Set(['in-progress', 'completed', 'refused']);

/** Whether two deadlines have the same key (compared field by field: no key built per deadline). */
function sameDeadline(a: Deadline, b: Deadline): boolean {
  return a.dueOn === b.dueOn && a.caseId === b.caseId && a.kind === b.kind && (a.ref ?? '') === (b.ref ?? '');
}

/** Sets a deadline (the same deadline set twice is kept once). */
function add(state: CaseDeadlineState, deadline: Deadline): CaseDeadlineState {
  const index = state.deadlines.findIndex((existing) => sameDeadline(existing, deadline));
  const deadlines = index === -1 ? [...state.deadlines, deadline] : state.deadlines.with(index, deadline);
  return { ...state, deadlines };
}

/** Clears the deadlines that match. */
function remove(state: CaseDeadlineState, matches: (deadline: Deadline) => boolean): CaseDeadlineState {
  const kept = state.deadlines.filter((deadline) => !matches(deadline));
  return kept.length === state.deadlines.length ? state : { ...state, deadlines: kept };
}

/** Reads a case's deadlines back from its documents. */
async function loadDeadlines(source: Pick<ProjectionTransaction, 'get'>, caseId: string): Promise<CaseDeadlineState | undefined> {
  const entry = decodeDocument(CaseDeadlines, await source.get(byCaseCollection, caseId), byCaseCollection, caseId);
  if (entry === undefined) return undefined;
  const deadlines: Deadline[] = [];
  for (const key of entry.keys) {
    const deadline = decodeDocument(Deadline, await source.get(dueCollection, key), dueCollection, key);
    if (deadline !== undefined) deadlines.push(deadline);
  }
  return { fundId: entry.fundId, deadlines };
}

/** The documents of a case's deadlines: one per deadline, keyed by due date, and the case's list of keys. */
function deadlineDocuments(caseId: string, state: CaseDeadlineState): CaseDocument[] {
  return [
    { collection: byCaseCollection, key: caseId, value: { fundId: state.fundId, keys: state.deadlines.map(deadlineKey) } },
    ...state.deadlines.map((deadline) => ({ collection: dueCollection, key: deadlineKey(deadline), value: deadline })),
  ];
}

/** The deadlines of a case after an event (see the table in docs/projections.md). */
function evolveDeadlines(policies: PolicyProvider, state: CaseDeadlineState | undefined, event: CaseEvent): CaseDeadlineState | undefined {
  if (event.type === 'ReferralReceived') return { fundId: event.data.fundId, deadlines: [] };
  if (state === undefined) return undefined;
  const { caseId, occurredAt } = event.meta;
  // Only a few events need the day or the policy: each branch computes what it needs.
  switch (event.type) {
    case 'ReferralAccepted': {
      const contact = add(state, { caseId, kind: 'first-contact', dueOn: event.data.firstContactDueBy });
      const afterDays = policies(state.fundId).unreachableAfterDays;
      return afterDays === null ? contact : add(contact, { caseId, kind: 'unreachable-closure', dueOn: plusDays(utcDayOf(occurredAt), afterDays) });
    }
    case 'ContactAttempted':
      return event.data.reached ? remove(state, (d) => d.kind === 'first-contact' || d.kind === 'unreachable-closure') : state;
    // An appointment held reached the person as much as a call did.
    case 'AppointmentHeld':
      return remove(state, (d) => d.kind === 'first-contact' || d.kind === 'unreachable-closure');
    case 'WelcomeLetterDue':
      return add(state, { caseId, kind: 'welcome-letter', dueOn: event.data.dueBy });
    case 'WelcomeLetterSent':
      return remove(state, (d) => d.kind === 'welcome-letter');
    case 'GpSearchAssessed': {
      const cleared = remove(state, (d) => d.kind === 'ald-protocol-expiry');
      const expiry = event.data.aldProtocolExpiresOn;
      return expiry ? add(cleared, { caseId, kind: 'ald-protocol-expiry', dueOn: plusDays(expiry, -policies(state.fundId).aldExpiryReminderDays) }) : cleared;
    }
    case 'ActionPlanned':
      return add(state, { caseId, kind: 'action-due', ref: event.data.actionId, dueOn: event.data.dueDate });
    case 'ActionStatusChanged': {
      const { status, actionId } = event.data;
      return status === 'done' || status === 'cancelled' ? remove(state, (d) => d.kind === 'action-due' && d.ref === actionId) : state;
    }
    case 'PartnerReferralMade':
      return add(state, { caseId, kind: 'partner-follow-up', ref: event.data.referralId, dueOn: event.data.followUpBy });
    case 'PartnerReferralUpdated': {
      const { status, referralId } = event.data;
      return answeredReferral.has(status) ? remove(state, (d) => d.kind === 'partner-follow-up' && d.ref === referralId) : state;
    }
    case 'ReminderIssued': {
      const { kind, ref, dueOn } = event.data;
      return remove(state, (d) => reminderKinds.has(d.kind) && d.kind === kind && d.ref === ref && d.dueOn === dueOn);
    }
    case 'CaseClosed':
    case 'ReferralDeclined':
    case 'ReferralRedirected':
      return add(remove(state, () => true), { caseId, kind: 'retention-expiry', dueOn: plusMonths(utcDayOf(occurredAt), policies(state.fundId).retentionMonthsAfterClosure) });
    case 'CaseReopened':
      return remove(state, (d) => d.kind === 'retention-expiry');
    case 'PersonalDataErased':
      return remove(state, () => true);
    default:
      return state;
  }
}

/** The deadlines projection, reading each fund's delays from its policy. */
export function deadlinesProjection(policies: PolicyProvider = defaultPolicies): Projection {
  return caseProjection<CaseDeadlineState>({
    name: deadlinesProjectionName,
    collections: [dueCollection, byCaseCollection],
    handles: [
      'ReferralReceived',
      'ReferralAccepted',
      'ReferralRedirected',
      'ReferralDeclined',
      'ContactAttempted',
      'AppointmentHeld',
      'WelcomeLetterDue',
      'WelcomeLetterSent',
      'GpSearchAssessed',
      'ActionPlanned',
      'ActionStatusChanged',
      'PartnerReferralMade',
      'PartnerReferralUpdated',
      'CaseClosed',
      'CaseReopened',
      'ReminderIssued',
      'PersonalDataErased',
    ],
    load: loadDeadlines,
    evolve: (state, event) => evolveDeadlines(policies, state, event),
    documents: deadlineDocuments,
  });
}

/** The first page a walk of the due deadlines reads, and the largest it grows to. */
const firstDuePage = 4;
const largestDuePage = 64;

/**
 * The deadlines due at `now` (due day started), oldest first, at most `limit`. Keys start with the
 * due day, so the walk stops at the first key not yet due: a tick on a quiet day reads one small
 * page, not every open deadline. Pages start small and double: most ticks find none or a few due,
 * and every document a page brings is decoded by the store: pages of 50 at each of a national
 * year's ≈ 57,000 fund-days decoded ≈ 3 million documents to fire ≈ 110,000 deadlines.
 */
export async function dueDeadlines(reader: { list: ProjectionTransaction['list'] }, now: Date, limit = 500): Promise<Deadline[]> {
  const today = dayOf(now);
  const due: Deadline[] = [];
  let page = firstDuePage;
  for (let after: string | undefined; due.length < limit; page = Math.min(page * 2, largestDuePage)) {
    const asked = Math.min(page, limit - due.length);
    const rows = await reader.list(dueCollection, { limit: asked, ...(after === undefined ? {} : { after }) });
    for (const row of rows) {
      if (row.key.slice(0, today.length) > today) return due;
      due.push(Deadline.parse(row.value));
    }
    if (rows.length < asked) return due;
    after = rows.at(-1)?.key;
  }
  return due;
}

/** Every open deadline of a case. */
export async function deadlinesOfCase(reader: { get: ProjectionTransaction['get'] }, caseId: string): Promise<Deadline[]> {
  const stored = await reader.get(byCaseCollection, caseId);
  if (stored === undefined) return [];
  const deadlines: Deadline[] = [];
  for (const key of CaseDeadlines.parse(stored).keys) {
    const deadline = await reader.get(dueCollection, key);
    if (deadline !== undefined) deadlines.push(Deadline.parse(deadline));
  }
  return deadlines;
}

/** Drops one deadline the scheduler could not act on (its command was refused). */
export async function dropDeadline(tx: ProjectionTransaction, deadline: Deadline): Promise<void> {
  const state = await loadDeadlines(tx, deadline.caseId);
  if (state === undefined) return;
  const key = deadlineKey(deadline);
  const next = remove(state, (d) => deadlineKey(d) === key);
  if (next !== state) await writeChanges(tx, deadlineDocuments(deadline.caseId, state), deadlineDocuments(deadline.caseId, next));
}
