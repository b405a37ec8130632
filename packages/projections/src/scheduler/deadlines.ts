/**
 * The deadlines projection: every date by which something must happen, derived from events.
 * A deadline appears with the fact that sets it and disappears with the fact that meets it (or
 * the reminder that was issued for it). Documents are keyed by due date, so the scheduler reads
 * them in order.
 */
import { z } from 'zod';
import {
  addDays,
  addMonths,
  dayOf,
  defaultPolicies,
  type CaseEvent,
  type PolicyProvider,
  type ProjectionTransaction,
} from '@misas/core';
import type { Projection } from '../engine/projection.ts';

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

export const deadlinesProjectionName = 'deadlines';
const dueCollection = 'due';
const byCaseCollection = 'by-case';

/** The document key of a deadline: due date first, so that listing walks them in time order. */
export function deadlineKey(deadline: Deadline): string {
  return `${deadline.dueOn}|${deadline.caseId}|${deadline.kind}|${deadline.ref ?? ''}`;
}

async function caseEntry(tx: ProjectionTransaction, caseId: string) {
  const stored = await tx.get(byCaseCollection, caseId);
  return stored === undefined ? undefined : CaseDeadlines.parse(stored);
}

async function add(tx: ProjectionTransaction, deadline: Deadline): Promise<void> {
  const entry = await caseEntry(tx, deadline.caseId);
  if (!entry) return;
  const key = deadlineKey(deadline);
  await tx.put(dueCollection, key, deadline);
  if (!entry.keys.includes(key)) await tx.put(byCaseCollection, deadline.caseId, { ...entry, keys: [...entry.keys, key] });
}

/** Removes the case's deadlines that match. */
async function remove(tx: ProjectionTransaction, caseId: string, matches: (deadline: Deadline) => boolean): Promise<void> {
  const entry = await caseEntry(tx, caseId);
  if (!entry) return;
  const kept: string[] = [];
  for (const key of entry.keys) {
    const stored = await tx.get(dueCollection, key);
    const deadline = stored === undefined ? undefined : Deadline.parse(stored);
    if (deadline && matches(deadline)) await tx.delete(dueCollection, key);
    else if (deadline) kept.push(key);
  }
  await tx.put(byCaseCollection, caseId, { ...entry, keys: kept });
}

const reminderKinds = new Set<DeadlineKind>(['first-contact', 'action-due', 'partner-follow-up', 'welcome-letter', 'ald-protocol-expiry']);
const answeredReferral = new Set(['in-progress', 'completed', 'refused']);

/** The deadlines projection, reading each fund's delays from its policy. */
export function deadlinesProjection(policies: PolicyProvider = defaultPolicies): Projection {
  return {
    name: deadlinesProjectionName,
    collections: [dueCollection, byCaseCollection],
    handles: [
      'ReferralReceived',
      'ReferralAccepted',
      'ReferralRedirected',
      'ReferralDeclined',
      'ContactAttempted',
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
    async apply(event: CaseEvent, tx) {
      const caseId = event.meta.caseId;
      const day = dayOf(event.meta.occurredAt);
      const policyOf = async () => policies((await caseEntry(tx, caseId))?.fundId ?? '');
      const ended = async () => {
        await remove(tx, caseId, () => true);
        await add(tx, { caseId, kind: 'retention-expiry', dueOn: addMonths(day, (await policyOf()).retentionMonthsAfterClosure) });
      };
      switch (event.type) {
        case 'ReferralReceived':
          await tx.put(byCaseCollection, caseId, { fundId: event.data.fundId, keys: [] });
          return;
        case 'ReferralAccepted': {
          await add(tx, { caseId, kind: 'first-contact', dueOn: event.data.firstContactDueBy });
          const afterDays = (await policyOf()).unreachableAfterDays;
          if (afterDays !== null) await add(tx, { caseId, kind: 'unreachable-closure', dueOn: addDays(day, afterDays) });
          return;
        }
        case 'ContactAttempted':
          if (event.data.reached) await remove(tx, caseId, (d) => d.kind === 'first-contact' || d.kind === 'unreachable-closure');
          return;
        case 'WelcomeLetterDue':
          return add(tx, { caseId, kind: 'welcome-letter', dueOn: event.data.dueBy });
        case 'WelcomeLetterSent':
          return remove(tx, caseId, (d) => d.kind === 'welcome-letter');
        case 'GpSearchAssessed': {
          await remove(tx, caseId, (d) => d.kind === 'ald-protocol-expiry');
          const expiry = event.data.aldProtocolExpiresOn;
          if (expiry) await add(tx, { caseId, kind: 'ald-protocol-expiry', dueOn: addDays(expiry, -(await policyOf()).aldExpiryReminderDays) });
          return;
        }
        case 'ActionPlanned':
          return add(tx, { caseId, kind: 'action-due', ref: event.data.actionId, dueOn: event.data.dueDate });
        case 'ActionStatusChanged':
          if (event.data.status === 'done' || event.data.status === 'cancelled') {
            await remove(tx, caseId, (d) => d.kind === 'action-due' && d.ref === event.data.actionId);
          }
          return;
        case 'PartnerReferralMade':
          return add(tx, { caseId, kind: 'partner-follow-up', ref: event.data.referralId, dueOn: event.data.followUpBy });
        case 'PartnerReferralUpdated':
          if (answeredReferral.has(event.data.status)) {
            await remove(tx, caseId, (d) => d.kind === 'partner-follow-up' && d.ref === event.data.referralId);
          }
          return;
        case 'ReminderIssued':
          return remove(tx, caseId, (d) => reminderKinds.has(d.kind) && d.kind === event.data.kind && d.ref === event.data.ref && d.dueOn === event.data.dueOn);
        case 'CaseClosed':
        case 'ReferralDeclined':
        case 'ReferralRedirected':
          return ended();
        case 'CaseReopened':
          return remove(tx, caseId, (d) => d.kind === 'retention-expiry');
        case 'PersonalDataErased':
          return remove(tx, caseId, () => true);
        default:
          return;
      }
    },
  };
}

/** The deadlines due at `now` (due day started), oldest first. */
export async function dueDeadlines(reader: { list: ProjectionTransaction['list'] }, now: Date, limit = 500): Promise<Deadline[]> {
  const today = dayOf(now);
  const rows = await reader.list(dueCollection, { limit });
  return rows.map((row) => Deadline.parse(row.value)).filter((deadline) => deadline.dueOn <= today);
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
  await remove(tx, deadline.caseId, (d) => deadlineKey(d) === deadlineKey(deadline));
}
