/**
 * What a detector is told about a referral they made, and the event that asks for it.
 *
 * The seeds: "Vous êtes informé au démarrage et à la clôture de l'accompagnement". A detector is
 * told that the accompaniment started — once the person's consent is held and the plan is agreed
 * with them — and that it ended; a referral that never started gets a notice of its own, with why
 * (declined at triage, redirected to the social service, the person never reached…), instead of
 * an "ended" for something that never began.
 *
 * Kept out of `catalogue.ts` so that the catalogue stays one list; the catalogue registers it.
 */
import { z } from 'zod';
import { DetectorKind } from '../vocabulary.ts';
import type { EventDefinition } from './catalogue.ts';

/** What the detector is told: the accompaniment started, it ended, or it never started. */
export const DetectorNotice = z.enum(['accompaniment-started', 'accompaniment-ended', 'accompaniment-not-started']);
export type DetectorNotice = z.infer<typeof DetectorNotice>;

/**
 * Why a referral never became an accompaniment, as the detector is told it: nothing more precise
 * than what they need to act on (refer the person elsewhere, help reach them).
 */
export const NotStartedReason = z.enum([
  /** Triage found the referral not relevant (or a duplicate, another fund's…). */
  'declined',
  /** Sent to the health-insurance social service (complex social situation). */
  'redirected',
  /** The person could not be reached. */
  'unreachable',
  /** The person did not want to be accompanied (refused or withdrew consent, withdrew). */
  'person-declined',
  /** Closed before the plan was agreed, for any other reason (moved away, erasure request…). */
  'closed-before-start',
]);
export type NotStartedReason = z.infer<typeof NotStartedReason>;

/**
 * The payload of `DetectorNotificationRequested` (v2). One object with an optional `reason`
 * rather than a union by `notice`, so that the catalogue's table shows every field; the rule
 * keeps `reason` to the notice it belongs to.
 */
const DetectorNotificationData = z
  .strictObject({
    notice: DetectorNotice,
    detectorKind: DetectorKind,
    /** Why the accompaniment never started: with `accompaniment-not-started` only, and then required. */
    reason: NotStartedReason.optional().meta({ description: "Why the accompaniment never started: required with `accompaniment-not-started`, refused with any other notice." }),
  })
  .refine((data) => (data.notice === 'accompaniment-not-started') === (data.reason !== undefined), {
    path: ['reason'],
    message: "reason is required for 'accompaniment-not-started' and not allowed with any other notice",
  });

/**
 * The detector is to be told something — an outbox delivers it. v2 (issue 15): "started" is sent
 * when the plan is agreed (consent held), no longer at triage, and a referral that never started
 * gets `accompaniment-not-started` with its reason. A v1 event is read as written: v1 said
 * "started" at triage and "ended" for a referral declined or redirected, which is what that
 * detector was told then.
 */
export const DetectorNotificationRequested: EventDefinition<'DetectorNotificationRequested', typeof DetectorNotificationData> = {
  type: 'DetectorNotificationRequested',
  schemaVersion: 2,
  description:
    'The detector is to be told that the accompaniment started (the plan agreed with the consenting person), that it ended, or that it never started (with why) — nothing more. An outbox delivers it. v2 added `accompaniment-not-started` and moved "started" from triage to the plan; v1 events are read as they were sent.',
  data: DetectorNotificationData,
};
