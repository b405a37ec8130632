/**
 * Detector notices, from the log to the outbox. A detector is told that the accompaniment started
 * and that it ended, or that it never started and why — nothing more. The message holds no personal data: the deliverer resolves the
 * detector's contact from the vault at delivery time, so an erased case is never notified.
 */
import type { DetectorNotice, JsonValue, NotStartedReason, Outbox } from '@misas/core';
import type { Reactor } from '../engine/reactor.ts';

/** The outbox topic of detector notices. */
export const detectorNoticeTopic = 'detector-notice';

/** What a detector-notice message carries. */
export interface DetectorNoticeMessage {
  readonly caseId: string;
  readonly notice: DetectorNotice;
  readonly detectorKind: string;
  /** Why the accompaniment never started (only with `accompaniment-not-started`). */
  readonly reason?: NotStartedReason;
  readonly occurredAt: string;
}

/**
 * A reactor that enqueues one outbox message per `DetectorNotificationRequested` event. The
 * message id is the event id, so a batch replayed after a crash enqueues nothing twice.
 */
export function detectorNoticeRelay(outbox: Outbox): Reactor {
  return {
    name: 'detector-notice-relay',
    handles: ['DetectorNotificationRequested'],
    async react(event) {
      if (event.type !== 'DetectorNotificationRequested') return;
      const payload: DetectorNoticeMessage = {
        caseId: event.meta.caseId,
        notice: event.data.notice,
        detectorKind: event.data.detectorKind,
        ...(event.data.reason === undefined ? {} : { reason: event.data.reason }),
        occurredAt: event.meta.occurredAt,
      };
      await outbox.enqueue([{ id: event.meta.eventId, topic: detectorNoticeTopic, payload: { ...payload }, availableAt: event.meta.recordedAt }]);
    },
  };
}

/** Options of {@link deliverOutbox}. */
export interface DeliverOptions {
  readonly outbox: Outbox;
  readonly now: Date;
  /** Sends one message; throwing means it will be retried. */
  readonly deliver: (message: { id: string; topic: string; payload: JsonValue; attempts: number }) => Promise<void>;
  readonly limit?: number;
  readonly leaseMs?: number;
  /** Delay before a failed message comes back (default 5 minutes). */
  readonly retryAfterMs?: number;
}

/** Claims due messages and delivers them; returns how many were delivered and how many failed. */
export async function deliverOutbox(options: DeliverOptions): Promise<{ delivered: number; failed: number }> {
  const claimed = await options.outbox.claim({ now: options.now, limit: options.limit ?? 100, leaseMs: options.leaseMs ?? 60_000 });
  const delivered: string[] = [];
  let failed = 0;
  for (const message of claimed) {
    try {
      await options.deliver(message);
      delivered.push(message.id);
    } catch {
      failed++;
      await options.outbox.markFailed(message.id, new Date(options.now.getTime() + (options.retryAfterMs ?? 300_000)).toISOString());
    }
  }
  await options.outbox.markDelivered(delivered);
  return { delivered: delivered.length, failed };
}
